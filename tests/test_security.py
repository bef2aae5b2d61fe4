"""CurveZMQ on the backend's sockets (docs/security.md): only enrolled keys get a snapshot, an
update or a command through; an unenrolled key, a revoked key, a NULL-mechanism client and a raw
TCP client sending garbage get nothing, and each is logged. Real sockets on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zmq
from pytestqt.qtbot import QtBot

from backend.authenticator import EnrolledKeys, secure_server_socket
from backend.demo.users import DEMO_PASSWORD
from backend.fanout_proxy import FanoutProxy
from backend.keyring import KeyRing, KeyRingError, new_key_pair
from backend.service.accounts import Accounts
from backend.service.audit_trail import AuditTrail
from backend.service.publisher import Publisher
from backend.service.stats import ServerStats
from backend.sessions import MAX_FAILURES
from backend.store import Store
from client.curve import ClientKeys, KeyFileError, load_pair
from client.request import Login, NotEnrolled, RequestClient, RequestError, RequestTimeout
from console.app import Console
from console.link import LinkState
from domain.township import Role
from domain.wire import Message, MsgType, decode, encode
from tests.helpers import GIVE_UP, wait_for
from tests.services import Service

REPO = Path(__file__).resolve().parents[1]


class SecureService(Service):
    """A backend with keys, on a ZeroMQ context of its own (one ZAP handler per context)."""

    def __init__(self, url: str, keys: Path) -> None:
        self.keyring = KeyRing(keys)
        self.keyring.init()
        self.context: zmq.Context[Any] = zmq.Context()
        self.folder = keys.parent
        super().__init__(url, context=self.context, keyring=self.keyring)

    def console_keys(self, name: str, enrol: bool = True) -> ClientKeys:
        public, secret = new_key_pair(self.folder / "consoles", name)
        if enrol:
            self.keyring.enrol(public)
        return ClientKeys.load(secret, self.keyring.server_public_file)

    def client(self, keys: ClientKeys | None = None, timeout: float = 1.5) -> RequestClient:  # type: ignore[override]
        return RequestClient(self.endpoints.router, timeout=timeout, keys=keys)

    def subscriber(  # type: ignore[override]
        self, keys: ClientKeys | None = None, login: Login | None = None
    ) -> zmq.Socket[bytes]:
        """A login's stream (None: everything, which no one is given), without waiting for it:
        a refused one hears nothing."""
        sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        if keys is not None:
            keys.apply(sub)
        sub.connect(self.endpoints.pub)
        sub.setsockopt(zmq.SUBSCRIBE, b"" if login is None else login.topic)
        return sub

    def close(self) -> None:
        super().close()
        self.context.term()


@pytest.fixture
def service(sqlite_url: str, tmp_path: Path) -> Iterator[SecureService]:
    made = SecureService(sqlite_url, tmp_path / "keys")
    yield made
    made.close()


def _heard(sub: zmq.Socket[bytes], within: float) -> bool:
    """Something published (the 1 s heartbeat at least) reached this subscriber."""
    if not sub.poll(int(within * 1000)):
        return False
    decode(sub.recv_multipart()[-1])
    return True


def _heard_since(sub: zmq.Socket[bytes], since: float, within: float = GIVE_UP) -> bool:
    """Something published after `since` (epoch seconds) reached this subscriber: it is on the
    stream as it is now, not reading what was queued before."""
    deadline = time.monotonic() + within
    while sub.poll(max(1, int((deadline - time.monotonic()) * 1000))):
        if decode(sub.recv_multipart()[-1]).time > since:
            return True
    return False


def _logged_at(caplog: pytest.LogCaptureFixture, text: str) -> float:
    """When a log line with `text` was written (waiting for it): a tick's work, seen."""
    found: list[float] = []

    def logged() -> bool:
        found.extend(r.created for r in caplog.records if text in r.getMessage())
        return bool(found)

    wait_for(logged, what=f"a log line with {text!r}")
    return found[0]


def test_an_enrolled_console_gets_the_snapshot_the_updates_and_its_commands_through(
    service: SecureService,
) -> None:
    keys = service.console_keys("desk-01")
    with service.client(keys) as c:
        assert c.request(MsgType.HELLO).type == MsgType.WELCOME
        login = c.log_in("duty", DEMO_PASSWORD)
        sub = service.subscriber(keys, login)
        assert c.request(MsgType.SNAPSHOT_REQUEST).type == MsgType.SNAPSHOT
    # The login is this key's: another enrolled console holding its token gets nothing.
    with service.client(service.console_keys("desk-02")) as thief:
        with pytest.raises(RequestError) as refused:
            thief.request(MsgType.SNAPSHOT_REQUEST, login=login)
        assert refused.value.code == "not_logged_in"
    assert _heard(sub, 3.0)
    sub.close()


