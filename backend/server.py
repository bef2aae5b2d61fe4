"""The live state service: answers requests on a ROUTER, publishes every change on a PUB.

After the Clone pattern of the ZeroMQ guide: every committed change is published with a
strictly increasing sequence number under this run's session id, and a heartbeat carries the
current sequence, so that a client can tell a gap or a restarted backend and resync.
Both sockets belong to the thread that runs `serve()`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import zmq

from backend.store import ReportConflict, Store
from domain.incident import FieldReport, ReportError
from domain.township import Township
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

HARD_MAX_MESSAGE_BYTES = 4 * MAX_MESSAGE_BYTES
"""ZMQ_MAXMSGSIZE: a peer sending more is disconnected by ZeroMQ before we read anything.
Between MAX_MESSAGE_BYTES and this, the sender gets a clear `too_large` error reply."""
PUB_SNDHWM = 100_000
"""Updates queued per slow subscriber before ZeroMQ drops; the subscriber then sees a gap and
resyncs, which costs less than letting one stuck console grow the backend's memory."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    router: str
    pub: str


class LiveStateServer:
    def __init__(
        self,
        store: Store,
        township: Township,
        router_endpoint: str,
        pub_endpoint: str,
        heartbeat_interval: float = 1.0,
        context: zmq.Context[Any] | None = None,
    ) -> None:
        self.store = store
        self.township = township
        self.session = new_id()
        self.seq = 0
        self.heartbeat_interval = heartbeat_interval
        self._context = context or zmq.Context.instance()
        self._router_endpoint = router_endpoint
        self._pub_endpoint = pub_endpoint
        self._router: zmq.Socket[bytes] | None = None
        self._pub: zmq.Socket[bytes] | None = None
        self._handlers: dict[str, Callable[[Message], Message]] = {
            MsgType.HELLO: self._on_hello,
            MsgType.SNAPSHOT_REQUEST: self._on_snapshot_request,
            MsgType.TOWNSHIP_REQUEST: self._on_township_request,
            MsgType.REPORT_SUBMIT: self._on_report_submit,
        }

    def bind(self) -> Endpoints:
        """Bind both sockets (a `*` port picks a free one) and return where they listen."""
        router = self._context.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        router.setsockopt(zmq.MAXMSGSIZE, HARD_MAX_MESSAGE_BYTES)
        router.setsockopt(
            zmq.ROUTER_MANDATORY, 1
        )  # a reply to a vanished peer raises, not vanishes
        router.setsockopt(zmq.SNDHWM, 10_000)
        router.bind(self._router_endpoint)
        pub = self._context.socket(zmq.PUB)
        pub.setsockopt(zmq.LINGER, 0)
        pub.setsockopt(zmq.SNDHWM, PUB_SNDHWM)
        pub.bind(self._pub_endpoint)
        self._router, self._pub = router, pub
        return Endpoints(
            router.getsockopt_string(zmq.LAST_ENDPOINT), pub.getsockopt_string(zmq.LAST_ENDPOINT)
        )

    def serve(self, stop: threading.Event) -> None:
        """Run until `stop` is set; closes the sockets on the way out."""
        assert self._router is not None, "bind() first"
        assert self._pub is not None
        poller = zmq.Poller()
        poller.register(self._router, zmq.POLLIN)
        next_heartbeat = time.monotonic()
        try:
            while not stop.is_set():
                now = time.monotonic()
                if now >= next_heartbeat:
                    self._heartbeat()
                    next_heartbeat = now + self.heartbeat_interval
                wait_ms = max(0, min(100, int((next_heartbeat - now) * 1000)))
                if dict(poller.poll(wait_ms)).get(self._router):
                    # Drain what is there, but give the heartbeat its turn.
                    for _ in range(256):
                        try:
                            frames = self._router.recv_multipart(zmq.NOBLOCK)
                        except zmq.Again:
                            break
                        self._on_frames(frames)
        finally:
            self._router.close(linger=0)
            self._pub.close(linger=0)

    def publish(self, type_: str, body: dict[str, Any]) -> int:
        """Publish one committed change; call only after its transaction has committed."""
        assert self._pub is not None
        self.seq += 1
        msg = Message(type_, body, session=self.session, seq=self.seq)
        self._pub.send_multipart([msg.topic, encode(msg)])
        return self.seq

    def _heartbeat(self) -> None:
        assert self._pub is not None
        msg = Message(MsgType.HEARTBEAT, {}, session=self.session, seq=self.seq)
        self._pub.send_multipart([msg.topic, encode(msg)])

    def _on_frames(self, frames: list[bytes]) -> None:
        identity, payload = frames[0], frames[-1]
        if len(frames) not in (2, 3) or (len(frames) == 3 and frames[1] != b""):
            self._send(identity, error_reply(ErrorCode.MALFORMED, "expected one payload frame"))
            return
        try:
            request = decode(payload)
        except ProtocolError as e:
            log.warning("refused a message from peer %s: %s", identity.hex(), e)
            self._send(identity, error_reply(e.code, e.detail, e.reply_to, self.session), frames)
            return
        handler = self._handlers.get(request.type)
        if handler is None:
            log.warning("unknown message type %r from peer %s", request.type, identity.hex())
            reply = error_reply(
                ErrorCode.UNKNOWN_TYPE, f"unknown message type {request.type!r}", request.id
            )
        else:
            try:
                reply = handler(request)
            except ReportConflict as e:
                reply = error_reply(ErrorCode.CONFLICT, str(e), request.id)
            except ReportError as e:
                reply = error_reply(ErrorCode.INVALID, str(e), request.id)
            except Exception:
                log.exception("handling %s failed", request.type)
                reply = error_reply(
                    ErrorCode.INTERNAL, "the backend failed; see its log", request.id
                )
        self._send(identity, reply, frames)

    def _send(self, identity: bytes, reply: Message, frames: list[bytes] | None = None) -> None:
        assert self._router is not None
        envelope = [identity, b""] if frames is not None and len(frames) == 3 else [identity]
        reply = Message(
            reply.type,
            reply.body,
            id=reply.id,
            session=self.session,
            seq=reply.seq,
            reply_to=reply.reply_to,
        )
        try:
            self._router.send_multipart([*envelope, encode(reply)], zmq.NOBLOCK)
        except zmq.ZMQError as e:  # EHOSTUNREACH: the peer left; EAGAIN: it does not read
            log.info("reply to peer %s dropped: %s", identity.hex(), e.strerror)

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

    def _on_snapshot_request(self, request: Message) -> Message:
        # One thread commits and publishes, so the store read here is exactly the state at seq.
        incidents = [i.to_wire() for i in self.store.incidents()]
        return request.reply(
            MsgType.SNAPSHOT, {"seq": self.seq, "incidents": incidents}, seq=self.seq
        )

    def _on_township_request(self, request: Message) -> Message:
        data, categories = self.township.to_dict()
        return request.reply(
            MsgType.TOWNSHIP,
            {
                "township": data,
                "categories": categories,
                "platform_set": self.township.platform_set,
            },
        )

    def _on_report_submit(self, request: Message) -> Message:
        report = FieldReport.from_wire(request.body)
        self._check_places(report)
        incident, created = self.store.intake(report)
        seq = self.seq
        if created:
            seq = self.publish(MsgType.INCIDENT_REPORTED, {"incident": incident.to_wire()})
        return request.reply(
            MsgType.REPORT_ACK, {"incident": incident.to_wire(), "created": created}, seq=seq
        )

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
