"""The link's worker thread: it owns the DEALER and SUB sockets and does the talking.

One object per link, used only on its thread (attributes of a plain object cost a tenth of a
QObject's, which matters in the update loop). It feeds the Clone follower (client.clone) and
emits, through the link's signals (`out`), what the follower decides: snapshot, updates,
figures, resyncs. A backend answering `starting` is told apart from one that does not answer.
Commands from the GUI thread arrive on a queue woken by an inproc pipe.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import random
import threading
import time
from typing import TYPE_CHECKING, Any

import zmq

from client.clone import CloneBroken, CloneFollower, Verdict
from client.curve import NOT_ENROLLED, ClientKeys, HandshakeWatch
from client.request import Login, read_answer
from console.link_errors import (
    OPTIONAL,
    _LoggedOut,
    _NewTownship,
    _Reconnect,
    _Refused,
    _Resync,
    _Starting,
)
from console.link_requests import RequestsInFlight
from console.link_state import LinkState
from console.link_timing import LinkTiming, pacer
from domain.access import may_send
from domain.deadlines import DeadlineRules
from domain.township import Township
from domain.township_parts import TownshipParts
from domain.wire import ErrorCode, Message, MsgType, ProtocolError, encode

if TYPE_CHECKING:
    from console.link import BackendLink

log = logging.getLogger("console.link")


class LinkWorker:
    """The link's thread side: sockets, login, the Clone follower, requests in flight."""

    def __init__(
        self,
        out: BackendLink,
        timing: LinkTiming,
        updates: str | None,
        keys: ClientKeys | None,
        commands: queue.SimpleQueue[tuple[str, Any]],
        wake_in: zmq.Socket[bytes],
    ) -> None:
        """`out`: whose signals to emit; `commands` and `wake_in`: what the GUI thread sends
        and the pipe that wakes this thread for it."""
        self.out = out
        self.timing = timing
        self.updates = updates
        self.keys = keys
        self.refusal = ""
        """Why the backend refuses this console, while it does (LinkState.REFUSED)."""
        self._watch: HandshakeWatch | None = None
        self.resyncs = 0
        self._commands = commands
        self._context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        self._wake_in = wake_in
        self.stopping = threading.Event()
        self.endpoint: str | None = None
        self._follower = CloneFollower()
        self._township: Township | None = None
        self._starting_since: float | None = None
        """Since when the backend has been starting (answering `starting`, or the embedded one
        not READY yet); None: not starting as far as we know."""
        self._state = LinkState.WAITING
        self._last_heard = time.monotonic()
        self.applied_updates = 0
        self._dealer: zmq.Socket[bytes] | None = None
        self._pending = RequestsInFlight(self.out.reply_received.emit)
        self.login: Login | None = None
        """The login requests go out under."""
        self._credentials: tuple[str, str] | None = None
        """Kept only until the backend answers the login."""
        self._kept_alive = time.monotonic()

    def run(self) -> None:
        """(Worker thread) The thread's body, until `stopping` is set."""
        backoff = 0.5
        try:
            while not self.stopping.is_set():
                if self.endpoint is None:
                    starting = self._starting_since is not None
                    self._set_state(LinkState.STARTING if starting else LinkState.WAITING, starting)
                    self._wait_commands(0.5)
                    continue
                try:
                    self._session_loop(self.endpoint)
                    backoff = 0.5
                except _Reconnect as e:
                    if self.stopping.is_set():
                        break
                    quiet = isinstance(e, _Starting)  # every half second while it loads
                    log.log(logging.DEBUG if quiet else logging.INFO, "link lost: %s", e)
                    backoff = self._after_loss(e, backoff)
        finally:
            self._wake_in.close(linger=0)

    def _after_loss(self, e: _Reconnect, backoff: float) -> float:
        """Say why the connection ended, wait before the next; returns the next backoff. A
        starting backend is asked again soon, however long it takes."""
        if isinstance(e, _Starting):
            if self._starting_since is None:
                self._starting_since = time.monotonic()
            self._set_state(LinkState.STARTING, force=True)
            self._wait_commands(self.timing.starting_retry)
            return 0.5
        if isinstance(e, _Refused):
            self.refusal = str(e)
            self._set_state(LinkState.REFUSED, force=True)
        elif isinstance(e, _LoggedOut):
            self.login = None
            self.out.login_refused.emit(e.code, str(e))
            backoff = 0.25
        elif self._starting_since is not None:
            self._set_state(LinkState.STARTING, force=True)
        else:
            self._set_state(LinkState.RECONNECTING)
        self._wait_commands(backoff * random.uniform(0.8, 1.2))
        return min(backoff * 2, self.timing.max_backoff)

    def _wait_commands(self, timeout: float) -> None:
        if self._wake_in.poll(int(timeout * 1000)):
            self._drain_commands()

    def _drain_commands(self) -> bool:
        """Apply queued commands; True when the current connection must be dropped."""
        while self._wake_in.poll(0):
            self._wake_in.recv()
        restart = False
        while True:
            try:
                name, arg = self._commands.get_nowait()
            except queue.Empty:
                return restart
            if name == "connect" and arg != self.endpoint:
                self.endpoint = arg
                restart = True
            elif name == "stop":
                restart = True
            elif name == "starting":
                if not arg:
                    self._starting_since = None
                elif self._starting_since is None:
                    self._starting_since = time.monotonic()
            elif name in ("login", "logout"):
                if self.login is not None:  # someone else, or nobody: this login ends first
                    if self._dealer is not None:
                        self._dealer.send(encode(self._message(MsgType.LOGOUT)))
                    self.login = None
                    restart = True
                self._credentials = arg
            elif name == "request":
                self._send_request(*arg)

    def _send_request(self, msg: Message, timeout: float) -> None:
        if self._dealer is None or self._state not in (
            LinkState.LIVE,
            LinkState.STALE,
            LinkState.RESYNCING,
        ):
            self._pending.answer_locally(msg.id, "not_connected", "no connection to the backend")
            return
        if self.login is not None:
            msg = dataclasses.replace(msg, session=self.login.token)
        self._dealer.send(encode(msg))
        self._pending.sent(msg.id, timeout)

    def _sockets(self) -> tuple[zmq.Socket[bytes], zmq.Socket[bytes]]:
        """A connection's DEALER and SUB, with this console's key when it has one."""
        dealer = self._context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.setsockopt(zmq.SNDTIMEO, int(self.timing.request_timeout * 1000))  # not for ever
        sub = self._context.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.setsockopt(zmq.RCVHWM, 200_000)
        if self.keys is not None:
            self.keys.apply(dealer)
            self.keys.apply(sub)
            self._watch = HandshakeWatch(dealer)
        return dealer, sub

    def _session_loop(self, endpoint: str) -> None:
        """One connection: hello, subscribe, snapshot, stream. Returns when told to restart."""
        follower = self._follower
        self._set_state(LinkState.CONNECTING if not follower.session else LinkState.RECONNECTING)
        dealer, sub = self._sockets()
        try:
            dealer.connect(endpoint)
            self._dealer = dealer
            welcome = self._welcome(dealer)
            self._starting_since = None  # answered as a ready backend does
            host = endpoint.rsplit(":", 1)[0]
            sub.connect(self.updates or f"{host}:{welcome.body['pub_port']}")
            if follower.welcomed(welcome.body["session"]):
                self.out.backend_session_changed.emit(follower.session)
                self._township = None
            self._ensure_login(dealer)
            assert self.login is not None
            sub.setsockopt(zmq.SUBSCRIBE, self.login.topic)  # the login's own stream
            if self._township is None:
                self._township = self._ask_township(dealer)
            # Wait until the subscription delivers something (the 1 s heartbeat at the latest):
            # only then is a snapshot guaranteed to be followed by every later update.
            if not sub.poll(int(1000 * (self.timing.stale_after + 1))):
                raise _Reconnect("no heartbeat on the update stream")
            follower.stream_delivered()
            while not self.stopping.is_set():
                try:
                    self._snapshot(dealer)
                    if self._stream(dealer, sub):
                        return
                except _Resync as e:
                    if isinstance(e, _NewTownship):
                        self._township = self._ask_township(dealer)
                    log.info("resync: %s", e)
                    self.resyncs += 1
                    self._set_state(LinkState.RESYNCING)
        except zmq.Again:  # a send found no connection in time (a key refused at the handshake)
            failure = self._watch.check() if self._watch is not None else None
            raise _Refused(failure) if failure else _Reconnect("no connection to send on") from None
        finally:
            follower.lost()
            self._dealer = None
            self._pending.expire(all_of_them=True)
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            dealer.close(linger=0)
            sub.close(linger=0)

    def _ask_township(self, dealer: zmq.Socket[bytes]) -> Township:
        """The township, with the deadline rules (and so the time zone) it keeps."""
        first = self._request(dealer, MsgType.TOWNSHIP_REQUEST)
        parts = TownshipParts()
        body = parts.add(first.body)
        while body is None:  # a county's township comes in parts
            part = self._await_reply(dealer, first.reply_to, MsgType.TOWNSHIP_REQUEST)
            body = parts.add(part.body)
        township = Township.from_dict(body["township"], body["categories"], body["platform_set"])
        rules = DeadlineRules(body["deadline_rules"]) if "deadline_rules" in body else None
        if self.login is not None and may_send(self.login.role, MsgType.CAMERA_CREDENTIALS_REQUEST):
            # before the township: the wall opens its cameras with them at once
            answer = self._request(dealer, MsgType.CAMERA_CREDENTIALS_REQUEST)
            known = answer.body.get("cameras", {}) if answer.type != MsgType.ERROR else {}
            self.out.camera_credentials_received.emit(known)
        self.out.township_received.emit(township, rules)
        return township

    def _snapshot(self, dealer: zmq.Socket[bytes]) -> None:
        self._set_state(LinkState.RESYNCING)
        first = self._request(dealer, MsgType.SNAPSHOT_REQUEST)
        try:
            snapshot = self._follower.snapshot_part(first)
            while snapshot is None:
                part = self._await_reply(dealer, first.reply_to, MsgType.SNAPSHOT_REQUEST)
                snapshot = self._follower.snapshot_part(part)
        except CloneBroken as e:
            raise _Reconnect(str(e)) from None
        self.out.snapshot_received.emit(snapshot.incidents, snapshot.seq)
        self._heard()
        self._set_state(LinkState.LIVE)

    def _stream(self, dealer: zmq.Socket[bytes], sub: zmq.Socket[bytes]) -> bool:
        """Apply updates until a restart is asked for (True) or something breaks (raises)."""
        everything = zmq.Poller()
        for socket in (sub, self._wake_in, dealer):
            everything.register(socket, zmq.POLLIN)
        no_updates = zmq.Poller()  # while pacing: commands and replies, not updates
        no_updates.register(self._wake_in, zmq.POLLIN)
        no_updates.register(dealer, zmq.POLLIN)
        next_drain = 0.0
        while not self.stopping.is_set():
            pacing = next_drain - time.monotonic()
            if pacing > 0:
                events = dict(no_updates.poll(int(pacing * 1000) + 1))
            else:
                events = dict(everything.poll(250))
            if events.get(self._wake_in) and self._drain_commands():
                return True
            if events.get(sub):
                self._drain_updates(sub)
                next_drain = time.monotonic() + self.timing.batch_window
            if events.get(dealer):
                self._drain_replies(dealer)
            if self._pending:
                self._pending.expire()
            if time.monotonic() - self._kept_alive > self.timing.keepalive:
                self._kept_alive = time.monotonic()
                dealer.send(encode(self._message(MsgType.HELLO)))
            silent = time.monotonic() - self._last_heard
            if silent > self.timing.reconnect_after:
                raise _Reconnect(f"nothing heard for {silent:.0f} s")
            if silent > self.timing.stale_after:
                self._set_state(LinkState.STALE, force=True)
        return True

    def _drain_updates(self, sub: zmq.Socket[bytes]) -> None:
        """Everything waiting, as one batch; then the stream rests for `batch_window`. A lone
        update goes out at once, a burst in batches at most 25 times a second.

        All waiting frames are received before any is decoded. Each receive lets go of the GIL
        and takes it straight back, and CPython does not hand the GIL to a thread that waited
        while it changed hands; so a loop of receive-and-decode kept the GUI thread from
        running any Python for the whole drain (40-50 ms under a burst, measured). A loop of
        pure decoding is preempted every switch interval like any other Python code."""
        frames: list[list[bytes]] = []
        for _ in range(20_000):
            try:
                frames.append(sub.recv_multipart(zmq.NOBLOCK))
            except zmq.Again:
                break
        followed = self._follower.follow(frames, pacer(self.timing))
        if followed.heard:
            self._heard()
        for figures in followed.indicators:
            self.out.indicators_received.emit(figures)
        if followed.incidents:
            self.applied_updates += len(followed.incidents)
            self.out.incidents_updated.emit(followed.incidents)
        if followed.left:
            self.out.incidents_left.emit(followed.left)
        if followed.verdict == Verdict.TOWNSHIP:
            raise _NewTownship(followed.reason)
        if followed.verdict == Verdict.RESYNC:
            raise _Resync(followed.reason)
        if followed.verdict == Verdict.RECONNECT:
            raise _Reconnect(followed.reason)

    def _drain_replies(self, dealer: zmq.Socket[bytes]) -> None:
        while True:
            try:
                frames = dealer.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            try:
                reply = read_answer(dealer, frames[-1], self._token())
            except ProtocolError as e:
                log.warning("undecodable reply dropped: %s", e)
                continue
            if self._pending.route(reply) and reply.body.get("code") == ErrorCode.NOT_LOGGED_IN:
                raise _LoggedOut(str(reply.body.get("detail")))

    def _message(self, type_: str, body: dict[str, Any] | None = None) -> Message:
        return Message(type_, body or {}, session=self._token())

    def _token(self) -> str:
        return self.login.token if self.login else ""

    def _welcome(self, dealer: zmq.Socket[bytes]) -> Message:
        """Hello; a login that ended while we were away (its stream too) is asked for again."""
        welcome = self._request(dealer, MsgType.HELLO)
        if welcome.body.get("logged_in") is False:
            self.login = None
            self.out.login_refused.emit(ErrorCode.NOT_LOGGED_IN, "the login has ended")
        return welcome

    def _request(self, dealer: zmq.Socket[bytes], type_: str) -> Message:
        msg = self._message(type_)
        dealer.send(encode(msg))
        return self._await_reply(dealer, msg.id, type_)

    def _ensure_login(self, dealer: zmq.Socket[bytes]) -> None:
        """Connected: log in with the credentials given, or wait for them."""
        while self.login is None:
            if self.stopping.is_set():
                raise _Reconnect("stopping")
            if self._credentials is None:
                self._set_state(LinkState.LOGIN_NEEDED)
                if self._wake_in.poll(250) and self._drain_commands():
                    raise _Reconnect("restart requested")
                continue
            (user, password), self._credentials = self._credentials, None
            msg = self._message(MsgType.LOGIN, {"user": user, "password": password})
            dealer.send(encode(msg))
            reply = self._await_reply(dealer, msg.id, MsgType.LOGIN, self.timing.login_timeout)
            if reply.type == MsgType.ERROR:
                self.out.login_refused.emit(
                    str(reply.body.get("code")), str(reply.body.get("detail"))
                )
                continue
            self.login = Login.from_wire(reply.body)
            self._kept_alive = time.monotonic()
            self.out.logged_in.emit(self.login)

    def _await_reply(
        self, dealer: zmq.Socket[bytes], request_id: str, type_: str, timeout: float = 0.0
    ) -> Message:
        """The answer; an error answer raises, but a login's is returned to be told."""
        timeout = timeout or self.timing.request_timeout
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if self._wake_in.poll(0) and self._drain_commands():
                raise _Reconnect("restart requested")
            if not dealer.poll(int(min(left, 0.1) * 1000) + 1):
                continue
            try:
                reply = read_answer(dealer, dealer.recv_multipart()[-1], self._token())
            except ProtocolError:
                continue
            if reply.reply_to != request_id:
                self._pending.route(reply)
                continue
            if reply.type == MsgType.ERROR:
                code = reply.body.get("code")
                detail = f"backend refused {type_}: {reply.body.get('detail')}"
                if code == ErrorCode.STARTING:
                    raise _Starting(detail)
                if code == ErrorCode.NOT_ENROLLED:
                    raise _Refused(NOT_ENROLLED)
                if code == ErrorCode.NOT_LOGGED_IN:
                    raise _LoggedOut(detail)
                if code == ErrorCode.NOT_ALLOWED and type_ != MsgType.LOGIN:
                    dealer.send(encode(self._message(MsgType.LOGOUT)))  # no use to anyone
                    raise _LoggedOut(detail, ErrorCode.NOT_ALLOWED)
                if type_ == MsgType.LOGIN or (type_ in OPTIONAL and code == ErrorCode.UNKNOWN_TYPE):
                    return reply
                raise _Reconnect(detail)
            return reply
        failure = self._watch.check() if self._watch is not None else None
        if failure is not None:
            raise _Refused(failure)
        raise _Reconnect(f"no answer to {type_} in {timeout:.0f} s")

    def _heard(self) -> None:
        self._last_heard = time.monotonic()
        if self._state == LinkState.STALE:
            self._set_state(LinkState.LIVE)

    def _set_state(self, state: LinkState, force: bool = False) -> None:
        if state != self._state or force:
            self._state = state
            since = self._starting_since if state == LinkState.STARTING else None
            self.out.state_changed.emit(state.value, time.monotonic() - (since or self._last_heard))