def test_an_enrolled_key_hears_only_the_stream_of_its_own_login(service: SecureService) -> None:
    """Issue 18, item 2: the update stream went to any enrolled key, with no login. Now each
    login has a stream; a subscription to anything else (everything, a prefix of every stream,
    another console's login's stream) never takes effect at the backend's XPUB."""
    mine, theirs = service.console_keys("desk-31"), service.console_keys("desk-32")
    with service.client(mine) as c, service.client(theirs) as other:
        own = c.log_in("duty", DEMO_PASSWORD)
        their_login = other.log_in("supervisor", DEMO_PASSWORD)
        nosy = {
            "everything": service.subscriber(mine),
            "every stream": service.subscriber(mine, dataclasses.replace(own, stream="")),
            "theirs": service.subscriber(mine, their_login),
        }
        sub = service.subscriber(mine, own)
        assert _heard(sub, 5.0)
        for name, refused in nosy.items():
            assert not _heard(refused, 0.1), name
            refused.close()
        sub.close()
    assert service.server.stats.subscriptions_refused >= 3


@pytest.mark.slow
@pytest.mark.parametrize("who", ["unenrolled key", "NULL mechanism"])
def test_an_unenrolled_or_plain_client_gets_nothing_and_is_logged(
    service: SecureService, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    keys = None if who == "NULL mechanism" else service.console_keys("stranger", enrol=False)
    watcher = service.client(service.console_keys("desk-watch"))
    sub = service.subscriber(keys, watcher.log_in("duty", DEMO_PASSWORD))  # someone's stream
    with service.client(keys) as c:
        expected = RequestTimeout if keys is None else NotEnrolled
        with pytest.raises(expected) as refused:
            c.request(MsgType.SNAPSHOT_REQUEST)
        if keys is not None:
            assert "not enrolled" in str(refused.value)
    assert not _heard(sub, 1.5)  # no heartbeat, no update (and a tick has passed)
    sub.close()
    watcher.close()
    assert service.server.stats.requests == 1  # the watcher's login: none of theirs
    logged = [r.getMessage() for r in caplog.records]
    if keys is None:
        assert any("handshake on" in m and "failed" in m for m in logged), logged
    else:
        assert any("handshake refused: key" in m for m in logged), logged


@pytest.mark.slow
def test_a_flood_of_strangers_is_a_line_every_few_seconds_not_a_line_each(
    service: SecureService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for n in range(12):
        keys = service.console_keys(f"stranger-{n}", enrol=False)
        with service.client(keys) as c, pytest.raises(NotEnrolled):
            c.request(MsgType.HELLO)
    authenticator = service.server._authenticator
    assert authenticator is not None and authenticator.keys.refused >= 12  # every one counted
    lines = [r for r in caplog.records if "handshake refused" in r.getMessage()]
    assert 1 <= len(lines) < 12, len(lines)


def test_wrong_passwords_at_one_console_do_not_lock_the_user_out_of_another(
    service: SecureService,
) -> None:
    """Issue 18, item 4: five wrong passwords from any console locked the real user out
    everywhere for five minutes. The lock is per console (and per user across all consoles
    only after MAX_FAILURES_ANYWHERE)."""
    stranger, desk = service.console_keys("lobby-pc"), service.console_keys("duty-desk")
    with service.client(stranger) as c:
        for _ in range(MAX_FAILURES):
            with pytest.raises(RequestError, match="login_failed"):
                c.log_in("duty", "guess")
        with pytest.raises(RequestError, match="rate_limited"):
            c.log_in("duty", DEMO_PASSWORD)
    with service.client(desk) as c:
        assert c.log_in("duty", DEMO_PASSWORD).role == Role.DUTY_OFFICER


def test_garbage_on_the_tcp_port_gets_nothing_and_legitimate_consoles_go_on(
    service: SecureService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    keys = service.console_keys("desk-02")
    port = int(service.endpoints.router.rsplit(":", 1)[1])
    for k in range(20):
        with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
            raw.sendall(os.urandom(64 + 97 * k))
            raw.settimeout(0.5)
            try:
                answer = raw.recv(4096)
            except (TimeoutError, ConnectionResetError):  # ZeroMQ drops it
                answer = b""
            assert b"incident" not in answer and b"welcome" not in answer
    with service.client(keys) as c:
        assert c.request(MsgType.HELLO).type == MsgType.WELCOME
    assert service.server.stats.requests == 1  # only the enrolled console's hello
    wait_for(lambda: service.server.stats.handshakes_failed >= 20, what="20 failed handshakes")
    logged = [r.getMessage() for r in caplog.records]
    assert any("before any handshake" in m or "handshake on" in m for m in logged), logged


@pytest.mark.slow
def test_a_key_revoked_while_connected_loses_requests_and_updates_without_a_restart(
    service: SecureService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    going, staying = service.console_keys("desk-03"), service.console_keys("desk-04")
    stays = service.client(staying)
    staying_sub = service.subscriber(staying, stays.log_in("duty", DEMO_PASSWORD))
    with service.client(going) as c:
        assert c.request(MsgType.HELLO).type == MsgType.WELCOME
        going_sub = service.subscriber(going, c.log_in("duty", DEMO_PASSWORD))
        assert len(service.server.sessions) == 2
        assert _heard(going_sub, 3.0) and _heard(staying_sub, 3.0)
        service.keyring.revoke("desk-03")
        with pytest.raises(NotEnrolled):  # the same connection, at once
            c.request(MsgType.SNAPSHOT_REQUEST)
    # The update stream is bound again within a tick; the other console shakes hands again and
    # goes on, the revoked one hears nothing more.
    rebound = _logged_at(caplog, "revoked desk-03: the update stream")
    assert _heard_since(staying_sub, rebound)
    while going_sub.poll(0):
        going_sub.recv_multipart()
    assert not _heard(going_sub, 2.5)
    assert len(service.server.sessions) == 1  # the key's login ended with it
    stays.close()
    with service.client(going) as again, pytest.raises(NotEnrolled):
        again.request(MsgType.HELLO)  # a new handshake is refused too
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "(desk-03): not_enrolled" in logged and "revoked desk-03" in logged
    going_sub.close()
    staying_sub.close()


def test_a_key_enrolled_and_revoked_between_two_ticks_is_still_cut_off(
    tmp_path: Path, sqlite_url: str
) -> None:
    """Found by a loaded run: a console whose key was enrolled, shook hands and was revoked
    before the serve loop's next tick was never known as enrolled, so the update stream was
    not bound again and the revoked console kept hearing it. What the ZAP handler let in is
    now counted too."""
    keyring = KeyRing(tmp_path / "keys")
    keyring.init()
    store = Store(sqlite_url)
    store.migrate()
    accounts = Accounts(store, keyring, AuditTrail(store))
    accounts.enrolled = keyring.names()  # the tick before: no desk-09
    handshakes = EnrolledKeys(keyring)
    accounts.admitted = handshakes.admitted
    publisher = Publisher(zmq.Context.instance(), keyring, ServerStats(), accounts.sessions)
    endpoint = publisher.bind("tcp://127.0.0.1:*")
    try:
        public, _secret = new_key_pair(tmp_path / "consoles", "desk-09")
        keyring.enrol(public)
        key = public.read_bytes().split(b'public-key = "')[1].split(b'"')[0]
        assert handshakes.callback("township", key)  # let in by its handshake
        keyring.revoke("desk-09")
        before = publisher.socket
        accounts.check_revocations(publisher)  # the next tick
        assert publisher.socket is not before and publisher.endpoint == endpoint
        done = [(e.what, e.subject) for e in store.audit()]
        assert ("key.enrolled", "desk-09") in done and ("key.revoked", "desk-09") in done
    finally:
        publisher.close()
        store.close()


def test_the_administrator_revokes_a_key_from_a_console_and_it_is_out_at_once(
    service: SecureService,
) -> None:
    admin_keys, lost = service.console_keys("admin-desk"), service.console_keys("lost-laptop")
    with service.client(admin_keys) as admin, service.client(lost) as stolen:
        admin.log_in("admin", DEMO_PASSWORD)
        stolen.log_in("duty", DEMO_PASSWORD)
        wait_for(  # a tick: the backend has seen both keys enrolled (and audited it)
            lambda: (
                {"admin-desk", "lost-laptop"}
                <= {e.subject for e in service.store.audit() if e.what == "key.enrolled"}
            ),
            what="both keys' enrolment audited",
        )
        keys = admin.request(MsgType.ADMIN_KEYS_REQUEST).body
        assert keys["secure"] and {"admin-desk", "lost-laptop"} <= set(keys["enrolled"])
        after = admin.request(MsgType.ADMIN_KEY_REVOKE, {"name": "lost-laptop"}).body
        assert "lost-laptop" in after["revoked"] and "lost-laptop" not in after["enrolled"]
        with pytest.raises(NotEnrolled):
            stolen.request(MsgType.SNAPSHOT_REQUEST)
        assert admin.request(MsgType.SNAPSHOT_REQUEST).type == MsgType.SNAPSHOT
    assert len(service.server.sessions) == 1  # the administrator's; the laptop's ended
    trail = [(e.who, e.what, e.subject) for e in service.store.audit()]
    assert ("admin", "admin.key.revoke", "lost-laptop") in trail
    assert ("key folder", "key.revoked", "lost-laptop") in trail


def test_a_key_enrolled_while_the_backend_runs_is_let_in_at_its_next_handshake(
    service: SecureService,
) -> None:
    keys = service.console_keys("desk-05", enrol=False)
    with service.client(keys) as c, pytest.raises(NotEnrolled):
        c.request(MsgType.HELLO)
    service.keyring.enrol(service.folder / "consoles" / "desk-05.key")
    with service.client(keys, timeout=3.0) as c:
        assert c.request(MsgType.HELLO).type == MsgType.WELCOME


def test_without_an_authenticator_curve_lets_any_key_in_and_ours_refuses_all(
    tmp_path: Path,
) -> None:
    """Why the authenticator is not optional: a CURVE server with no ZAP handler answers any
    client key. The backend's sockets enforce their ZAP domain, so without a handler they let
    nobody in."""
    ring = KeyRing(tmp_path / "keys")
    ring.init()
    stranger_public, stranger_secret = zmq.curve_keypair()
    stranger = ClientKeys(stranger_public, stranger_secret, ring.server_pair()[0])
    context: zmq.Context[Any] = zmq.Context()
    try:
        for ours, expected in ((False, True), (True, False)):
            server = context.socket(zmq.ROUTER)
            server.linger = 0
            if ours:
                secure_server_socket(server, ring)
            else:
                server.curve_secretkey, server.curve_server = ring.server_pair()[1], True
            port = server.bind_to_random_port("tcp://127.0.0.1")
            client = context.socket(zmq.DEALER)
            client.linger = 0
            stranger.apply(client)
            client.connect(f"tcp://127.0.0.1:{port}")
            client.send(encode(Message(MsgType.HELLO, {})))
            assert bool(server.poll(1000)) is expected
            client.close()
            server.close()
    finally:
        context.term()


def test_keys_are_made_enrolled_and_revoked_from_the_command_line(tmp_path: Path) -> None:
    keys, out = tmp_path / "keys", tmp_path / "console"

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "backend", "keys", *args, "--keys", str(keys)],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("init")
    run("new", "wall-01", "--out", str(out))
    assert "enrolled wall-01" in run("enrol", str(out / "wall-01.key"))
    assert "enrolled  wall-01" in run("list")
    run("revoke", "wall-01")
    assert "revoked   wall-01" in run("list")
    for secret in (keys / "server.key_secret", out / "wall-01.key_secret"):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    refused = subprocess.run(
        [sys.executable, "-m", "backend", "keys", "revoke", "wall-01", "--keys", str(keys)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode == 1 and "not enrolled" in refused.stderr


def test_a_secret_others_can_read_or_a_second_name_for_one_key_is_refused(tmp_path: Path) -> None:
    public, secret = new_key_pair(tmp_path, "desk-06")
    secret.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_pair(secret)
    ring = KeyRing(tmp_path / "keys")
    ring.init()
    ring.enrol(public)
    with pytest.raises(KeyRingError, match="enrolled already"):
        ring.enrol(public, "desk-07")
    with pytest.raises(KeyRingError, match="a name is"):
        ring.enrol(public, "../../etc/passwd")


def test_a_new_key_leaves_the_folder_it_is_written_to_as_it_was(tmp_path: Path) -> None:
    """Issue 21, item 4: `keys new NAME --out .` from a checkout made the checkout 0700."""
    checkout = tmp_path / "checkout"
    checkout.mkdir(mode=0o755)
    checkout.chmod(0o755)
    subprocess.run(
        [sys.executable, "-m", "backend", "keys", "new", "wall-01", "--out", str(checkout)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert stat.S_IMODE(checkout.stat().st_mode) == 0o755
    assert stat.S_IMODE((checkout / "wall-01.key_secret").stat().st_mode) == 0o600
    ignored = subprocess.run(["git", "check-ignore", "-q", "wall-01.key_secret"], cwd=REPO,
                             check=False)  # fmt: skip
    assert ignored.returncode == 0, "a secret key is never committed by accident"


@pytest.mark.parametrize("tool", [["audit", "verify"], ["users", "list"], ["cameras", "list"]])
def test_a_tool_without_db_refuses_to_guess_a_store(tmp_path: Path, tool: list[str]) -> None:
    """Issue 21, item 2: `audit verify` without --db opened an empty SQLite file in the data
    folder and crashed ("no such table: audit_log")."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "backend", *tool], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "no store at" in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert not list((tmp_path / "data").rglob("*.sqlite3")), "nothing created"


def test_the_backend_refuses_to_start_without_keys_unless_told_plain(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backend", "--db", f"sqlite:///{tmp_path}/x.sqlite3",
         "--keys", str(tmp_path / "none"), "--no-demo"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "keys init" in done.stderr


@pytest.mark.slow
def test_the_console_says_it_is_not_enrolled_and_goes_live_once_it_is(
    qtbot: QtBot, service: SecureService
) -> None:
    keys = service.console_keys("desk-08", enrol=False)
    console = Console(mode="desk", keys=keys, login=("supervisor", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(service.endpoints.router)
        console.window.show()
        status = console.window.link_status
        qtbot.waitUntil(lambda: status.state == LinkState.REFUSED, timeout=15_000)
        assert "not enrolled" in status.text()
        assert "PLAIN TEXT" not in console.window.windowTitle()
        service.keyring.enrol(service.folder / "consoles" / "desk-08.key")
        qtbot.waitUntil(lambda: status.state == LinkState.LIVE, timeout=20_000)
    finally:
        console.shutdown()


def test_a_plain_text_console_says_so_in_its_title(qtbot: QtBot, console: Console) -> None:
    console.window.show()
    assert "PLAIN TEXT" in console.window.windowTitle()


@pytest.mark.slow
def test_behind_the_fanout_proxy_only_enrolled_consoles_hear_and_a_revoked_one_stops(
    service: SecureService, caplog: pytest.LogCaptureFixture
) -> None:
    """The proxy with the backend's key folder: CURVE on both of its sides, the same enrolled
    consoles let in, a revocation in force within a tick (tests/test_convergence.py: a console
    behind it converges like a direct one)."""
    caplog.set_level(logging.WARNING)
    ring = KeyRing(service.keyring.folder)
    proxy = FanoutProxy(service.endpoints.pub, "tcp://127.0.0.1:*", ring)
    stop = threading.Event()
    thread = threading.Thread(target=proxy.serve, args=(stop,), daemon=True)
    thread.start()
    going, staying = service.console_keys("desk-21"), service.console_keys("desk-22")
    stranger = service.console_keys("desk-23", enrol=False)
    clients = [service.client(going), service.client(staying)]
    logins = {
        key: c.log_in("duty", DEMO_PASSWORD)
        for key, c in zip(("going", "staying"), clients, strict=True)
    }
    subs = {}
    for name, keys, topic in (
        ("going", going, logins["going"].topic),
        ("staying", staying, logins["staying"].topic),
        ("stranger", stranger, logins["staying"].topic),
        ("plain", None, logins["staying"].topic),
        ("everything", staying, b""),  # enrolled, asking for every stream at once
        ("prefix", staying, b"s/"),
    ):  # fmt: skip
        sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        if keys is not None:
            keys.apply(sub)
        sub.connect(proxy.endpoint)
        sub.setsockopt(zmq.SUBSCRIBE, topic)
        subs[name] = sub
    try:
        assert _heard(subs["going"], 5.0) and _heard(subs["staying"], 3.0)
        assert not _heard(subs["stranger"], 1.5) and not _heard(subs["plain"], 0.1)
        assert not _heard(subs["everything"], 0.1) and not _heard(subs["prefix"], 0.1)
        service.keyring.revoke("desk-21")
        rebound = _logged_at(caplog, "revoked desk-21: consoles shake hands")  # looked: 1/s
        assert _heard_since(subs["staying"], rebound)
        for sub in subs.values():
            while sub.poll(0):
                sub.recv_multipart()
        assert not _heard(subs["going"], 2.5)
    finally:
        for sub in subs.values():
            sub.close()
        for c in clients:
            c.close()
        stop.set()
        thread.join(5)
        proxy.close()
