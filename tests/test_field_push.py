"""Push to the field (issue 23): a real backend tells a real HTTP server (the township's
messaging system) of a dispatch and of a reply that waits for verification, signed, and
again with back-off while the system does not take it, one delivery id throughout, and again
after a kill -9 of the backend while the system was down."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from backend.demo.users import role_person
from domain.lifecycle import Action
from domain.township import Role, load_demo_township
from tests.helpers import demo_report, in_home_grid
from tests.processes import BackendProcess
from tests.services import staff_client, step

SECRET = "s3cret-of-the-township-0123"
TOWNSHIP = load_demo_township()


class Messaging:
    """The township's messaging system: refuses the first `refuse` posts (HTTP 500)."""

    def __init__(self, refuse: int) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.refuse = refuse
        self.arrived = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["Content-Length"]))
                with outer.arrived:
                    outer.got.append(({k.lower(): v for k, v in self.headers.items()}, data))
                    status = 500 if outer.refuse > 0 else 200
                    outer.refuse -= 1
                    outer.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.got) >= count, timeout), self.got


@pytest.fixture
def messaging() -> Iterator[Messaging]:
    system = Messaging(refuse=2)
    yield system
    system.httpd.shutdown()


def test_a_dispatch_and_a_reply_to_verify_reach_the_fields_people(
    messaging: Messaging, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COMMANDROOM_WEBHOOK_SECRET", SECRET)
    backend = BackendProcess(sqlite_url, "--no-demo", "--webhook", messaging.url,
                             "--webhook-spool", str(tmp_path / "push")).start()  # fmt: skip
    try:
        report = in_home_grid(demo_report(5))  # the demo leader's and worker's grid
        grid = TOWNSHIP.grids[report.grid or "V01G1"]
        handler = TOWNSHIP.people[role_person(TOWNSHIP, Role.DEPARTMENT_HANDLER)]
        department = next(d.code for d in TOWNSHIP.departments.values()
                          if handler.code in d.handlers)  # the `handler` login's  # fmt: skip
        with staff_client(backend.router) as desk:
            desk.submit_report(report)
            step(desk, report.id, Action.PASS_UP, Role.GRID_LEADER)
            step(desk, report.id, Action.ACCEPT, Role.SUPERVISOR)
            step(desk, report.id, Action.DISPATCH, Role.SUPERVISOR, department=department)
            messaging.wait_for(3)  # refused twice, then taken
            deliveries = {h["x-commandroom-delivery"] for h, _b in messaging.got}
            assert len(deliveries) == 1  # one push, sent again: the system can drop repeats
            headers, body = messaging.got[-1]
            expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            assert headers["x-commandroom-signature"] == f"sha256={expected}"
            said = json.loads(body)
            assert said["event"] == "case.dispatched" and said["case"]["id"] == report.id
            handlers = TOWNSHIP.departments[department].handlers
            assert [p["person"] for p in said["to"]] == list(handlers)
            assert all(p["phone"] for p in said["to"])  # the messaging system texts them
            step(desk, report.id, Action.START, Role.DEPARTMENT_HANDLER)
            step(desk, report.id, Action.REPLY, Role.DEPARTMENT_HANDLER, note="已处理")
            messaging.wait_for(4)
        said = json.loads(messaging.got[-1][1])
        assert said["event"] == "case.to_verify"
        assert {p["person"] for p in said["to"]} == {*grid.workers, grid.leader}
        assert time.time() - said["at"] < 120
    finally:
        backend.stop()


def test_a_push_waiting_for_the_system_outlives_a_kill_of_the_backend(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COMMANDROOM_WEBHOOK_SECRET", SECRET)
    messaging = Messaging(refuse=10**6)  # down until told otherwise
    spool = tmp_path / "push"
    backend = BackendProcess(sqlite_url, "--no-demo", "--webhook", messaging.url,
                             "--webhook-spool", str(spool))  # fmt: skip
    try:
        backend.start()
        report = in_home_grid(demo_report(6))
        department = sorted(TOWNSHIP.departments)[0]
        with staff_client(backend.router) as desk:
            desk.submit_report(report)
            step(desk, report.id, Action.PASS_UP, Role.GRID_LEADER)
            step(desk, report.id, Action.ACCEPT, Role.SUPERVISOR)
            step(desk, report.id, Action.DISPATCH, Role.SUPERVISOR, department=department)
        messaging.wait_for(1)  # tried and refused
        backend.kill()
        [kept] = spool.glob("*.json")  # the handlers' phone numbers in it: the backend's alone
        assert kept.stat().st_mode & 0o077 == 0 and spool.stat().st_mode & 0o077 == 0
        first = messaging.got[0][0]["x-commandroom-delivery"]
        with messaging.arrived:
            messaging.refuse = 0  # the system is back
            tried = len(messaging.got)
        backend.start()
        messaging.wait_for(tried + 1)
        headers, body = messaging.got[-1]
        assert headers["x-commandroom-delivery"] == first  # the same push: drop repeats
        assert json.loads(body)["case"]["id"] == report.id
        deadline = time.monotonic() + 30
        while list(spool.glob("*.json")) and time.monotonic() < deadline:
            threading.Event().wait(0.05)  # taken: forgotten right after the answer
        assert not list(spool.glob("*.json"))
    finally:
        if backend.alive:
            backend.stop()
        messaging.httpd.shutdown()


@pytest.mark.parametrize(
    ("secret", "given", "said"),
    [
        ("", ("--webhook-spool", "/tmp"), b"COMMANDROOM_WEBHOOK_SECRET"),
        (SECRET, (), b"webhook_spool"),
        (SECRET, ("--webhook-spool", "/proc/no"), b"webhook_spool /proc/no"),
    ],
)
def test_a_webhook_without_its_secret_or_its_folder_is_refused_at_start(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, secret: str, given: tuple[str, ...],
    said: bytes,
) -> None:  # fmt: skip
    monkeypatch.setenv("COMMANDROOM_WEBHOOK_SECRET", secret)
    backend = BackendProcess(sqlite_url, "--no-demo", "--webhook", "http://127.0.0.1:9/hook",
                             *given)  # fmt: skip
    with pytest.raises(RuntimeError):
        backend.start()
    assert backend.process is not None and backend.process.wait(10) == 2
    deadline = time.monotonic() + 10
    while said not in backend.log and time.monotonic() < deadline:
        threading.Event().wait(0.05)  # the log's reader thread catching up
    assert said in backend.log
