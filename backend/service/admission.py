"""From frames to a request the handlers may trust: the envelope's shape, the peer's rate, the
key still enrolled, the codec, a changing request neither stale nor replayed, the login and its
role (domain.requests), and the typed body. Whatever fails is answered here. Serve loop only."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from backend.service.accounts import Accounts
from backend.service.audit_trail import AuditTrail
from backend.service.context import RequestContext
from backend.service.refusal_tally import RefusalTally
from backend.service.refusals import Refusals
from backend.sessions import Session
from domain.lifecycle import with_article
from domain.replay_guard import ReplayGuard
from domain.requests import REQUESTS, BodyError, read_body
from domain.wire import ErrorCode, Message, ProtocolError, decode

log = logging.getLogger("backend.server")


@dataclass(frozen=True, slots=True)
class Admitted:
    ctx: RequestContext
    body: Any


@dataclass(frozen=True, slots=True)
class Answered:
    """Refused at the door: the error to send (counted and logged, audited where it must)."""

    envelope: list[bytes]
    reply: Message


@dataclass(slots=True)
class _Peer:
    window: float = 0.0
    count: int = 0
    warned: bool = False


class Admission:
    def __init__(
        self, accounts: Accounts, audit: AuditTrail, refusals: Refusals, peer_rate_limit: int
    ) -> None:
        self.accounts = accounts
        self.audit = audit
        self.refusals = refusals
        self.peer_rate_limit = peer_rate_limit
        self.replays = ReplayGuard()
        self.tally = RefusalTally(audit)
        self._peers: dict[bytes, _Peer] = {}

    def admit(self, frames: list[bytes], console: str) -> Admitted | Answered | None:
        """None: dropped in silence (a flooding peer, after its one warning)."""
        identity, envelope = frames[0], frames[:-1]
        if len(frames) not in (2, 3) or (len(frames) == 3 and frames[1] != b""):
            return self._refuse(
                [identity], console, ErrorCode.MALFORMED, "expected one payload frame"
            )
        if not self._within_rate(identity):
            if self._peers[identity].warned:
                return None
            self._peers[identity].warned = True
            log.warning("peer %s is over %d messages/s", identity.hex(), self.peer_rate_limit)
            detail = f"more than {self.peer_rate_limit} messages in a second; slow down"
            return self._refuse(envelope, console, ErrorCode.RATE_LIMITED, detail)
        self.refusals.stats.requests += 1
        try:
            request = decode(frames[-1])
        except ProtocolError as e:
            return self._refuse(envelope, console, e.code, e.detail, e.reply_to)
        spec = REQUESTS.get(request.type)
        now = time.time()
        if spec is None:
            detail = f"unknown type {request.type[:64]!r}"
            return self._refuse(envelope, console, ErrorCode.UNKNOWN_TYPE, detail, request.id)
        ctx = RequestContext(envelope, request, spec, None, console, now)
        if spec.changing and (why := self.replays.check(request.id, request.time, now)):
            code = ErrorCode.REPLAYED if why == "replayed" else ErrorCode.STALE_MESSAGE
            detail = (
                "this message was received before; send a new one"
                if why == "replayed"
                else f"sent at {request.time:.0f}, more than {self.replays.window_s:.0f} s "
                "from the backend's clock; check this machine's time"
            )
            return self._refuse_tallied(ctx, code, detail)
        session: Session | None = None
        if spec.public:
            if request.session:  # a console's keepalive hello: its answer says if it is open
                session = self.accounts.sessions.find(request.session, console, now)
                ctx = RequestContext(envelope, request, spec, session, console, now)
        else:
            session = self.accounts.sessions.find(request.session, console, now)
            if session is None:
                detail = "log in first (no session, or it has ended)"
                return self._refuse_tallied(ctx, ErrorCode.NOT_LOGGED_IN, detail)
            ctx = RequestContext(envelope, request, spec, session, console, now)
            if session.role not in spec.roles:
                detail = f"{with_article(session.role.value)} may not send {request.type}"
                return self._refuse_audited(ctx, ErrorCode.NOT_ALLOWED, detail, always=True)
        try:
            body = read_body(spec, request.body)
        except BodyError as e:
            return self._refuse_audited(ctx, ErrorCode.INVALID, str(e))
        return Admitted(ctx, body)

    def starting(self, frames: list[bytes], console: str) -> Answered | None:
        """While the store loads: every request is told so, by its id where it has one."""
        if len(frames) not in (2, 3) or not self._within_rate(frames[0]):
            return None
        try:
            reply_to = decode(frames[-1]).id
        except ProtocolError as e:
            reply_to = e.reply_to
        detail = "the backend is starting (loading its store); ask again shortly"
        return self._refuse(frames[:-1], console, ErrorCode.STARTING, detail, reply_to)

    def not_enrolled(self, frames: list[bytes], user: str) -> Answered:
        """The handshake let this key in, but it has been revoked since (ZAP is asked only at
        the handshake, and a connection outlives its key)."""
        try:
            reply_to = decode(frames[-1]).id
        except ProtocolError:
            reply_to = ""
        self.audit.add("", "", user, "request", "", ErrorCode.NOT_ENROLLED)
        detail = "this console's key is not enrolled"
        return self._refuse(frames[:-1], user, ErrorCode.NOT_ENROLLED, detail, reply_to)

    def _within_rate(self, identity: bytes) -> bool:
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
        self.refusals.stats.rate_limited += 1
        return False

    def _refuse(
        self, envelope: list[bytes], console: str, code: str, detail: str, reply_to: str = ""
    ) -> Answered:
        return Answered(envelope, self.refusals.reply(envelope, console, code, detail, reply_to))

    def _refuse_tallied(self, ctx: RequestContext, code: str, detail: str) -> Answered:
        """Audited as the tally has it: the first of a minute, then a count."""
        if ctx.spec.audited:
            self.tally.refused(ctx, code)
        return self._refuse(ctx.envelope, ctx.console, code, detail, ctx.request.id)

    def _refuse_audited(
        self, ctx: RequestContext, code: str, detail: str, always: bool = False
    ) -> Answered:
        self.audit.add_request(ctx, code, always)
        return self._refuse(ctx.envelope, ctx.console, code, detail, ctx.request.id)
