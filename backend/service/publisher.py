"""The update streams: one per login, on one XPUB. Each carries the committed changes its login's
scope covers (domain.scope), each with the next number of that stream's own sequence under this
run's session id, its heartbeats (which carry that number) and the indicators. Serve loop only.

A stream's topic is `s/<stream>/<type>` (domain.wire.stream_topic), the stream named in the
login's `login.ok`. The XPUB is manual: a subscription takes effect only when it names one
whole stream of a session open from the subscriber's own console key (the fan-out proxy's key
may carry any: it checks the shape for its consoles), so an enrolled key without a login, or a
login asking for another's stream, receives nothing; a login whose role may not ask for cases
(a gateway) is sent none. A stream ends with its session; ZeroMQ
cannot drop one subscriber, so a revoked key is cut off by binding afresh (`rebind`).

An update that moves a case out of a login's scope (dispatched to another department) is
sent to that login as `incident.left`, so that its console drops the row.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import zmq

from backend.authenticator import bind_publisher
from backend.fanout_proxy import PROXY_KEY
from backend.keyring import KeyRing
from backend.service.stats import ServerStats
from backend.sessions import Session, SessionBook
from backend.throttled_log import ThrottledLog
from domain.requests import REQUESTS, may_send
from domain.scope import where
from domain.wire import (
    Message,
    MsgType,
    encode,
    encoded_once,
    new_id,
    stream_of_subscription,
    stream_topic,
)

log = logging.getLogger(__name__)
FOLLOWERS = REQUESTS[MsgType.SNAPSHOT_REQUEST].roles
"""The roles that are sent cases: those that may ask for them (a gateway acts on cases for its
people but follows none)."""
PUB_SNDHWM = 100_000
"""Updates queued per slow subscriber before ZeroMQ drops; the subscriber then sees a gap and
resyncs, which costs less than letting one stuck console grow the backend's memory."""


