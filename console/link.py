"""The console's live link to the backend: a thread plus the signals it emits.

The thread (console.link_worker.LinkWorker) owns the DEALER and SUB sockets and follows the
Clone pattern through client.clone's CloneFollower: hello, subscribe, first message, snapshot
at seq N, then N+1, N+2, …; a gap, a heartbeat ahead of us or a new backend session means
resync. A backend still loading its store answers `starting`: the link says so
(LinkState.STARTING, with how long) and keeps asking, rather than calling it unreachable.
Every request but the hello goes out under the user's login (docs/security.md): without one
the link waits in LOGIN_NEEDED for `log_in()`; the login outlives reconnections and backend
restarts, and ends at logout or when the backend says it has.
Silence turns the link stale, then into a reconnect. The thread only emits signals; the GUI
reaches it through a queue woken by an inproc pipe. Widgets never see this class: they get a
`RequestPort` (console.request_port), which it is; only the composition root (console.app)
knows the link.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import Any

import zmq
from PySide6.QtCore import QObject, Signal

from client.curve import ClientKeys
from client.request import Login
from console.link_state import LinkState
from console.link_timing import LinkTiming
from console.link_worker import LinkWorker
from console.request_port import PendingReply, ReplyRouter
from domain.wire import Message

__all__ = ["BackendLink", "LinkState", "LinkTiming"]


class BackendLink(QObject):
    """Emits from the worker thread; receivers in the GUI thread get queued calls."""

    state_changed = Signal(str, float)  # LinkState, seconds since the last message (STARTING:
    # since the backend was first seen starting)
    camera_credentials_received = Signal(object)  # {camera: {main|sub: {user, password}}}
    township_received = Signal(object, object)  # Township, DeadlineRules (None: an older backend)
    snapshot_received = Signal(object, int)  # list[Incident], seq
    incidents_updated = Signal(object)  # list[Incident], in seq order
    incidents_left = Signal(object)  # list[str]: ids out of the login's scope now
    backend_session_changed = Signal(str)
    reply_received = Signal(str, object)  # request id, Message (an `error` reply included)
    indicators_received = Signal(object)  # the backend's `metric.indicators` body
    logged_in = Signal(object)  # client.request.Login
    login_refused = Signal(str, str)  # error code, the backend's words (or the link's)

    def __init__(
        self,
        timing: LinkTiming | None = None,
        updates: str | None = None,
        keys: ClientKeys | None = None,
    ) -> None:
        """`updates`: take published updates from here (a fan-out proxy) instead of the
        backend's own PUB. `keys`: CurveZMQ on both sockets; None: plain text."""
        super().__init__()
        self.keys = keys
        self._commands: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        wake_endpoint = f"inproc://link-wake-{id(self)}"
        wake_in = context.socket(zmq.PAIR)
        wake_in.bind(wake_endpoint)
        self._wake_out_lock = threading.Lock()
        self._wake_out = context.socket(zmq.PAIR)
        self._wake_out.connect(wake_endpoint)
        self._worker = LinkWorker(
            self, timing or LinkTiming(), updates, keys, self._commands, wake_in
        )
        self._thread = threading.Thread(target=self._worker.run, name="backend-link", daemon=True)
        self._router = ReplyRouter(self)
        self.reply_received.connect(self._router.route)  # queued: routed on the GUI thread

    @property
    def resyncs(self) -> int:
        """How many times the update stream broke and a new snapshot was taken."""
        return self._worker.resyncs

    @property
    def applied_updates(self) -> int:
        return self._worker.applied_updates

    @property
    def login(self) -> Login | None:
        """The login requests go out under (set on the worker thread)."""
        return self._worker.login

    @property
    def refusal(self) -> str:
        """Why the backend refuses this console, while it does (LinkState.REFUSED)."""
        return self._worker.refusal

    # --- called from the GUI thread -------------------------------------------------------

    def start(self, endpoint: str | None = None) -> None:
        if endpoint:
            self.connect_to(endpoint)
        self._thread.start()

    def connect_to(self, endpoint: str) -> None:
        """(GUI thread) Point the link at a backend; a running link drops its sockets first."""
        self._command("connect", endpoint)

    def log_in(self, user: str, password: str) -> None:
        """(GUI thread) Log in (again, or as someone else); the answer comes as `logged_in` or
        `login_refused`."""
        self._command("login", (user, password))

    def log_out(self) -> None:
        """(GUI thread) End the login on the backend; the link then waits for the next."""
        self._command("logout", None)

    def stop(self, timeout: float = 3.0) -> None:
        """(GUI thread) Cooperative stop with a bounded wait."""
        self._worker.stopping.set()
        self._command("stop", None)
        if self._thread.is_alive():
            self._thread.join(timeout)
        with self._wake_out_lock:
            self._wake_out.close(linger=0)

    def backend_starting(self, starting: bool) -> None:
        """(Any thread) The embedded backend's child runs but is not READY yet (True), or has
        exited (False): until it answers, say "starting", not "unreachable"."""
        self._command("starting", starting)

    @property
    def secure(self) -> bool:
        return self.keys is not None

    def request(self, type_: str, body: dict[str, Any], timeout: float = 5.0) -> PendingReply:
        """(GUI thread) RequestPort: send a request over the link; its answer comes on the
        returned object. Without a connection, or without an answer in `timeout` seconds, it
        is refused (`not_connected`, `timeout`): a request is never silently held back."""
        msg = Message(type_, body)
        pending = self._router.expect(msg.id, type_)
        self._command("request", (msg, timeout))
        return pending

    def send_request(self, type_: str, body: dict[str, Any], timeout: float = 5.0) -> str:
        """(GUI thread) A request whose answer nobody waits for (or that a test reads from
        `reply_received`); returns its id."""
        return self.request(type_, body, timeout).request_id

    def _command(self, name: str, arg: Any) -> None:
        self._commands.put((name, arg))
        with self._wake_out_lock:
            if not self._wake_out.closed:
                # a nudge only (the command is queued): a worker gone, or with wakes enough
                # unread already, needs no more (Again under a loaded suite, at a stop)
                with contextlib.suppress(zmq.Again):
                    self._wake_out.send(b"", zmq.NOBLOCK)
