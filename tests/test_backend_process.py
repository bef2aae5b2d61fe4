"""The backend as a real process on loopback: requests, publication, bad input, shutdown."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zmq

from backend.demo.users import DEMO_PASSWORD, desk_people
from backend.keyring import KeyRing
from client.request import RequestClient, RequestError, RequestTimeout
from domain.township import Role, load_demo_township
from domain.wire import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    Message,
    MsgType,
    decode,
    encode,
)
from tests.helpers import demo_report
from tests.processes import REPO, BackendProcess
from tests.services import staff_client


@pytest.fixture
def client(backend: BackendProcess) -> Iterator[RequestClient]:
    with staff_client(backend.router, timeout=5.0) as c:
        yield c


def _next(sub: zmq.Socket[bytes], type_: str, timeout: float = 3.0) -> Message:
    deadline = time.monotonic() + timeout
    while sub.poll(max(1, int((deadline - time.monotonic()) * 1000))):
        topic, payload = sub.recv_multipart()
        msg = decode(payload)
        assert topic.rsplit(b"/", 1)[1] == msg.topic  # s/<the login's stream>/<type>
        if msg.type == type_:
            return msg
    raise AssertionError(f"no {type_} within {timeout} s")


def test_hello_says_where_updates_are_published(
    backend: BackendProcess, client: RequestClient
) -> None:
    welcome = client.request(MsgType.HELLO)
    assert welcome.type == MsgType.WELCOME
    assert welcome.body["protocol"] == PROTOCOL_VERSION
    assert welcome.body["session"] == backend.session == welcome.session
    assert backend.pub.endswith(f":{welcome.body['pub_port']}")
    assert welcome.body["township_name"] == "青溪镇"


def test_township_is_served(client: RequestClient) -> None:
    reply = client.request(MsgType.TOWNSHIP_REQUEST)
    assert len(reply.body["township"]["grids"]) == 68
    assert reply.body["platform_set"] == "classic"


def test_report_is_acknowledged_published_and_idempotent(
    client: RequestClient, subscriber: zmq.Socket[bytes]
) -> None:
    report = demo_report()
    ack = client.submit_report(report)
    assert ack.type == MsgType.REPORT_ACK and ack.body["created"] is True
    update = _next(subscriber, MsgType.INCIDENT_REPORTED)
    assert update.seq == 1  # on the duty officer's stream
    assert ack.seq == 0  # the gateway's: it follows no case
    assert update.body["incident"]["id"] == report.id
    again = client.submit_report(report)
    assert again.body["created"] is False
    assert again.body["incident"] == ack.body["incident"]
    heartbeat = _next(subscriber, MsgType.HEARTBEAT)
    assert heartbeat.seq == 1, "a resend publishes nothing"
    snapshot = client.request(MsgType.SNAPSHOT_REQUEST)
    assert snapshot.body["seq"] == 1 and len(snapshot.body["incidents"]) == 1


def test_sequence_numbers_are_strictly_increasing(
    client: RequestClient, subscriber: zmq.Socket[bytes]
) -> None:
    for seed in range(10):
        client.submit_report(demo_report(seed))
    seqs = [_next(subscriber, MsgType.INCIDENT_REPORTED).seq for _ in range(10)]
    assert seqs == list(range(1, 11))


def test_heartbeat_every_second_with_session_and_seq(
    backend: BackendProcess, subscriber: zmq.Socket[bytes]
) -> None:
    first = _next(subscriber, MsgType.HEARTBEAT)
    second = _next(subscriber, MsgType.HEARTBEAT)
    assert 0.7 < second.time - first.time < 1.5
    assert second.session == backend.session and second.seq == 0


@pytest.mark.parametrize(
    ("frames", "code"),
    [
        (lambda: [b"garbage"], "malformed"),
        (lambda: [b"\xff" * 100], "malformed"),
        (lambda: [b"", b"", b"extra", b"{}"], "malformed"),
        (lambda: [b" " * (MAX_MESSAGE_BYTES + 10)], "too_large"),
        (lambda: [encode(Message("no.such.thing"))], "unknown_type"),
        (lambda: [encode(Message(MsgType.HELLO, v=99))], "unsupported_version"),
        (lambda: [encode(Message(MsgType.REPORT_SUBMIT, {"id": "x"}))], "not_logged_in"),
    ],
)
def test_bad_input_gets_an_error_reply_and_the_service_goes_on(
    backend: BackendProcess,
    client: RequestClient,
    frames: Callable[[], list[bytes]],
    code: str,
) -> None:
    """The frames are made when the test runs: a message made at collection was more than
    300 s old by the time a loaded machine got here, and refused as stale instead."""
    client.send_raw(*frames())
    reply = client.receive()
    assert reply.type == MsgType.ERROR and reply.body["code"] == code, reply.body
    assert reply.body["detail"]
    assert client.request(MsgType.HELLO).type == MsgType.WELCOME
    assert backend.alive


def test_a_request_too_large_is_an_error_at_once_not_a_timeout(client: RequestClient) -> None:
    """The client refuses to send it; and an error the backend could not address (it reads no
    id from a message it refuses unread) answers the request waited for."""
    pad = {"pad": "x" * (MAX_MESSAGE_BYTES + 10)}
    with pytest.raises(RequestError, match="too_large"):
        client.request(MsgType.HELLO, pad, timeout=60)
    client.send_raw(b" " * (MAX_MESSAGE_BYTES + 10))
    with pytest.raises(RequestError, match="too_large"):
        client._await({"an id the backend never read"}, 60)
    assert client.request(MsgType.HELLO).type == MsgType.WELCOME


def test_a_report_about_places_the_township_does_not_have_is_refused(client: RequestClient) -> None:
    body = demo_report().to_wire()
    gateway = client.logins[Role.GATEWAY]
    with pytest.raises(RequestError, match="unknown village"):
        client.request(
            MsgType.REPORT_SUBMIT, {**body, "village": "V99", "grid": None}, login=gateway
        )
    with pytest.raises(RequestError, match="is not a grid of village"):
        client.request(
            MsgType.REPORT_SUBMIT,
            {**body, "grid": "V02G1"} if body["village"] != "V02" else {**body, "grid": "V01G1"},
            login=gateway,
        )
    with pytest.raises(RequestError, match="unknown category"):
        client.request(MsgType.REPORT_SUBMIT, {**body, "category": "aliens"}, login=gateway)


def test_conflicting_reuse_of_a_report_id_is_an_error(client: RequestClient) -> None:
    first = demo_report(1)
    client.submit_report(first)
    other = {**demo_report(2).to_wire(), "id": first.id}
    with pytest.raises(RequestError) as info:
        client.request(MsgType.REPORT_SUBMIT, other, login=client.logins[Role.GATEWAY])
    assert info.value.code == "conflict"


def test_an_oversized_frame_cannot_take_the_backend_down(
    backend: BackendProcess, client: RequestClient
) -> None:
    """Beyond ZMQ_MAXMSGSIZE ZeroMQ drops the connection unread; others are not affected."""
    with staff_client(backend.router, timeout=1.0) as flooder:
        flooder.send_raw(b"x" * (5 * MAX_MESSAGE_BYTES))
        with pytest.raises(RequestTimeout):
            flooder.receive()
    assert client.request(MsgType.HELLO).type == MsgType.WELCOME


@pytest.mark.slow
def test_acknowledged_reports_survive_a_kill(backend: BackendProcess) -> None:
    with staff_client(backend.router) as c:
        acked = [c.submit_report(demo_report(seed)).body["incident"]["id"] for seed in range(5)]
    backend.kill()
    backend.start()
    with staff_client(backend.router) as c:
        snapshot = c.request(MsgType.SNAPSHOT_REQUEST)
    assert [i["id"] for i in snapshot.body["incidents"]] == acked
    assert snapshot.body["seq"] == 0, "a new session starts its sequence again"


def test_sigterm_stops_the_backend_cleanly(backend: BackendProcess) -> None:
    assert backend.stop(signal.SIGTERM) == 0
    assert b"stopped" in backend.log


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "stdin closed"])
def test_every_way_to_stop_an_embedded_backend_exits_0_after_its_last_commit(
    sqlite_url: str, how: str
) -> None:
    """`--exit-with-parent` once aborted on SIGTERM (`_enter_buffered_busy`, rc -6): a daemon
    thread blocked in the buffered stdin at exit. Demo reports flow while it stops."""
    backend = BackendProcess(sqlite_url, "--demo", "--demo-rate", "600", "--demo-days", "0").start(
        with_parent=True
    )
    try:
        with staff_client(backend.router) as c:
            acked = c.submit_report(demo_report(1)).body["incident"]["id"]
        if how == "stdin closed":
            rc = backend.close_stdin()
        else:
            rc = backend.stop(signal.SIGTERM if how == "SIGTERM" else signal.SIGINT)
    finally:
        if backend.alive:
            backend.kill()
    assert rc == 0, backend.log.decode(errors="replace")[-2000:]
    assert b"Fatal Python error" not in backend.log
    assert b"stopped" in backend.log
    backend.start()
    try:
        with staff_client(backend.router) as c:
            snapshot = c.request(MsgType.SNAPSHOT_REQUEST)
        assert acked in {i["id"] for i in snapshot.body["incidents"]}
    finally:
        backend.stop()


@pytest.mark.slow
def test_the_demo_staff_act_on_their_own_cases_under_their_own_names(sqlite_url: str) -> None:
    """A fresh demo store opens on a replayed past; then the township's own people move cases
    on, each under their own login: none of it refused by the backend's scope check (it was,
    a warning every few seconds in `make run`), and never as the person behind a desk login
    (the demo once accepted cases "by 朱永明" while 朱永明 sat at the desk)."""
    township = load_demo_township()
    desk_names = {township.people[p].name for p in desk_people(township)}
    backend = BackendProcess(sqlite_url, "--demo", "--demo-days", "1", "--demo-speed", "2000")
    backend.start(timeout=120)
    started = time.time()
    try:
        with RequestClient(backend.router, timeout=10) as c:
            c.log_in("duty", DEMO_PASSWORD)  # the whole township's cases
            replayed = c.request(MsgType.SNAPSHOT_REQUEST).body["incidents"]
            moved_live: list[tuple[str, str]] = []
            deadline = time.monotonic() + 120
            while len(moved_live) < 20 and time.monotonic() < deadline:
                time.sleep(0.5)  # polling a live process; the assertions are the log's
                moved_live = _steps_since(sqlite_url, started)
    finally:
        backend.stop()
    log_text = backend.log.decode(errors="replace")
    assert len({i["state"] for i in replayed}) >= 4, "a replayed day has cases at every stage"
    assert len(moved_live) >= 20, log_text[-2000:]
    assert not {actor for _action, actor in moved_live} & desk_names
    assert "outside your scope" not in log_text, log_text[-2000:]
    assert "demo step" not in log_text, log_text[-2000:]


def _steps_since(sqlite_url: str, at: float) -> list[tuple[str, str]]:
    """The staff's steps in the log since `at` (not reports, not the deadline sweep's notes)."""
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT action, actor FROM action_log "
            "WHERE at >= ? AND action NOT IN ('report', 'overdue')",
            (at,),
        ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


def test_a_start_without_the_demo_invents_nothing(tmp_path: Path) -> None:
    """Issue 21, item 1: a production start on an empty store filled it with the demo township
    and ran the demo's traffic; now it says how to bring the township in, and stops."""
    db = tmp_path / "empty.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "backend", "--db", f"sqlite:///{db}", "--plain",
         "--router", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    assert "holds no township" in done.stderr and "township apply" in done.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM township").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM camera").fetchone()[0] == 0


def test_the_demo_never_runs_with_keys_and_its_old_key_is_revoked(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    run = [sys.executable, "-m", "backend", "keys", "init", "--keys", str(keys)]
    subprocess.run(run, cwd=REPO, check=True, capture_output=True, timeout=60)
    ring = KeyRing(keys)
    ring.init()
    ring.own_client("demo-reporter")  # what an older start enrolled
    assert "demo-reporter" in ring.names()
    base = [sys.executable, "-m", "backend", "--db", f"sqlite:///{tmp_path}/x.sqlite3",
            "--keys", str(keys), "--demo-users", "--router", "tcp://127.0.0.1:*",
            "--pub", "tcp://127.0.0.1:*"]  # fmt: skip
    done = subprocess.run([*base, "--demo"], cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2 and "--plain" in done.stderr, done.stderr[-2000:]
    started = subprocess.Popen(base, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert started.stdout is not None and started.stdout.readline().startswith(b"READY")
    finally:
        started.terminate()
        _out, err = started.communicate(timeout=30)
    assert b"demo reporter's key" in err
    assert "demo-reporter" not in KeyRing(keys).names()
