"""The live state service in-process on real loopback sockets, for the tests that talk to it:
one backend on a SQLite file, restartable on the same file."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import zmq

from backend.demo.users import DEMO_PASSWORD, log_in_staff, seed_demo_users
from backend.service.loop import Endpoints, LiveStateServer
from backend.store import Store
from client.curve import ClientKeys
from client.request import Login, RequestClient
from domain.deadlines import DeadlineRules
from domain.lifecycle import Action, Command
from domain.township import Role, Township, load_demo_township

TOWNSHIP = load_demo_township()


def staff_client(
    endpoint: str, timeout: float = 5.0, keys: ClientKeys | None = None
) -> RequestClient:
    """A client logged in as each of the demo's staff (commands go out under their role's
    login) and, last, as the gateway (reports and patrols of anyone)."""
    client = RequestClient(endpoint, timeout=timeout, keys=keys)
    try:
        log_in_staff(client)
    except Exception:
        client.close()
        raise
    return client


class Service:
    def __init__(self, url: str, rules: DeadlineRules | None = None, **options: Any) -> None:
        self.store = Store(url, rules)
        self.store.migrate()
        if not self.store.has_township():
            self.store.seed_township(TOWNSHIP)
        seed_demo_users(self.store, TOWNSHIP)
        options.setdefault("demo_users", True)  # the tests' clients log in as the demo's staff
        self.server = LiveStateServer(
            self.store, TOWNSHIP, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", **options
        )
        self.endpoints = self.server.bind()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.server.serve, args=(self._stop,), daemon=True)
        self._thread.start()
        self._watchers: list[RequestClient] = []

    def client(self, timeout: float = 5.0, staff: bool = True) -> RequestClient:
        """`staff`: logged in as the demo's staff and gateway (backend.demo.users)."""
        return staff_client(self.endpoints.router, timeout) if staff else self.anonymous(timeout)

    def anonymous(self, timeout: float = 5.0) -> RequestClient:
        return RequestClient(self.endpoints.router, timeout=timeout)

    def subscriber(
        self, login: Login | None = None, types: tuple[bytes, ...] = (b"incident.", b"hb")
    ) -> zmq.Socket[bytes]:
        """A login's update stream, these types of it (from its first heartbeat on); None: a
        duty officer's (the whole township), logged in for it."""
        if login is None:
            watcher = self.anonymous()
            self._watchers.append(watcher)
            login = watcher.log_in("duty", DEMO_PASSWORD)
        return subscribe(self.endpoints.pub, login, types)

    def close(self) -> None:
        """Idempotent: a test may close a backend before the fixture does."""
        for watcher in self._watchers:
            watcher.close()
        self._watchers.clear()
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(5)
        self.store.close()


def subscribe(
    endpoint: str,
    login: Login,
    types: tuple[bytes, ...] = (b"",),
    keys: ClientKeys | None = None,
    wait_ms: int = 10_000,
) -> zmq.Socket[bytes]:
    """A SUB on a login's stream (these types of it), once its heartbeat came (the heartbeats
    are left out again unless asked for, and what came before is read and dropped)."""
    sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    if keys is not None:
        keys.apply(sub)
    sub.connect(endpoint)
    for type_ in {*types, b"hb"}:
        sub.setsockopt(zmq.SUBSCRIBE, login.topic + type_)
    assert sub.poll(wait_ms), "nothing on the login's stream"
    if not {b"hb", b""} & set(types):
        sub.setsockopt(zmq.UNSUBSCRIBE, login.topic + b"hb")
        while sub.poll(200):  # a heartbeat already on its way
            sub.recv_multipart()
    return sub


@contextlib.contextmanager
def serving(township: Township, url: str) -> Iterator[Endpoints]:
    """A backend loop on `township` (applied to the store at `url`), with the demo's users."""
    store = Store(url)
    store.migrate()
    store.apply_township(township, "test")
    seed_demo_users(store, township)
    server = LiveStateServer(
        store, township, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", demo_users=True
    )
    endpoints = server.bind()
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        yield endpoints
    finally:
        stop.set()
        thread.join(10)
        store.close()


def step(desk: RequestClient, incident: str, action: Action, role: Role, **args: Any) -> None:
    """One lifecycle step by the demo's staff, at the case's version as it is now."""
    current = desk.request("detail.request", {"incident": incident}).body["incident"]
    desk.command(Command(incident, action, current["version"], "", role, args))


def dispatch(router: str, incident: str, department: str) -> None:
    """A village's case passed on, accepted and dispatched to `department` by the room."""
    with staff_client(router) as desk:
        step(desk, incident, Action.PASS_UP, Role.GRID_LEADER)
        step(desk, incident, Action.ACCEPT, Role.SUPERVISOR)
        step(desk, incident, Action.DISPATCH, Role.SUPERVISOR, department=department)
