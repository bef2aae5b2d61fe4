"""Every console converges on the store: behind the fan-out proxy, after lost updates, and
after the backend is killed with reports in flight."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial

import pytest
import zmq
from pytestqt.qtbot import QtBot

from backend.demo.reporter import make_demo_report
from backend.store import Store
from client.request import RequestError, RequestTimeout
from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.models.dispatch_queue_model import INCIDENT_ID_ROLE
from domain.township import load_demo_township
from tests.helpers import demo_reports, wait_for, wait_live
from tests.processes import REPO, BackendProcess, _read_line_with_timeout
from tests.services import staff_client

TOWNSHIP = load_demo_township()


def _shown_ids(console: Console) -> set[str]:
    model = console.window.queue_model
    return {model.index(row, 0).data(INCIDENT_ID_ROLE) for row in range(model.rowCount())}


def _shows(console: Console, expected: set[str]) -> bool:
    return _shown_ids(console) == expected


def _store_ids(backend: BackendProcess) -> set[str]:
    store = Store(backend.db_url)
    try:
        return {i.id for i in store.incidents()}
    finally:
        store.close()


@pytest.fixture
def proxy(backend: BackendProcess) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.fanout_proxy", "--upstream", backend.pub,
         "--bind", "tcp://127.0.0.1:*"],
        cwd=REPO, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    line = _read_line_with_timeout(process.stdout, 10)
    assert line.startswith(b"READY "), line
    yield line.decode().split('"pub": "')[1].split('"')[0]
    process.kill()
    process.wait()


def test_a_console_behind_the_fanout_proxy_converges_like_a_direct_one(
    qtbot: QtBot, backend: BackendProcess, proxy: str
) -> None:
    login = ("duty", DEMO_PASSWORD)
    direct, proxied = Console(login=login), Console(updates=proxy, login=login)
    for c in (direct, proxied):
        qtbot.addWidget(c.window)
    try:
        with staff_client(backend.router) as client:
            for r in demo_reports(5, seed=1):
                client.submit_report(r)
            direct.start(backend.router)
            proxied.start(backend.router)
            for c in (direct, proxied):
                wait_live(qtbot, c)
            for r in demo_reports(20, seed=2):
                client.submit_report(r)
        expected = _store_ids(backend)
        assert len(expected) == 25
        for c in (direct, proxied):
            qtbot.waitUntil(partial(_shows, c, expected), timeout=10_000)
        assert proxied.link.resyncs == 0
    finally:
        direct.shutdown()
        proxied.shutdown()


class LossyForwarder(threading.Thread):
    """An XSUB/XPUB forwarder that loses one chosen incident update, as a congested link would."""

    def __init__(self, upstream: str, drop_nth_update: int) -> None:
        super().__init__(daemon=True)
        ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        self.xsub: zmq.Socket[bytes] = ctx.socket(zmq.XSUB)
        self.xsub.connect(upstream)
        self.xpub: zmq.Socket[bytes] = ctx.socket(zmq.XPUB)
        self.xpub.bind("tcp://127.0.0.1:*")
        self.endpoint = self.xpub.getsockopt_string(zmq.LAST_ENDPOINT)
        self.drop_nth = drop_nth_update
        self.updates = 0
        self.dropped = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        poller = zmq.Poller()
        poller.register(self.xsub, zmq.POLLIN)
        poller.register(self.xpub, zmq.POLLIN)
        while not self.stopping.is_set():
            events = dict(poller.poll(50))
            if self.xpub in events:
                self.xsub.send_multipart(self.xpub.recv_multipart())
            if self.xsub in events:
                frames = self.xsub.recv_multipart()
                if b"/incident." in frames[0]:  # s/<stream>/incident.…
                    self.updates += 1
                    if self.updates == self.drop_nth:
                        self.dropped += 1
                        continue
                self.xpub.send_multipart(frames)
        self.xsub.close(0)
        self.xpub.close(0)


def test_a_lost_update_is_noticed_and_repaired_by_a_resync(
    qtbot: QtBot, backend: BackendProcess
) -> None:
    forwarder = LossyForwarder(backend.pub, drop_nth_update=3)
    forwarder.start()
    console = Console(updates=forwarder.endpoint, login=("duty", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(backend.router)
        wait_live(qtbot, console)
        with staff_client(backend.router) as client:
            for r in demo_reports(6, seed=3):
                client.submit_report(r)
        expected = _store_ids(backend)
        qtbot.waitUntil(lambda: _shown_ids(console) == expected, timeout=10_000)
        assert forwarder.dropped == 1
        assert console.link.resyncs >= 1, "the gap was noticed, not papered over"
    finally:
        console.shutdown()
        forwarder.stopping.set()
        forwarder.join(2)


@pytest.mark.slow
def test_kill_9_while_reports_stream_in_loses_no_acknowledged_report(
    backend: BackendProcess,
) -> None:
    acked: list[str] = []
    stop = threading.Event()

    def stream(seed: int) -> None:
        rng = random.Random(seed)
        with staff_client(backend.router, timeout=0.5) as client:
            while not stop.is_set():
                report = make_demo_report(rng, TOWNSHIP, {})
                try:
                    reply = client.submit_report(report, attempts=1)
                except (RequestTimeout, RequestError):
                    continue
                acked.append(reply.body["incident"]["id"])

    streams = [threading.Thread(target=stream, args=(seed,)) for seed in (1, 2)]
    for t in streams:
        t.start()
    wait_for(lambda: len(acked) >= 200, what="200 reports acknowledged")
    backend.kill()
    killed_at = len(acked)
    backend.start()
    wait_for(lambda: len(acked) > killed_at, what="a report acknowledged after the restart")
    stop.set()
    for t in streams:
        t.join(5)
    assert killed_at >= 200, "reports were streaming when the backend was killed"
    stored = Store(backend.db_url)
    try:
        ids = [i.id for i in stored.incidents()]
    finally:
        stored.close()
    assert len(ids) == len(set(ids)), "nothing stored twice"
    assert set(acked) <= set(ids), "every acknowledged report survived the kill"
    with staff_client(backend.router) as client:
        _seq, snapshot = client.snapshot()
    assert {i["id"] for i in snapshot} == set(ids), "a resyncing subscriber matches the store"
