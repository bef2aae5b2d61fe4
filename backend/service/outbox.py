"""Answers out: small ones at once, large ones as their readers keep up. A snapshot goes out in
chunks, one per waiting reply per turn of the loop (a large one never blocks the loop as one long
send); a township too big for one message in its parts; and every answer over
domain.wire.ACK_ABOVE, of whatever type, waits until its connection has fewer than
LARGE_IN_FLIGHT of them unacknowledged (`parts.ack`).

ZeroMQ bounds a connection's queue in messages, not bytes: a viewer that sent 200 snapshot
requests and read nothing had the backend hold 1.1 GB for it. Now such a peer is held to two
large answers in its queue (and ROUTER_SNDHWM small ones); a later snapshot or township request
from it replaces the one still waiting (a client waits for its latest), so a waiting snapshot is
one list of references, and at most SINGLES_WAITING other large answers wait, encoded.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

import zmq

from backend.throttled_log import ThrottledLog
from domain.wire import (
    ACK_ABOVE,
    LARGE_IN_FLIGHT,
    MAX_MESSAGE_BYTES,
    ErrorCode,
    Message,
    MsgType,
    encode,
    error_reply,
)

log = logging.getLogger("backend.server")
SNAPSHOT_CHUNK = 500
"""Incidents per snapshot message at most (fewer when they would not fit MAX_MESSAGE_BYTES)."""
SINGLES_WAITING = 4
"""Large answers (not parts of one) waiting for one connection at most; beyond, the oldest is
dropped, as ZeroMQ drops for a peer that does not read."""
PEERS_KEPT = 10_000
"""Connections whose unacknowledged answers are remembered (the oldest forgotten beyond)."""
STALLED_S = 60.0
"""A connection that has acknowledged nothing this long while answers wait for it is taken
for gone (a reader acknowledges in milliseconds; ZeroMQ says a peer left only when a send to
it fails, and none is tried while its window is full): what waits for it is let go."""
MAX_WAITING_BYTES = 64 * 2**20
"""Encoded large answers waiting, over every connection together; beyond, a new one is dropped
(a helper's 40 connections asking for a photo each 8 times and leaving held 630 MB)."""


@dataclass(slots=True)
class _Snapshot:
    request_id: str
    seq: int
    session: str
    incidents: list[dict[str, Any]]
    offset: int = 0
    chunk: int = 0


@dataclass(slots=True)
class _Peer:
    envelope: list[bytes]
    snapshot: _Snapshot | None = None
    parts: deque[tuple[str, bytes]] = field(default_factory=deque)
    """A township's parts still to send: id and bytes."""
    singles: deque[tuple[str, bytes]] = field(default_factory=deque)
    """Large answers of one message each, waiting: id and bytes."""
    unacked: set[str] = field(default_factory=set)
    progress: float = field(default_factory=time.monotonic)
    """When it last acknowledged something (or was first seen)."""

    @property
    def waiting_bytes(self) -> int:
        return sum(len(d) for _i, d in self.parts) + sum(len(d) for _i, d in self.singles)

    @property
    def waiting(self) -> bool:
        return self.snapshot is not None or bool(self.parts) or bool(self.singles)

    def next_frame(self) -> deque[tuple[str, bytes]] | None:
        return self.singles or self.parts or None


class Outbox:
    def __init__(
        self, stalled_s: float = STALLED_S, max_waiting_bytes: int = MAX_WAITING_BYTES
    ) -> None:
        self.stalled_s = stalled_s
        self.max_waiting_bytes = max_waiting_bytes
        self._peers: OrderedDict[bytes, _Peer] = OrderedDict()
        self._waiting: set[bytes] = set()
        self._drops = ThrottledLog(log, 5.0)  # a peer that never reads: not a line per reply
        self.waiting_bytes = 0
        """What the encoded answers waiting weigh, together (MAX_WAITING_BYTES)."""

    def answer(self, router: zmq.Socket[bytes], envelope: list[bytes], message: Message) -> None:
        """One answer: sent now, or, when large, once the connection has read the large ones
        before it."""
        try:
            data = encode(message)
            if len(data) > MAX_MESSAGE_BYTES:  # a client drops it unread: say why instead
                detail = f"the answer is {len(data)} bytes, over the {MAX_MESSAGE_BYTES} limit"
                log.error("%s to %s not sent: %s", message.type, message.reply_to, detail)
                data = encode(error_reply(ErrorCode.INTERNAL, detail, message.reply_to))
        except (TypeError, ValueError):  # orjson: nested past its depth, or not JSON at all
            log.exception("%s to %s could not be encoded", message.type, message.reply_to)
            detail = "the backend failed; see its log"
            data = encode(error_reply(ErrorCode.INTERNAL, detail, message.reply_to))
        if len(data) > ACK_ABOVE:
            self.large(envelope, message.id, data)
            return
        try:
            router.send_multipart([*envelope, data], zmq.NOBLOCK)
        except zmq.Again:
            self._drops.info("reply to peer %s dropped: it does not read", envelope[0].hex())
        except zmq.ZMQError as e:  # EHOSTUNREACH: the peer left
            self._drops.info("reply to peer %s dropped: %s", envelope[0].hex(), e.strerror)

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def _peer(self, envelope: list[bytes]) -> _Peer:
        key = envelope[0]
        peer = self._peers.get(key)
        if peer is None:
            peer = self._peers[key] = _Peer(envelope)
            while len(self._peers) > PEERS_KEPT:
                self._forget(next(iter(self._peers)))
        else:
            self._peers.move_to_end(key)
        return peer

    def start_snapshot(
        self, envelope: list[bytes], request_id: str, seq: int, session: str,
        incidents: list[dict[str, Any]],
    ) -> None:  # fmt: skip
        """A snapshot to send in chunks; one still waiting for this connection is dropped."""
        peer = self._peer(envelope)
        peer.snapshot = _Snapshot(request_id, seq, session, incidents)
        self._waiting.add(envelope[0])

    def start_parts(self, envelope: list[bytes], frames: list[tuple[str, bytes]]) -> None:
        """A township in parts, encoded (id and bytes); one still waiting is dropped."""
        peer = self._peer(envelope)
        size = sum(len(d) for _i, d in frames)
        if not self._room(peer, size - peer.waiting_bytes):
            return
        self.waiting_bytes -= sum(len(d) for _i, d in peer.parts)
        peer.parts = deque(frames)
        self.waiting_bytes += size
        self._waiting.add(envelope[0])

    def large(self, envelope: list[bytes], msg_id: str, data: bytes) -> None:
        """One large answer (over ACK_ABOVE) to send when the connection may take it."""
        peer = self._peer(envelope)
        if len(peer.singles) >= SINGLES_WAITING:
            _id, dropped = peer.singles.popleft()
            self.waiting_bytes -= len(dropped)
            self._drops.info("a large answer to peer %s dropped: it does not read",
                             envelope[0].hex())  # fmt: skip
        if not self._room(peer, len(data)):
            return
        peer.singles.append((msg_id, data))
        self.waiting_bytes += len(data)
        self._waiting.add(envelope[0])

    def _room(self, peer: _Peer, size: int) -> bool:
        if self.waiting_bytes + size <= self.max_waiting_bytes:
            return True
        self._drops.warning("a large answer to peer %s dropped: %d MB wait already, for every "
                            "connection together", peer.envelope[0].hex(),
                            self.waiting_bytes // 2**20)  # fmt: skip
        return False

    def _forget(self, key: bytes) -> None:
        peer = self._peers.pop(key, None)
        self._waiting.discard(key)
        if peer is not None:
            self.waiting_bytes -= peer.waiting_bytes

    def acknowledged(self, envelope: list[bytes], part: str) -> None:
        peer = self._peers.get(envelope[0])
        if peer is not None and part in peer.unacked:
            peer.unacked.discard(part)
            peer.progress = time.monotonic()

    def unacknowledged(self) -> int:
        """Large answers sent and not yet acknowledged, over every connection (a bench reads it)."""
        return sum(len(p.unacked) for p in self._peers.values())

    def send(self, router: zmq.Socket[bytes]) -> None:
        """One message per waiting connection that may take one."""
        now = time.monotonic()
        for key in list(self._waiting):
            peer = self._peers[key]
            if len(peer.unacked) >= LARGE_IN_FLIGHT:
                self._let_go_if_stalled(key, peer, now)
                continue  # its reader has not caught up
            queue = peer.next_frame()
            if queue is not None:
                msg_id, data = queue[0]
            else:
                assert peer.snapshot is not None
                msg_id, data, count = _chunk(peer.snapshot)
            try:
                router.send_multipart([*peer.envelope, data], zmq.NOBLOCK)
            except zmq.Again:
                continue  # the peer is not reading: later
            except zmq.ZMQError as e:  # EHOSTUNREACH: the peer left
                self._drops.info("answer to peer %s dropped: %s", key.hex(), e.strerror)
                self._forget(key)
                continue
            if len(data) > ACK_ABOVE:
                if not peer.unacked:
                    peer.progress = now  # the window was open: its time to answer starts now
                peer.unacked.add(msg_id)
            if queue is not None:
                queue.popleft()
                self.waiting_bytes -= len(data)
            else:
                _advance(peer, count)
            if not peer.waiting:
                self._waiting.discard(key)

    def _let_go_if_stalled(self, key: bytes, peer: _Peer, now: float) -> None:
        if now - peer.progress > self.stalled_s:
            self._drops.info("answers to peer %s let go: nothing acknowledged for %.0f s",
                             key.hex(), now - peer.progress)  # fmt: skip
            self._forget(key)


def _advance(peer: _Peer, count: int) -> None:
    """A snapshot's chunk of `count` incidents sent."""
    job = peer.snapshot
    assert job is not None
    job.offset += count
    job.chunk += 1
    if job.offset >= len(job.incidents):
        peer.snapshot = None


def _chunk(job: _Snapshot) -> tuple[str, bytes, int]:
    count = min(SNAPSHOT_CHUNK, len(job.incidents) - job.offset)
    while True:
        part = job.incidents[job.offset : job.offset + count]
        last = job.offset + count >= len(job.incidents)
        body = {"seq": job.seq, "chunk": job.chunk, "last": last, "incidents": part}
        msg = Message(
            MsgType.SNAPSHOT, body, session=job.session, seq=job.seq, reply_to=job.request_id
        )
        data = encode(msg)
        if len(data) <= MAX_MESSAGE_BYTES or count <= 1:
            return msg.id, data, count
        count //= 2
