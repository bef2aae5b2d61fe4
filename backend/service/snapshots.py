"""Snapshots go out in chunks, one per waiting snapshot per turn of the loop: a large one never
blocks the loop as one long send, and a console that does not read is tried again later."""

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


class SnapshotSender:
    def __init__(self) -> None:
        self._jobs: deque[_Job] = deque()

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def start(
        self, envelope: list[bytes], request_id: str, seq: int, session: str,
        incidents: list[dict[str, Any]],
    ) -> None:  # fmt: skip
        self._jobs.append(_Job(envelope, request_id, seq, session, incidents))

    def send_chunks(self, router: zmq.Socket[bytes]) -> None:
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
