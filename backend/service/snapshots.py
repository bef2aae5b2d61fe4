"""Snapshots (and townships too big for one message) go out in chunks, one per waiting reply per
turn of the loop: a large one never blocks the loop as one long send, and a console that does
not read is tried again later."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import Any

import zmq

from domain.wire import MAX_MESSAGE_BYTES, Message, MsgType, encode

log = logging.getLogger("backend.server")
SNAPSHOT_CHUNK = 500
"""Incidents per snapshot message at most (fewer when they would not fit MAX_MESSAGE_BYTES)."""


@dataclass(slots=True)
class _Job:
    envelope: list[bytes]
    request_id: str
    seq: int
    session: str
    incidents: list[dict[str, Any]]
    offset: int = 0
    chunk: int = 0


@dataclass(slots=True)
class _Parts:
    envelope: list[bytes]
    frames: deque[bytes]


class SnapshotSender:
    def __init__(self) -> None:
        self._jobs: deque[_Job] = deque()
        self._parts: deque[_Parts] = deque()

    def __bool__(self) -> bool:
        return bool(self._jobs) or bool(self._parts)

    def start_parts(self, envelope: list[bytes], frames: list[bytes]) -> None:
        """A reply already encoded in parts (backend.service.handlers.township)."""
        self._parts.append(_Parts(envelope, deque(frames)))

    def _send_parts(self, router: zmq.Socket[bytes]) -> None:
        for _ in range(len(self._parts)):
            job = self._parts.popleft()
            try:
                router.send_multipart([*job.envelope, job.frames[0]], zmq.NOBLOCK)
            except zmq.Again:
                self._parts.append(job)
                continue
            except zmq.ZMQError as e:
                log.info("reply to peer %s dropped: %s", job.envelope[0].hex(), e.strerror)
                continue
            job.frames.popleft()
            if job.frames:
                self._parts.append(job)

    def start(
        self, envelope: list[bytes], request_id: str, seq: int, session: str,
        incidents: list[dict[str, Any]],
    ) -> None:  # fmt: skip
        self._jobs.append(_Job(envelope, request_id, seq, session, incidents))

    def send_chunks(self, router: zmq.Socket[bytes]) -> None:
        self._send_parts(router)
        for _ in range(len(self._jobs)):
            job = self._jobs.popleft()
            data, count = _chunk(job)
            try:
                router.send_multipart([*job.envelope, data], zmq.NOBLOCK)
            except zmq.Again:
                self._jobs.append(job)  # the peer is not reading: later
                continue
            except zmq.ZMQError as e:
                log.info("snapshot to peer %s dropped: %s", job.envelope[0].hex(), e.strerror)
                continue
            job.offset += count
            job.chunk += 1
            if job.offset < len(job.incidents):
                self._jobs.append(job)


def _chunk(job: _Job) -> tuple[bytes, int]:
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
            return data, count
        count //= 2
