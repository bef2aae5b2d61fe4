"""The live state service: answers requests on a ROUTER, publishes every change on a PUB.

After the Clone pattern of the ZeroMQ guide: the service keeps the live incidents in memory,
publishes every committed change with a strictly increasing sequence number under this run's
session id, and a heartbeat carries the current sequence, so that a client can tell a gap or a
restarted backend and resync. Everything runs on the thread that calls `serve()`: it owns both
sockets and does every commit, so "commit, then publish seq N" needs no lock.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import zmq
from zmq.utils.monitor import recv_monitor_message

from backend.authenticator import (
    EnrolledAuthenticator,
    bind_publisher,
    secure_server_socket,
)
from backend.keyring import KeyRing, KeyRingError
from backend.passwords import check_password, dummy_hash
from backend.sessions import IDLE_S, Session, SessionBook, new_token, token_hash
from backend.store import PatrolConflict, ReportConflict, Store
from backend.throttled_log import ThrottledLog
from backend.user_store import User, UserError, UserStore
from domain.access import ACCESS, GRID, PUBLIC, may_send
from domain.audit import AuditChain, AuditEntry, witness_line
from domain.camera_health import CameraHealth, CameraReportError
from domain.evaluation import DIMENSIONS as EVALUATION_DIMENSIONS
from domain.evaluation import MAX_DAYS, PATROL_DIMENSIONS, evaluate
from domain.incident import Channel, FieldReport, Incident, ReportError
from domain.indicator_history import (
    HISTORY_DAYS,
    STEPS,
    MinuteCounter,
    MinuteRow,
    backfill,
    minute_of,
    series,
)
from domain.indicators import IndicatorBook
from domain.lifecycle import CLIENT_ACTIONS, Action, Change, Command, LifecycleError
from domain.lifecycle import ErrorCode as LifecycleCode
from domain.patrol import PatrolBook, PatrolError, PatrolReport, accept_patrol
from domain.personal_data import contact, masked, masked_change
from domain.replay_guard import ReplayGuard
from domain.township import Role, Township
from domain.wire import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    ErrorCode,
    Message,
    MsgType,
    ProtocolError,
    decode,
    encode,
    error_reply,
    new_id,
)

log = logging.getLogger(__name__)

HANDSHAKE_FAILURES = (
    zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
)
CHANGING = frozenset(
    {
        MsgType.COMMAND,
        MsgType.REPORT_SUBMIT,
        MsgType.PATROL_SUBMIT,
        MsgType.ATTACHMENT_ADD,
        MsgType.CAMERA_HEALTH,
        MsgType.ADMIN_USER_SET,
        MsgType.ADMIN_KEY_REVOKE,
    }
)
"""Requests that change something: refused when stale or replayed (domain.replay_guard)."""
AUDITED = CHANGING | {MsgType.LOGOUT, MsgType.REVEAL_REQUEST, MsgType.AUDIT_REQUEST}
"""Requests recorded in the audit trail with their result (logins are recorded by their own)."""
MAX_AUDIT_PAGE = 1000
WITNESS_EVERY = 3600.0
witness_log = logging.getLogger("backend.audit_witness")
HANDSHAKE_LOG_EVERY = 5.0
REFUSAL_LOG_EVERY = 1.0
MONITOR_EVENTS_PER_TICK = 1000
CONNECTION_EVENTS = (
    HANDSHAKE_FAILURES | zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED
)
HARD_MAX_MESSAGE_BYTES = 4 * MAX_MESSAGE_BYTES
"""ZMQ_MAXMSGSIZE: a peer sending more is disconnected by ZeroMQ before we read anything.
Between MAX_MESSAGE_BYTES and this, the sender gets a clear `too_large` error reply."""
PUB_SNDHWM = 100_000
"""Updates queued per slow subscriber before ZeroMQ drops; the subscriber then sees a gap and
resyncs, which costs less than letting one stuck console grow the backend's memory."""
SNAPSHOT_CHUNK = 500
"""Incidents per snapshot message at most (fewer when they would not fit MAX_MESSAGE_BYTES):
a large snapshot goes out between other work, never as one long blocking send."""
CLOSED_WINDOW = 24 * 3600.0
"""Ended incidents stay in snapshots this long, so a console shows what closed today."""
INDICATORS_EVERY = 5.0
"""Seconds between `metric.indicators` updates when nothing changed."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    router: str
    pub: str


@dataclass(slots=True)
class _SnapshotJob:
    envelope: list[bytes]
    request_id: str
    seq: int
    incidents: list[dict[str, Any]]
    offset: int = 0
    chunk: int = 0


@dataclass(slots=True)
class _Peer:
    window: float = 0.0
    count: int = 0
    warned: bool = False


@dataclass(slots=True)
class _Pending:
    """A report waiting for its group commit."""

    envelope: list[bytes]
    request: Message
    report: FieldReport
    who: Session | None


_Finish = Callable[[], Message]
"""A slow job's last step, taken back on the serve loop (a login's session and audit entry)."""


class _Refusal(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class ServerStats:
    requests: int = 0
    reports_committed: int = 0
    commits: int = 0
    refused: int = 0
    rate_limited: int = 0
    published: int = 0
    indicators_published: int = 0
    handshakes_failed: int = 0
    by_error: dict[str, int] = field(default_factory=dict)


class LiveStateServer:
    _who: Session | None = None
    """The logged-in session of the request in hand (None before login)."""
    _users_seen = 0.0
    """The last change to the users seen (`_check_users`)."""
    _witnessed = -WITNESS_EVERY

    def __init__(
        self,
        store: Store,
        township: Township,
        router_endpoint: str,
        pub_endpoint: str,
        heartbeat_interval: float = 1.0,
        peer_rate_limit: int = 20_000,
        context: zmq.Context[Any] | None = None,
        keyring: KeyRing | None = None,
    ) -> None:
        """`keyring`: CurveZMQ on both sockets, only enrolled keys let in (docs/security.md);
        None: plain text, for one machine only (logged as a warning)."""
        self.store = store
        self.township = township
        self.session = new_id()
        self.seq = 0
        self.heartbeat_interval = heartbeat_interval
        self.peer_rate_limit = peer_rate_limit
        self.stats = ServerStats()
        self._context = context or zmq.Context.instance()
        self._router_endpoint = router_endpoint
        self._pub_endpoint = pub_endpoint
        self._router: zmq.Socket[bytes] | None = None
        self._pub: zmq.Socket[bytes] | None = None
        self.keyring = keyring
        self._authenticator: EnrolledAuthenticator | None = None
        self._enrolled_names: frozenset[str] = frozenset()
        self._monitor: zmq.Socket[bytes] | None = None
        """The request socket's connections, to log failed handshakes (a NULL or unenrolled
        client, garbage): ZeroMQ itself drops them in silence."""
        self._unshaken = 0  # connections accepted and not yet through a handshake
        self._handshake_log = ThrottledLog(log, HANDSHAKE_LOG_EVERY)
        self.refusal_log = ThrottledLog(log, REFUSAL_LOG_EVERY)
        self.denial_log = ThrottledLog(log, REFUSAL_LOG_EVERY)
        """Refusals for want of a login or a role, apart: bad input must not hide them."""
        self._live: dict[str, dict[str, Any]] = {}
        self._snapshots: deque[_SnapshotJob] = deque()
        self._peers: dict[bytes, _Peer] = {}
        self._replays = ReplayGuard()
        self.audit_chain = AuditChain()
        self._audit_queue: list[AuditEntry] = []
        self._audit_pruned = -3600.0
        self._holding = False
        self._held: list[tuple[list[bytes], Message]] = []
        self._console = "plain"
        """The enrolled name of the key the request in hand came with ("plain" without keys)."""
        self.users = UserStore(store)
        self.sessions = SessionBook()
        self._handlers = self._request_handlers()
        self.cameras = CameraHealth(list(township.cameras))
        self.patrols = PatrolBook(list(township.grids), store.rules.calendar.tz)
        # Requests that read much of the store (a period's evaluation: seconds; 30 days of
        # history: 100 ms, asked by every console on every reconnection) are checked here and
        # answered from a thread of their own, so that updates and commands go on meanwhile;
        # the answers are sent from the serve loop, which owns the socket.
        # A login's password hash (0.4 s) likewise; its session is made back on the loop.
        self._slow: dict[str, Callable[[Message], Callable[[], Message | _Finish]]] = {
            MsgType.EVALUATION_REQUEST: self._evaluation_job,
            MsgType.HISTORY_REQUEST: self._history_job,
            MsgType.LOGIN: self._login_job,
        }
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="slow-requests")
        self._slow_pending = 0  # asked and not yet answered
        self._slow_done: deque[tuple[list[bytes], Message | _Finish]] = deque()
        self.indicators = IndicatorBook(
            store.rules.calendar.tz, lambda category: _platform_of(township, category)
        )
        self._indicators_changed = False
        self._indicators_sent = 0.0
        self.minutes = MinuteCounter(time.time())
        self.last_minute: MinuteRow | None = None

    def _request_handlers(self) -> dict[str, Callable[[Message], Message]]:
        """Requests answered at once on the serve loop (the slow ones: `_slow`)."""
        return {
            MsgType.HELLO: self._on_hello,
            MsgType.TOWNSHIP_REQUEST: self._on_township_request,
            MsgType.COMMAND: self._on_command,
            MsgType.ATTACHMENT_ADD: self._on_attachment_add,
            MsgType.DETAIL_REQUEST: self._on_detail_request,
            MsgType.ATTACHMENT_REQUEST: self._on_attachment_request,
            MsgType.INDICATORS_REQUEST: self._on_indicators_request,
            MsgType.CAMERA_HEALTH: self._on_camera_health,
            MsgType.PATROL_SUBMIT: self._on_patrol_submit,
            MsgType.LOGOUT: self._on_logout,
            MsgType.REVEAL_REQUEST: self._on_reveal_request,
            MsgType.AUDIT_REQUEST: self._on_audit_request,
            MsgType.ADMIN_USERS_REQUEST: self._on_admin_users_request,
            MsgType.ADMIN_USER_SET: self._on_admin_user_set,
            MsgType.ADMIN_KEYS_REQUEST: self._on_admin_keys_request,
            MsgType.ADMIN_KEY_REVOKE: self._on_admin_key_revoke,
        }

    def bind(self) -> Endpoints:
        """Bind both sockets (a `*` port picks a free one) and return where they listen."""
        if self.keyring is not None:
            self._authenticator = EnrolledAuthenticator(self._context, self.keyring)
            self._authenticator.start()
            self._enrolled_names = self.keyring.names()
        else:
            log.warning(
                "PLAIN TEXT: no keys, so anyone who reaches %s can read and command; "
                "for one machine only (docs/security.md)",
                self._router_endpoint,
            )
        router = self._context.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        if self.keyring is not None:
            secure_server_socket(router, self.keyring)
        router.setsockopt(zmq.MAXMSGSIZE, HARD_MAX_MESSAGE_BYTES)
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # a reply to a vanished peer raises
        router.setsockopt(zmq.SNDHWM, 10_000)
        router.bind(self._router_endpoint)
        self._router, self._pub = router, self._bind_pub(self._pub_endpoint)
        if self.keyring is not None:
            self._monitor = router.get_monitor_socket(CONNECTION_EVENTS)
        # One read for both: what consoles are sent (open, or ended in the last day) and what
        # the indicators need (open, or changed since yesterday or this month began).
        now = time.time()
        since = self._indicators_since(now)
        incidents = self.store.live_incidents(since)
        ended_since = now - CLOSED_WINDOW
        self._live = {
            i.id: masked(i).to_wire() for i in incidents if i.is_open or i.updated_at >= ended_since
        }
        self._restore_sessions(now)
        changes = self.store.changes_since(since)
        self.audit_chain = AuditChain(*self.store.audit_head())
        self.indicators.rebuild(incidents, changes, now)
        for patrol in self.store.patrols(since, now + 86_400):
            self.patrols.add(patrol)
        self._indicators_changed = True
        # The minutes a stopped backend did not store, and the one in progress, from the log.
        self.store.add_minutes(backfill(changes, self.store.last_minute(), now), now)
        self.minutes = MinuteCounter(now)
        for change in changes:
            if change.at >= self.minutes.minute:
                self.minutes.record(change)
        return Endpoints(
            router.getsockopt_string(zmq.LAST_ENDPOINT),
            self._pub.getsockopt_string(zmq.LAST_ENDPOINT),
        )

    def _bind_pub(self, endpoint: str) -> zmq.Socket[bytes]:
        return bind_publisher(self._context, zmq.PUB, endpoint, self.keyring, PUB_SNDHWM)

    def _log_handshakes(self, monitor: zmq.Socket[bytes]) -> None:
        """Once a tick, at most `MONITOR_EVENTS_PER_TICK`: under a flood of connections,
        reading every event on the serve loop made its p99 latency 10× plain text (bench/
        security.py); past the monitor's queue ZeroMQ drops events, and the count becomes a
        lower bound. Events carry no peer, so a connection that closes before any handshake
        (not ZeroMQ at all: a port scan, garbage) is told by counting."""
        for _ in range(MONITOR_EVENTS_PER_TICK):
            if not monitor.poll(0):
                break
            event = recv_monitor_message(monitor)
            kind, where = event["event"], event["endpoint"].decode(errors="replace")
            if kind == zmq.EVENT_ACCEPTED:
                self._unshaken += 1
            elif kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self._unshaken = max(0, self._unshaken - 1)
            elif kind == zmq.EVENT_DISCONNECTED:
                if self._unshaken > 0:
                    self._unshaken -= 1
                    self._handshake_failed("a connection to %s closed before any handshake", where)
            else:  # a failed handshake; the disconnection follows
                self._unshaken = max(0, self._unshaken - 1)
                name = str(zmq.Event(kind).name).removeprefix("HANDSHAKE_FAILED_").lower()
                self._handshake_failed(
                    "a handshake on %s failed (%s, %s)", where, name, event["value"]
                )

    def _handshake_failed(self, line: str, *args: object) -> None:
        self.stats.handshakes_failed += 1
        self._handshake_log.warning(line, *args)

    def _check_revocations(self) -> None:
        """A key revoked while connected: its requests are refused from now on (`_admit`), and
        the update stream is bound afresh, so that every subscriber shakes hands again and the
        revoked one is left out (PUB cannot drop one subscriber). The others reconnect by
        themselves, see the gap and take a snapshot."""
        if self.keyring is None or self._pub is None:
            return
        names = self.keyring.names()
        revoked = self._enrolled_names - names
        for name in sorted(names - self._enrolled_names):
            self._audit("key folder", "administrator", "backend", "key.enrolled", name, "ok")
        for name in sorted(revoked):
            self._audit("key folder", "administrator", "backend", "key.revoked", name, "ok")
        for name in self.sessions.consoles() - names:  # even one enrolled and revoked in a tick
            self._end_sessions(self.sessions.end_where(console=name))
        self._flush_audit()
        self._enrolled_names = names
        if not revoked:
            return
        endpoint = self._pub.getsockopt_string(zmq.LAST_ENDPOINT)
        log.warning("revoked %s: the update stream is bound again", ", ".join(sorted(revoked)))
        self._pub.close(linger=0)
        self._pub = self._bind_pub(endpoint)

    def serve(self, stop: threading.Event) -> None:
        """Run until `stop` is set; closes the sockets on the way out."""
        router = self._router
        assert router is not None, "bind() first"
        poller = zmq.Poller()
        poller.register(router, zmq.POLLIN)
        next_tick = time.monotonic()
        try:
            while not stop.is_set():
                now = time.monotonic()
                if now >= next_tick:
                    if self._monitor is not None:
                        self._log_handshakes(self._monitor)
                    self._check_revocations()
                    self._check_users()
                    self._prune_audit()
                    self._witness_audit()
                    self._heartbeat()
                    self._sweep_deadlines()
                    self._store_minutes()
                    self._publish_indicators()
                    next_tick = now + self.heartbeat_interval
                longest = 10 if self._slow_pending else 100
                wait_ms = (
                    0 if self._snapshots else max(0, min(longest, int((next_tick - now) * 1000)))
                )
                if dict(poller.poll(wait_ms)).get(router):
                    self._drain(router)
                self._send_snapshot_chunks()
                self._send_slow_replies()
        finally:
            self._witness_audit(force=True)
            self._worker.shutdown(wait=False, cancel_futures=True)
            if self._monitor is not None:
                router.disable_monitor()
                self._monitor.close(linger=0)
            router.close(linger=0)
            if self._pub is not None:
                self._pub.close(linger=0)
            if self._authenticator is not None:
                self._authenticator.stop()

    def publish(self, type_: str, body: dict[str, Any]) -> int:
        """Publish one committed change; call only after its transaction has committed."""
        assert self._pub is not None
        self.seq += 1
        msg = Message(type_, body, session=self.session, seq=self.seq)
        self._pub.send_multipart([msg.topic, encode(msg)])
        self.stats.published += 1
        return self.seq

    # --- the request side -------------------------------------------------------------------

    def _drain(self, router: zmq.Socket[bytes]) -> None:
        """Read what is waiting (up to a bound, so heartbeats keep their rhythm); reports that
        arrive together are committed together."""
        self._holding = True
        try:
            self._drain_held(router)
        finally:
            self._holding = False
            self._flush_audit()
            held, self._held = self._held, []
            for envelope, reply in held:
                self._send(envelope, reply)

    def _drain_held(self, router: zmq.Socket[bytes]) -> None:
        pending: list[_Pending] = []
        secure = self.keyring is not None
        for _ in range(1000):
            try:
                if secure:
                    parts = router.recv_multipart(zmq.NOBLOCK, copy=False)
                    frames = [p.bytes for p in parts]
                    if not self._enrolled(parts[-1], frames):
                        continue
                    self._console = str(parts[-1].get("User-Id"))
                else:
                    frames = router.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            request = self._admit(frames)
            if request is None:
                continue
            envelope = frames[:-1]
            if not self._authorise(envelope, request):
                continue
            if request.type == MsgType.REPORT_SUBMIT:
                try:
                    report = FieldReport.from_wire(request.body)
                    self._check_places(report)
                    self._check_reporter(report)
                except ReportError as e:
                    self._audit_request(request, result=ErrorCode.INVALID)
                    self._refuse(envelope, ErrorCode.INVALID, str(e), request.id)
                    continue
                except _Refusal as e:
                    self._audit_request(request, result=e.code)
                    self._refuse(envelope, e.code, e.detail, request.id)
                    continue
                pending.append(_Pending(envelope, request, report, self._who))
                continue
            if pending:  # keep arrival order: earlier reports commit before this request runs
                self._commit_reports(pending)
                pending = []
            self._handle(envelope, request)
        if pending:
            self._commit_reports(pending)

    def _enrolled(self, frame: zmq.Frame, frames: list[bytes]) -> bool:
        """The handshake let this key in; is it still enrolled? (A revoked console's
        connection outlives its key: ZAP is asked only at the handshake.)"""
        assert self.keyring is not None
        user = frame.get("User-Id")
        if user in self.keyring.names():
            return True
        try:
            reply_to = decode(frames[-1]).id
        except ProtocolError:
            reply_to = ""
        detail = "this console's key is not enrolled"
        self._audit("", "", str(user), "request", "", ErrorCode.NOT_ENROLLED)
        self._refuse(frames[:-1], ErrorCode.NOT_ENROLLED, detail, reply_to)
        return False

    def _admit(self, frames: list[bytes]) -> Message | None:
        """Check the frames, the peer's rate and the envelope; answer any problem here."""
        identity = frames[0]
        envelope = frames[:-1]
        if len(frames) not in (2, 3) or (len(frames) == 3 and frames[1] != b""):
            self._refuse([identity], ErrorCode.MALFORMED, "expected one payload frame")
            return None
        if not self._within_rate(identity, envelope):
            return None
        self.stats.requests += 1
        try:
            request = decode(frames[-1])
        except ProtocolError as e:
            self._refuse(envelope, e.code, e.detail, e.reply_to)
            return None
        if request.type in CHANGING:
            why = self._replays.check(request.id, request.time, time.time())
            if why is not None:
                code = ErrorCode.REPLAYED if why == "replayed" else ErrorCode.STALE_MESSAGE
                self._audit_request(request, result=code)
                detail = (
                    "this message was received before; send a new one"
                    if why == "replayed"
                    else f"sent at {request.time:.0f}, more than {self._replays.window_s:.0f} s "
                    "from the backend's clock; check this machine's time"
                )
                self._refuse(envelope, code, detail, request.id)
                return None
        return request

    def _authorise(self, envelope: list[bytes], request: Message) -> bool:
        """Deny by default: the session's role, as the backend holds it, must be allowed the
        request's type (domain.access). Types nobody may send are answered as unknown."""
        self._who = None
        if request.type in PUBLIC or request.type not in ACCESS:
            if request.session:  # a console's keepalive hello
                self.sessions.find(request.session, self._console, time.time())
            return True
        session = self.sessions.find(request.session, self._console, time.time())
        if session is None:
            self._audit_request(request, result=ErrorCode.NOT_LOGGED_IN)
            detail = "log in first (no session, or it has ended)"
            self._refuse(envelope, ErrorCode.NOT_LOGGED_IN, detail, request.id)
            return False
        self._who = session
        if not may_send(session.role, request.type):
            self._audit_request(request, result=ErrorCode.NOT_ALLOWED, always=True)
            detail = f"a {session.role.value} may not send {request.type}"
            self._refuse(envelope, ErrorCode.NOT_ALLOWED, detail, request.id)
            return False
        return True

    def _check_reporter(self, report: FieldReport) -> None:
        """A grid app report is the logged-in grid worker's own."""
        who = self._who
        if (
            report.channel == Channel.GRID_APP
            and who is not None
            and who.role in GRID
            and report.reporter != who.name
        ):
            raise _Refusal(
                ErrorCode.NOT_ALLOWED,
                f"a grid app report is reported by the user logged in ({who.name})",
            )

    def _within_rate(self, identity: bytes, envelope: list[bytes]) -> bool:
        """A peer flooding us gets one `rate_limited` answer per second, then silence."""
        now = time.monotonic()
        peer = self._peers.get(identity)
        if peer is None:
            if len(self._peers) > 10_000:
                self._peers.clear()
            peer = self._peers[identity] = _Peer()
        if now - peer.window >= 1.0:
            peer.window, peer.count, peer.warned = now, 0, False
        peer.count += 1
        if peer.count <= self.peer_rate_limit:
            return True
        self.stats.rate_limited += 1
        if not peer.warned:
            peer.warned = True
            log.warning("peer %s is over %d messages/s", identity.hex(), self.peer_rate_limit)
            self._refuse(
                envelope, ErrorCode.RATE_LIMITED,
                f"more than {self.peer_rate_limit} messages in a second; slow down",
            )  # fmt: skip
        return False

    def _handle(self, envelope: list[bytes], request: Message) -> None:
        if request.type == MsgType.SNAPSHOT_REQUEST:
            self._start_snapshot(envelope, request)
            return
        slow = self._slow.get(request.type)
        if slow is not None:
            try:
                job = slow(request)
            except LifecycleError as e:
                self._refuse(envelope, e.code.value, e.detail, request.id)
                return
            except _Refusal as e:
                self._refuse(envelope, e.code, e.detail, request.id)
                return
            self._start_slow(envelope, request, job)
            return
        handler = self._handlers.get(request.type)
        if handler is None:
            self._refuse(
                envelope, ErrorCode.UNKNOWN_TYPE, f"unknown type {request.type!r}", request.id
            )
            return
        try:
            reply = handler(request)
        except LifecycleError as e:
            reply = error_reply(e.code.value, e.detail, request.id)
        except _Refusal as e:
            reply = error_reply(e.code, e.detail, request.id)
        except Exception:
            log.exception("handling %s failed", request.type)
            reply = error_reply(ErrorCode.INTERNAL, "the backend failed; see its log", request.id)
        self._audit_request(request, reply)
        if reply.type == MsgType.ERROR:
            self._count_refusal(envelope, str(reply.body.get("code")), str(reply.body["detail"]))
        self._send(envelope, reply)

    def _commit_reports(self, pending: list[_Pending]) -> None:
        try:
            results = self.store.intake_many([p.report for p in pending])
        except Exception:
            log.exception("storing %d reports failed; none acknowledged", len(pending))
            for p in pending:
                self._who = p.who
                self._audit_request(p.request, result=ErrorCode.INTERNAL)
                self._refuse(p.envelope, ErrorCode.INTERNAL, "not stored; send again", p.request.id)
            return
        self.stats.commits += 1
        for p, result in zip(pending, results, strict=True):
            self._who = p.who
            if isinstance(result, ReportConflict):
                self._audit_request(p.request, result=ErrorCode.CONFLICT)
                self._refuse(p.envelope, ErrorCode.CONFLICT, str(result), p.request.id)
                continue
            self._audit_request(p.request, result="ok" if result[1] else "ok, known already")
            incident, created = result
            seq = self.seq
            if created:
                self.stats.reports_committed += 1
                seq = self._changed(MsgType.INCIDENT_REPORTED, incident, None)
            body = {"incident": masked(incident).to_wire(), "created": created}
            self._send(p.envelope, p.request.reply(MsgType.REPORT_ACK, body, seq=seq))

    def _changed(self, type_: str, incident: Incident, change: Change | None) -> int:
        wire = masked(incident).to_wire()
        self._live[incident.id] = wire
        body: dict[str, Any] = {"incident": wire}
        if change is not None:
            body["change"] = masked_change(change.to_wire(), incident)
        change = change or _report_change(incident)
        self.indicators.record(incident, change)
        self.minutes.record(change)
        self.indicators.put(incident, time.time())
        self._indicators_changed = True
        return self.publish(type_, body)

    def _refuse(self, envelope: list[bytes], code: str, detail: str, reply_to: str = "") -> None:
        self._count_refusal(envelope, str(code), detail)
        self._send(envelope, error_reply(code, detail, reply_to))

    def _count_refusal(self, envelope: list[bytes], code: str, detail: str) -> None:
        """Every refusal is counted and logged (throttled, with counts)."""
        self.stats.refused += 1
        self.stats.by_error[code] = self.stats.by_error.get(code, 0) + 1
        denied = code in (ErrorCode.NOT_ALLOWED, ErrorCode.NOT_LOGGED_IN)
        (self.denial_log if denied else self.refusal_log).warning(
            "refused a request from %s (%s): %s: %.200s",
            envelope[0].hex() if envelope else "?", self._console, code, detail,
        )  # fmt: skip

    def _send(self, envelope: list[bytes], reply: Message) -> bool:
        """While a drain's requests are handled, replies wait for their audit entries to be
        written (`_drain`): an answer the client got is in the audit trail."""
        if self._holding:
            self._held.append((envelope, reply))
            return True
        assert self._router is not None
        reply = Message(
            reply.type, reply.body, id=reply.id, session=self.session, seq=reply.seq,
            reply_to=reply.reply_to,
        )  # fmt: skip
        try:
            self._router.send_multipart([*envelope, encode(reply)], zmq.NOBLOCK)
        except zmq.Again:
            return False  # the peer does not read; for snapshots: try again later
        except zmq.ZMQError as e:  # EHOSTUNREACH: the peer left
            log.info("reply to peer %s dropped: %s", envelope[0].hex(), e.strerror)
        return True

    # --- the audit trail (domain.audit) --------------------------------------------------------

    def _audit(
        self, who: str, role: str, console: str, what: str, subject: str, result: str,
        detail: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self._audit_queue.append(
            self.audit_chain.add(time.time(), who, role, console, what, subject, result, detail)
        )

    def _audit_request(
        self, request: Message, reply: Message | None = None, result: str = "",
        always: bool = False,
    ) -> None:  # fmt: skip
        """Requests that change something or reveal something, with their result; who and in
        which role as the session says, never as the request claims; no personal data (a
        reporter's name, a description, a note): the ids, the action, the outcome."""
        if request.type not in AUDITED and not always:
            return
        if reply is not None:
            result = "ok" if reply.type != MsgType.ERROR else str(reply.body.get("code"))
        body = request.body
        who, role = ("", "") if self._who is None else (self._who.login, self._who.role.value)
        what = str(request.type)[:64]
        subject = body.get("incident") or body.get("id") or body.get("login") or body.get("name")
        subject = subject or ""  # an incident's, report's, patrol's, user's or key's
        if request.type == MsgType.COMMAND:
            what = f"command.{str(body.get('action', '?'))[:40]}"
        self._audit(who, role, self._console, what, str(subject)[:64], str(result)[:32])

    def _prune_audit(self) -> None:
        """Once an hour: entries past the retention (180 days) may go; never younger ones."""
        now = time.monotonic()
        if now - self._audit_pruned < 3600:
            return
        self._audit_pruned = now
        try:
            if pruned := self.store.prune_audit(time.time()):
                log.info("audit trail: %d entries older than the retention let go", pruned)
        except Exception:
            log.exception("pruning the audit trail failed")

    def _witness_audit(self, force: bool = False) -> None:
        """The chain's head into the log, outside the database: every hour and at stop, so
        that `audit verify --witness-log` finds newest entries removed."""
        now = time.monotonic()
        if not force and now - self._witnessed < WITNESS_EVERY:
            return
        self._witnessed = now
        self._flush_audit()
        if self.audit_chain.seq:
            witness_log.info(witness_line(self.audit_chain.seq, self.audit_chain.hash))

    def _flush_audit(self) -> None:
        """Written in order, in one transaction; kept for the next try if the write fails,
        so that the chain has no gap."""
        if not self._audit_queue:
            return
        try:
            self.store.add_audit(self._audit_queue)
        except Exception:
            log.exception(
                "writing %d audit entries failed; kept to try again", len(self._audit_queue)
            )
            return
        self._audit_queue = []

    # --- logins (backend.sessions, domain.access) -------------------------------------------

    def _restore_sessions(self, now: float) -> None:
        """The logins open when the backend stopped, idle from now on."""
        self._users_seen = now
        for stored in self.users.open_sessions(now - IDLE_S * 14):
            found = self.users.get(stored.login)
            if found is None or found[0].disabled:
                continue
            user = found[0]
            self.sessions.add(
                stored.token_hash,
                Session(user.login, user.name, user.role, user.person, stored.console,
                        stored.started_at, now),
            )  # fmt: skip

    def _end_sessions(self, hashes: list[str]) -> None:
        try:
            self.users.end_sessions(hashes, time.time())
        except Exception:
            log.exception("recording %d ended sessions failed", len(hashes))

    def _check_users(self) -> None:
        """Users changed by `python -m backend users` (another process): audited, and their
        sessions ended (a new password or a disabled user logs in again, or not at all)."""
        try:
            changed = self.users.changed_since(self._users_seen)
        except Exception:
            log.exception("reading the users failed")
            return
        for user in changed:
            self._users_seen = max(self._users_seen, user.changed_at)
            detail = {"role": user.role.value, "disabled": user.disabled}
            self._audit("users command", "administrator", "backend", "user.changed", user.login,
                        "ok", detail)  # fmt: skip
            self._end_sessions(self.sessions.end_where(login=user.login))
        self._flush_audit()

    def _login_job(self, request: Message) -> Callable[[], _Finish]:
        """`{user, password}` → `login.ok` with a token for the envelope's `session`."""
        login, password = request.body.get("user"), request.body.get("password")
        if not isinstance(login, str) or not 0 < len(login) <= 32:
            raise LifecycleError(LifecycleCode.INVALID, "user must be a login of 1–32 characters")
        if not isinstance(password, str) or len(password) > 256:
            raise LifecycleError(LifecycleCode.INVALID, "password must be a string")
        console, now = self._console, time.time()
        locked = self.sessions.locked_for(login, now)
        if locked > 0:
            self._audit(login, "", console, "login", login, ErrorCode.RATE_LIMITED)
            raise _Refusal(
                ErrorCode.RATE_LIMITED,
                f"too many wrong passwords for this user; try again in {locked:.0f} s",
            )

        def job() -> _Finish:
            found = self.users.get(login)
            right = check_password(password, found[1] if found else dummy_hash())
            user = found[0] if found and right and not found[0].disabled else None
            return lambda: self._finish_login(request, login, console, user)

        return job

    def _finish_login(
        self, request: Message, login: str, console: str, user: User | None
    ) -> Message:
        now = time.time()
        self._who = None
        if user is None:
            self.sessions.failed(login, now)
            self._audit(login, "", console, "login", login, ErrorCode.LOGIN_FAILED)
            return error_reply(
                ErrorCode.LOGIN_FAILED,
                "wrong user or password, or the user is disabled",
                request.id,
            )
        token = new_token()
        try:
            self.users.start_session(token_hash(token), user.login, console, now)
        except Exception:
            log.exception("recording a login failed")
            return error_reply(ErrorCode.INTERNAL, "the backend failed; see its log", request.id)
        self.sessions.add(
            token_hash(token),
            Session(user.login, user.name, user.role, user.person, console, now, now),
        )
        self.sessions.succeeded(login)
        self._audit(user.login, user.role.value, console, "login", user.login, "ok")
        body = {
            "token": token,
            "user": user.login,
            "name": user.name,
            "role": user.role.value,
            "person": user.person,
            "idle_s": self.sessions.idle_s,
        }
        return request.reply(MsgType.LOGGED_IN, body)

    def _on_logout(self, request: Message) -> Message:
        self.sessions.end(request.session)
        self._end_sessions([token_hash(request.session)])
        return request.reply(MsgType.LOGGED_OUT, {})

    def _on_reveal_request(self, request: Message) -> Message:
        """The whole contact of one incident's reporter: audited (`personal.reveal`)."""
        incident_id = str(request.body.get("incident", ""))
        incident = self.store.get(incident_id)
        if incident is None:
            raise LifecycleError(LifecycleCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
        return request.reply(MsgType.REVEALED, contact(incident))

    def _on_audit_request(self, request: Message) -> Message:
        """`{after, limit}` or `{last}`: a page of the trail, in order, hashes and all, for the
        auditor to read and check (domain.audit.verify)."""
        body = request.body
        after, limit = body.get("after", 0), body.get("limit", MAX_AUDIT_PAGE)
        last = body.get("last", 0)
        for name, value in (("after", after), ("limit", limit), ("last", last)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise LifecycleError(LifecycleCode.INVALID, f"{name} must be a whole number")
        self._flush_audit()
        if last:
            after, limit = max(0, self.audit_chain.seq - last), last
        entries = self.store.audit(after, min(limit, MAX_AUDIT_PAGE))
        body = {
            "entries": [e.fields() | {"hash": e.hash} for e in entries],
            "head": self.audit_chain.seq,
        }
        return request.reply(MsgType.AUDIT, body)

    # --- the administrator's (users and keys; adding either stays on the backend's machine) ---

    def _admin_users(self, request: Message) -> Message:
        users = [
            {"login": u.login, "name": u.name, "role": u.role.value, "person": u.person,
             "disabled": u.disabled}
            for u in self.users.all()
        ]  # fmt: skip
        return request.reply(MsgType.ADMIN_USERS, {"users": users})

    def _on_admin_users_request(self, request: Message) -> Message:
        return self._admin_users(request)

    def _on_admin_user_set(self, request: Message) -> Message:
        """`{login, disabled}`: a user let in or kept out; their sessions end at once."""
        login, disabled = request.body.get("login"), request.body.get("disabled")
        if not isinstance(login, str) or not isinstance(disabled, bool):
            raise LifecycleError(LifecycleCode.INVALID, "login (a string) and disabled (true or "
                                 "false) are needed")  # fmt: skip
        assert self._who is not None
        if login == self._who.login and disabled:
            raise LifecycleError(
                LifecycleCode.INVALID, "an administrator cannot disable themselves"
            )
        try:
            self.users.set_disabled(login, disabled)
        except UserError as e:
            raise LifecycleError(LifecycleCode.INVALID, str(e)) from None
        self._check_users()  # audited as a change, sessions ended, before the answer
        return self._admin_users(request)

    def _admin_keys(self, request: Message) -> Message:
        ring = self.keyring
        body: dict[str, Any] = {"secure": ring is not None, "enrolled": [], "revoked": []}
        if ring is not None:
            body["enrolled"] = sorted(ring.names())
            body["revoked"] = sorted(
                p.name.removesuffix(".key") for p in ring.revoked_dir.glob("*.key")
            )
        return request.reply(MsgType.ADMIN_KEYS, body)

    def _on_admin_keys_request(self, request: Message) -> Message:
        return self._admin_keys(request)

    def _on_admin_key_revoke(self, request: Message) -> Message:
        """`{name}`: as `python -m backend keys revoke`; in force before the answer."""
        name = request.body.get("name")
        if self.keyring is None:
            raise LifecycleError(LifecycleCode.INVALID, "plain text: there are no keys to revoke")
        if not isinstance(name, str):
            raise LifecycleError(LifecycleCode.INVALID, "name must be an enrolled key's name")
        try:
            self.keyring.revoke(name)
        except KeyRingError as e:
            raise LifecycleError(LifecycleCode.INVALID, str(e)) from None
        self._check_revocations()
        return self._admin_keys(request)

    # --- handlers -----------------------------------------------------------------------------

    def _on_hello(self, request: Message) -> Message:
        assert self._pub is not None
        pub_port = int(self._pub.getsockopt_string(zmq.LAST_ENDPOINT).rsplit(":", 1)[1])
        return request.reply(
            MsgType.WELCOME,
            {
                "protocol": PROTOCOL_VERSION,
                "session": self.session,
                "seq": self.seq,
                "pub_port": pub_port,
                "township": self.township.code,
                "township_name": self.township.name,
            },
            seq=self.seq,
        )

    def _on_township_request(self, request: Message) -> Message:
        data, categories = self.township.to_dict()
        return request.reply(
            MsgType.TOWNSHIP,
            {
                "township": data,
                "categories": categories,
                "platform_set": self.township.platform_set,
                "deadline_rules": self.store.rules.to_wire(),
            },
        )

    def _on_command(self, request: Message) -> Message:
        assert self._who is not None
        command = Command.from_wire(request.body, self._who.name, self._who.role)
        if command.action not in CLIENT_ACTIONS:
            raise LifecycleError(
                LifecycleCode.NOT_ALLOWED, f"{command.action.value} is recorded by the backend"
            )
        incident, change = self.store.execute(command, self.township)
        seq = self._changed(MsgType.INCIDENT_UPDATED, incident, change)
        body = {"incident": masked(incident).to_wire(), "change": change.to_wire()}
        return request.reply(MsgType.COMMAND_ACK, body, seq=seq)

    def _on_attachment_add(self, request: Message) -> Message:
        body = request.body
        try:
            data = base64.b64decode(str(body.get("data", "")), validate=True)
        except binascii.Error:
            raise LifecycleError(LifecycleCode.INVALID, "data must be base64") from None
        assert self._who is not None
        added_by = self._who.name
        attachment = self.store.add_attachment(
            str(body.get("incident", "")), str(body.get("media_type", "")), data, added_by
        )
        seq = self.publish(MsgType.INCIDENT_ATTACHMENT, {"attachment": attachment})
        return request.reply(MsgType.ATTACHMENT_ACK, {"attachment": attachment}, seq=seq)

    def _on_detail_request(self, request: Message) -> Message:
        """The whole case for a detail panel: the incident, its action log, its attachments."""
        incident_id = str(request.body.get("incident", ""))
        incident = self.store.get(incident_id)
        if incident is None:
            raise LifecycleError(LifecycleCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
        body = {
            "incident": masked(incident).to_wire(),
            "changes": [
                masked_change(c.to_wire(), incident) for c in self.store.changes(incident_id)
            ],
            "attachments": self.store.attachments_of(incident_id),
        }
        return request.reply(MsgType.DETAIL, body, seq=self.seq)

    def _on_attachment_request(self, request: Message) -> Message:
        attachment_id = request.body.get("id")
        if isinstance(attachment_id, bool) or not isinstance(attachment_id, int):
            raise LifecycleError(LifecycleCode.INVALID, "id must be an attachment id")
        meta, data = self.store.attachment(attachment_id)
        body = {"attachment": meta, "data": base64.b64encode(data).decode()}
        return request.reply(MsgType.ATTACHMENT, body)

    def _check_places(self, report: FieldReport) -> None:
        t = self.township
        if report.category not in t.categories:
            raise ReportError(f"unknown category {report.category!r}")
        if report.village not in t.villages:
            raise ReportError(f"unknown village {report.village!r}")
        if report.grid is not None:
            grid = t.grids.get(report.grid)
            if grid is None or grid.village != report.village:
                raise ReportError(f"grid {report.grid!r} is not a grid of village {report.village}")

    # --- snapshots and the clock ----------------------------------------------------------------

    def _start_snapshot(self, envelope: list[bytes], request: Message) -> None:
        # The live map is the state at self.seq; later changes replace its values, not the ones
        # captured here, so the chunks stay consistent while they go out.
        incidents = list(self._live.values())
        self._snapshots.append(_SnapshotJob(envelope, request.id, self.seq, incidents))

    def _send_snapshot_chunks(self) -> None:
        """One chunk per waiting snapshot per turn of the loop."""
        assert self._router is not None
        for _ in range(len(self._snapshots)):
            job = self._snapshots.popleft()
            data, count = self._snapshot_chunk(job)
            try:
                self._router.send_multipart([*job.envelope, data], zmq.NOBLOCK)
            except zmq.Again:
                self._snapshots.append(job)  # the peer is not reading: later
                continue
            except zmq.ZMQError as e:
                log.info("snapshot to peer %s dropped: %s", job.envelope[0].hex(), e.strerror)
                continue
            job.offset += count
            job.chunk += 1
            if job.offset < len(job.incidents):
                self._snapshots.append(job)

    def _snapshot_chunk(self, job: _SnapshotJob) -> tuple[bytes, int]:
        count = min(SNAPSHOT_CHUNK, len(job.incidents) - job.offset)
        while True:
            part = job.incidents[job.offset : job.offset + count]
            last = job.offset + count >= len(job.incidents)
            body = {"seq": job.seq, "chunk": job.chunk, "last": last, "incidents": part}
            msg = Message(
                MsgType.SNAPSHOT, body, session=self.session, seq=job.seq, reply_to=job.request_id
            )
            data = encode(msg)
            if len(data) <= MAX_MESSAGE_BYTES or count <= 1:
                return data, count
            count //= 2

    def _indicators_since(self, now: float) -> float:
        """The start of yesterday or of this month, whichever is earlier: what the indicators
        show (never later than the last day that `_live` keeps)."""
        tz = self.store.rules.calendar.tz
        today = dt.datetime.fromtimestamp(now, tz).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return min(today - dt.timedelta(days=1), today.replace(day=1)).timestamp()

    def indicators_figures(self) -> dict[str, Any]:
        """The book's snapshot, with the last ended minute for consoles' history charts."""
        figures = self.indicators.snapshot(time.time())
        figures["minute"] = None if self.last_minute is None else self.last_minute.to_wire()
        figures["cameras"] = self.cameras.figures(time.time())
        figures["patrols"] = self.patrols.figures(time.time())
        return figures

    def indicators_message(self) -> Message:
        return Message(
            MsgType.INDICATORS, self.indicators_figures(), session=self.session, seq=self.seq
        )

    def _store_minutes(self) -> None:
        """When a minute has ended, its row (with the standing figures of now) is stored."""
        now = time.time()
        standing = self.indicators.standing
        rows = self.minutes.roll(
            now, {name: standing[name, "all", ""] for name in ("open", "overdue", "in_progress")}
        )
        if not rows:
            return
        try:
            self.store.add_minutes(rows, now)
        except Exception:
            log.exception("storing the indicators' minute %s failed", rows[0].at)
        self.last_minute = rows[-1]
        self._indicators_changed = True

    def _start_slow(
        self, envelope: list[bytes], request: Message, job: Callable[[], Message | _Finish]
    ) -> None:
        def run() -> None:
            reply: Message | _Finish
            try:
                reply = job()
            except Exception:
                log.exception("answering %s failed", request.type)
                detail = "the backend failed; see its log"
                reply = error_reply(ErrorCode.INTERNAL, detail, request.id)
            self._slow_done.append((envelope, reply))

        self._slow_pending += 1
        self._worker.submit(run)

    def _send_slow_replies(self) -> None:
        while self._slow_done:
            envelope, reply = self._slow_done.popleft()
            self._slow_pending -= 1
            if not isinstance(reply, Message):  # a login: its session is made here, audited
                reply = reply()
                self._flush_audit()
            self._send(envelope, reply)

    def _evaluation_job(self, request: Message) -> Callable[[], Message]:
        """`{dimension, start, end}`: the evaluation of a period (domain.evaluation)."""
        body = request.body
        dim, start, end = body.get("dimension"), body.get("start"), body.get("end")
        if dim not in EVALUATION_DIMENSIONS:
            raise LifecycleError(
                LifecycleCode.INVALID,
                f"dimension must be one of {', '.join(EVALUATION_DIMENSIONS)}",
            )
        if (
            not isinstance(start, int | float)
            or not isinstance(end, int | float)
            or isinstance(start, bool)
            or isinstance(end, bool)
            or not 0 < end - start <= MAX_DAYS * 86_400
        ):
            raise LifecycleError(
                LifecycleCode.INVALID,
                f"start and end must be epoch seconds, end after start, at most {MAX_DAYS} days",
            )
        tz, township = self.store.rules.calendar.tz, self.township

        def job() -> Message:
            incidents, changes = self.store.period(start, end)
            patrols = self.store.patrols(start, end) if dim in PATROL_DIMENSIONS else []
            figures = evaluate(
                incidents, changes, start, end, dim, tz,
                lambda c: _platform_of(township, c), time.time(), patrols,
            )  # fmt: skip
            return request.reply(MsgType.EVALUATION, figures)

        return job

    def _on_camera_health(self, request: Message) -> Message:
        """A console's tiles: which cameras it sees live and which it lost, since when."""
        try:
            changed = self.cameras.report(request.body.get("cameras"), time.time())
        except CameraReportError as e:
            raise LifecycleError(LifecycleCode.INVALID, str(e)) from None
        self._indicators_changed |= changed
        return request.reply(MsgType.CAMERA_HEALTH_ACK, {"changed": changed})

    def _on_patrol_submit(self, request: Message) -> Message:
        """A patrol the grid app finished: checked, stored, then acknowledged (a resend gets
        the stored patrol back with `created` false)."""
        now = time.time()
        try:
            report = PatrolReport.from_wire(request.body)
            who = self._who
            if who is not None and who.role in GRID and report.worker != who.person:
                raise _Refusal(
                    ErrorCode.NOT_ALLOWED,
                    f"a patrol is sent by the one who walked it ({who.person})",
                )
            patrol, created = self.store.add_patrol(
                report, accept_patrol(report, self.township, now)
            )
        except PatrolConflict as e:
            return error_reply(ErrorCode.CONFLICT, str(e), request.id)
        except PatrolError as e:
            return error_reply(ErrorCode.INVALID, str(e), request.id)
        if created:
            self._indicators_changed |= self.patrols.add(patrol)
        return request.reply(MsgType.PATROL_ACK, {"patrol": patrol.to_wire(), "created": created})

    def _history_job(self, request: Message) -> Callable[[], Message]:
        """`{since, step}`: the stored minutes from `since` (at most 31 days back), `step`
        minutes per point, and the minute in progress as it stands now."""
        now = time.time()
        since, step = request.body.get("since"), request.body.get("step", 1)
        oldest = now - (HISTORY_DAYS + 1) * 86_400
        if not isinstance(since, int | float) or isinstance(since, bool) or since < oldest:
            raise LifecycleError(
                LifecycleCode.INVALID, f"since must be epoch seconds after {oldest:.0f}"
            )
        if step not in STEPS:
            raise LifecycleError(LifecycleCode.INVALID, f"step must be one of {STEPS}")
        start = minute_of(since) // (step * 60) * (step * 60)
        until = minute_of(now)
        current = {  # read here: the serve loop owns the counter
            "at": self.minutes.minute,
            "received": self.minutes.received,
            "closed": self.minutes.closed,
        }

        def job() -> Message:
            body = series(self.store.minutes(start), start, until, step)
            body["current"] = current
            return request.reply(MsgType.HISTORY, body)

        return job

    def _publish_indicators(self) -> None:
        """At most once a second, when something changed (a case coming due counts); every
        `INDICATORS_EVERY` seconds regardless, so that a console can tell old figures."""
        now = time.monotonic()
        due = self.indicators.tick(time.time())
        if not (self._indicators_changed or due or now - self._indicators_sent >= INDICATORS_EVERY):
            return
        assert self._pub is not None
        msg = self.indicators_message()
        self._pub.send_multipart([msg.topic, encode(msg)])
        self._indicators_changed = False
        self._indicators_sent = now
        self.stats.indicators_published += 1

    def _on_indicators_request(self, request: Message) -> Message:
        return request.reply(MsgType.INDICATORS, self.indicators_figures())

    def _heartbeat(self) -> None:
        assert self._pub is not None
        msg = Message(MsgType.HEARTBEAT, {}, session=self.session, seq=self.seq)
        self._pub.send_multipart([msg.topic, encode(msg)])

    def _sweep_deadlines(self) -> None:
        """Record each stage that ran past its deadline (and escalate where the rules say so)."""
        now = time.time()
        try:
            late = self.store.overdue(now)
        except Exception:
            log.exception("deadline sweep failed")
            return
        for incident in late:
            command = Command(incident.id, Action.OVERDUE, incident.version, "system", Role.SYSTEM)
            try:
                after, change = self.store.execute(command, self.township, now)
            except LifecycleError as e:
                log.warning("overdue %s not recorded: %s", incident.display_number, e)
                continue
            self._audit("system", Role.SYSTEM, "backend", f"command.{change.action}",
                        incident.id, "ok", {"number": incident.number})  # fmt: skip
            self._changed(MsgType.INCIDENT_UPDATED, after, change)
        self._flush_audit()


def _report_change(incident: Incident) -> Change:
    """The log's first row for a new incident, as the indicators read it."""
    return Change(
        incident.id, "report", incident.reporter, Role.GRID_WORKER.value, incident.received_at,
        None, incident.state.value, 1, {},
    )  # fmt: skip


def _platform_of(township: Township, category: str) -> str | None:
    try:
        return township.platform_of(category).code
    except KeyError:
        return None
