"""A live stream whose timestamps are not the camera's (MJPEG over HTTP: FFmpeg numbers its
frames at an assumed 25 a second), read so that the decoder always goes on from the newest
frame that has come. Plain Python, no Qt.

No lag can be read from such timestamps (read_ahead takes them for the camera's), yet a
backlog can be seen: a packet that was waiting comes back at once, one not yet sent has to be
waited for. A decoder slower than the camera that decoded every frame fell further behind
each second while the tile said 实时 (7.4 s after 20 s, a 30 fps camera). So when a packet
came at once, what else is waiting is read as well, and the decoder goes on from the newest
key frame among it (in MJPEG every frame is one).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

AT_ONCE = 0.002
"""Seconds: a read this quick found its packet waiting (demuxing a buffered JPEG takes well
under a millisecond; a camera's next frame is tens of milliseconds away)."""
MOST_WAITING = 1500
"""Packets read in one go at most, so that memory stays bounded whatever the source does."""


def _no_count(skipped: int) -> None:
    pass


class NewestWaiting:
    def __init__(
        self,
        packets: Iterator[Any],
        on_skip: Callable[[int], None] = _no_count,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`on_skip`: told how many packets were read and passed over, each time some were."""
        self._packets = packets
        self._on_skip = on_skip
        self._now = monotonic
        self._queue: deque[Any] = deque()
        self._ended = False
        self.skipped = 0

    def __iter__(self) -> NewestWaiting:
        return self

    def __next__(self) -> Any:
        if self._queue:
            return self._queue.popleft()
        if self._ended:
            raise StopIteration
        packet, waited = self._read()
        if waited:
            return packet
        waiting = [packet]
        while len(waiting) < MOST_WAITING:
            try:
                packet, waited = self._read()
            except StopIteration:
                self._ended = True
                break
            waiting.append(packet)
            if waited:  # the live edge: this one was sent after we asked
                break
        keys = [i for i, p in enumerate(waiting) if p.is_keyframe and p.size]
        if keys and keys[-1] > 0:
            self.skipped += keys[-1]
            self._on_skip(keys[-1])
            del waiting[: keys[-1]]
        self._queue.extend(waiting[1:])
        return waiting[0]

    def _read(self) -> tuple[Any, bool]:
        """The next packet, and whether reading it had to wait for the source."""
        started = self._now()
        packet = next(self._packets)
        return packet, self._now() - started > AT_ONCE