class Publisher:
    def __init__(
        self,
        context: zmq.Context[Any],
        keyring: KeyRing | None,
        stats: ServerStats,
        sessions: SessionBook,
    ) -> None:
        self.session = new_id()
        self.seq = 0
        """Changes published in this run, to any stream (what hello tells)."""
        self.sessions = sessions
        self._context = context
        self._keyring = keyring
        self._stats = stats
        self._pub: zmq.Socket[bytes] | None = None
        self._refused = ThrottledLog(log, 5.0)
        self._sent = 0
        """Messages published: each one's id is the run's session and this count (a uuid4
        each was a sixth of a change's cost with 20 logins)."""
        self._now = 0.0

    def bind(self, endpoint: str) -> str:
        self._pub = bind_publisher(
            self._context, zmq.XPUB, endpoint, self._keyring, PUB_SNDHWM, manual=True
        )
        return self.endpoint

    @property
    def socket(self) -> zmq.Socket[bytes]:
        assert self._pub is not None, "bind() first"
        return self._pub

    @property
    def endpoint(self) -> str:
        return self.socket.getsockopt_string(zmq.LAST_ENDPOINT)

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    # --- subscriptions -------------------------------------------------------------------------

    def read_subscriptions(self) -> None:
        """Decide what is waiting: each (un)subscription takes effect only if allowed. Call it
        only once the sessions are restored (a subscription is decided when read)."""
        socket = self.socket
        while True:
            try:
                frame = socket.recv(zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return
            data = frame.bytes
            if not data or data[0] not in (0, 1):
                continue  # a message, not a subscription: a SUB sends none
            topic = data[1:]
            if data[0] == 0:
                socket.setsockopt(zmq.UNSUBSCRIBE, topic)
                continue
            why = self._why_not(topic, _user_id(frame))
            if why is None:
                socket.setsockopt(zmq.SUBSCRIBE, topic)
                self._stats.subscriptions += 1
            else:
                self._stats.subscriptions_refused += 1
                self._refused.warning("subscription refused: %s", why)

    def _why_not(self, topic: bytes, console: str | None) -> str | None:
        stream = stream_of_subscription(topic)
        if stream is None:
            return f"not one login's stream ({len(topic)} bytes)"
        session = self.sessions.with_stream(stream)
        if session is None:
            return "no open login has that stream"
        if self._keyring is None or console in (session.console, PROXY_KEY):
            return None
        return f"key {console} asked for a stream of key {session.console}'s login"

    # --- publishing ----------------------------------------------------------------------------

    def publish_incident(
        self, type_: str, body: dict[str, Any], before: Mapping[str, Any] | None
    ) -> None:
        """One committed change of an incident (`body["incident"]`, its wire form) to every
        login whose scope covers it now, and `incident.left` to those it covered `before`."""
        self._start()
        after = body["incident"]
        once = encoded_once(body)
        left: Any = None
        fields = where(after)  # read once for every login
        for session in self.sessions.live():
            scope = session.scope
            if session.role not in FOLLOWERS:
                continue
            if scope.township or scope.covers(*fields):
                self._send(session, type_, once)
            elif before is not None and scope.covers_wire(before):
                left = left or encoded_once({"incident": {"id": after["id"]}})
                self._send(session, MsgType.INCIDENT_LEFT, left)

    def publish_about(self, type_: str, body: dict[str, Any], incident: Mapping[str, Any]) -> None:
        """Something of one incident's (an attachment added): where the incident is seen."""
        self._start()
        once = encoded_once(body)
        for session in self.sessions.live():
            if session.role in FOLLOWERS and session.scope.covers_wire(incident):
                self._send(session, type_, once)

    def publish(self, type_: str, body: dict[str, Any]) -> int:
        """To every login (a new township version); after its transaction has committed."""
        self._start()
        once = encoded_once(body)
        for session in self.sessions.live():
            self._send(session, type_, once)
        return self.seq

    def heartbeat(self) -> None:
        """Each stream's, with its seq: a console that missed an update learns it here."""
        self._now = time.time()
        empty = encoded_once({})
        for session in self.sessions.live():
            self._send(session, MsgType.HEARTBEAT, empty, numbered=False)

    def indicators(self, figures: dict[str, Any]) -> None:
        """The figures, to every login that may ask for them (outside the sequence)."""
        self._now = time.time()
        once = encoded_once(figures)
        for session in self.sessions.live():
            if may_send(session.role, MsgType.INDICATORS_REQUEST):
                self._send(session, MsgType.INDICATORS, once, numbered=False)

    def seq_of(self, session: Session | None) -> int:
        """Where a login's stream is: an answer carries it (its changes are published by then)."""
        return 0 if session is None else session.seq

    def _start(self) -> None:
        """A change to publish: the next in this run, at this time."""
        self.seq += 1
        self._stats.published += 1
        self._now = time.time()

    def _send(self, session: Session, type_: str, body: Any, numbered: bool = True) -> None:
        if numbered:
            session.seq += 1
        self._sent += 1
        msg = Message(type_, body, id=f"{self.session[:16]}{self._sent:016x}", time=self._now,
                      session=self.session, seq=session.seq)  # fmt: skip
        socket = self.socket
        socket.send(stream_topic(session.stream, type_), zmq.SNDMORE)
        socket.send(encode(msg))

    def rebind(self) -> None:
        """Bound afresh on the same port: every subscriber shakes hands again (a revoked key
        is left out: PUB cannot drop one subscriber); the others see the gap and resync."""
        endpoint = self.endpoint
        self.socket.close(linger=0)
        self.bind(endpoint)

    def close(self) -> None:
        if self._pub is not None:
            self._pub.close(linger=0)
            self._pub = None


def _user_id(frame: zmq.Frame) -> str | None:
    """The console key a subscription came from (the ZAP handler's name for it); None in plain
    text."""
    try:
        return str(frame.get("User-Id"))
    except zmq.ZMQError:
        return None
