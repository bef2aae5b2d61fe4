"""The console's link as widgets see it: a request port with pending replies, and a backend
that is starting shown as starting (not as unreachable), whether it says so itself or is the
embedded child that has not printed READY yet."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
import zmq
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.app import Console, install_translators
from console.embedded_backend import EmbeddedBackend
from console.link import BackendLink, LinkState, LinkTiming
from console.request_port import ReplyRouter
from console.widgets.link_status import link_state_text
from domain.wire import ErrorCode, Message, MsgType, decode, encode, error_reply


class StartingBackendFake:
    """A ROUTER on 127.0.0.1 that answers every request `starting`, as a backend loading its
    store does (the real backend's starting phase is built separately): counts the hellos."""

    def __init__(self) -> None:
        self._socket: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.ROUTER)
        self._socket.setsockopt(zmq.LINGER, 0)
        port: int = self._socket.bind_to_random_port("tcp://127.0.0.1")
        self.router = f"tcp://127.0.0.1:{port}"
        self.hellos = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="starting-fake", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            while not self._stopping.is_set():
                if not self._socket.poll(50):
                    continue
                identity, data = self._socket.recv_multipart()
                request = decode(data)
                if request.type == MsgType.HELLO:
                    self.hellos += 1
                reply = error_reply(ErrorCode.STARTING, "loading the store", request.id)
                self._socket.send_multipart([identity, encode(reply)])
        finally:
            self._socket.close(linger=0)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(5)


@pytest.fixture
def starting_backend() -> Iterator[StartingBackendFake]:
    fake = StartingBackendFake()
    yield fake
    fake.close()


def test_replies_reach_the_one_pending_reply_that_asked(qtbot: QtBot) -> None:
    router = ReplyRouter()
    first, second = router.expect("a", MsgType.DETAIL_REQUEST), router.expect("b", "x")
    answers: list[tuple[str, object]] = []
    for pending in (first, second):
        pending.answered.connect(lambda reply, p=pending: answers.append((p.request_id, reply)))
        pending.refused.connect(lambda code, _d, p=pending: answers.append((p.request_id, code)))
    detail = Message(MsgType.DETAIL, {"changes": []}, reply_to="a")
    router.route("b", error_reply(ErrorCode.NOT_ALLOWED, "no", "b"))
    router.route("someone-else", detail)  # nobody waits for it: dropped
    router.route("a", detail)
    router.route("a", detail)  # a second answer to the same request changes nothing
    assert answers == [("b", ErrorCode.NOT_ALLOWED), ("a", detail)]
    assert len(router) == 0, "settled replies are let go"


def test_a_starting_backend_is_shown_as_starting_with_its_age_and_asked_again(
    qtbot: QtBot, starting_backend: StartingBackendFake
) -> None:
    link = BackendLink(LinkTiming(starting_retry=0.05))
    states: list[tuple[str, float]] = []
    link.state_changed.connect(lambda state, age: states.append((state, age)))
    link.start(starting_backend.router)
    try:
        qtbot.waitUntil(lambda: starting_backend.hellos >= 4, timeout=20_000)
        qtbot.waitUntil(lambda: len([s for s, _ in states if s == LinkState.STARTING]) >= 3)
        starting = [age for state, age in states if state == LinkState.STARTING]
        assert starting[-1] > starting[0], "its age grows while it loads"
        seen = [state for state, _ in states]
        after = seen[seen.index(LinkState.STARTING) :]
        assert LinkState.RECONNECTING not in after, "never called unreachable while it answers"
        # A widget's request meanwhile is refused by the link itself, on the pending reply.
        with qtbot.waitSignal(link.request(MsgType.DETAIL_REQUEST, {}).refused) as refused:
            pass
        assert refused.args is not None and refused.args[0] == "not_connected"
    finally:
        link.stop()


def test_the_status_words_for_a_starting_backend(qtbot: QtBot) -> None:
    text = link_state_text(LinkState.STARTING, 12.4)
    assert "starting" in text.lower() and "12" in text
    assert text != link_state_text(LinkState.RECONNECTING, 12.4)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "zh_CN")
    try:
        assert link_state_text(LinkState.STARTING, 12.4).startswith("后台启动中")
        assert "后台无法连接" in link_state_text(LinkState.RECONNECTING, 12.4)
    finally:
        for t in translators:
            app.removeTranslator(t)


class NeverReadyBackend(EmbeddedBackend):
    """An embedded backend whose child runs (until its stdin closes) but never says READY:
    one still loading a large store."""

    def _command(self) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.stdin.read()"]


def test_an_embedded_backend_not_ready_yet_is_starting_not_unreachable(qtbot: QtBot) -> None:
    console = Console(mode="desk")
    qtbot.addWidget(console.window)
    embedded = NeverReadyBackend(None, demo=False)
    try:
        with qtbot.waitSignal(embedded.child_started, timeout=20_000):
            console.start(None, embedded=embedded)
        status = console.window.link_status
        qtbot.waitUntil(lambda: status.state == LinkState.STARTING, timeout=10_000)
        assert "starting" in status.text().lower()
    finally:
        console.shutdown()


def test_the_real_backend_while_it_loads_is_starting_then_live(
    qtbot: QtBot, sqlite_url: str
) -> None:
    """The backend's own starting phase (bind, serve, then load), not the fake above."""
    from backend.demo.users import DEMO_PASSWORD, seed_demo_users
    from backend.service.loop import LiveStateServer
    from backend.store import Store
    from tests.services import TOWNSHIP

    store = Store(sqlite_url)
    store.migrate()
    store.seed_township(TOWNSHIP)
    seed_demo_users(store, TOWNSHIP)
    server = LiveStateServer(
        store, TOWNSHIP, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", demo_users=True
    )
    endpoints = server.bind(load=False)
    stop = threading.Event()
    serving = threading.Thread(target=server.serve, args=(stop,))
    serving.start()
    link = BackendLink(LinkTiming(starting_retry=0.05))
    states: list[str] = []
    link.state_changed.connect(lambda state, _age: states.append(state))
    link.log_in("supervisor", DEMO_PASSWORD)
    link.start(endpoints.router)
    try:
        qtbot.waitUntil(lambda: LinkState.STARTING in states, timeout=20_000)
        server.load()
        qtbot.waitUntil(lambda: states[-1] == LinkState.LIVE, timeout=20_000)
        assert LinkState.RECONNECTING not in states
    finally:
        link.stop()
        stop.set()
        serving.join()
        store.close()
