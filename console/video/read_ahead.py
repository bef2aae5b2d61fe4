"""A live stream's packets, read ahead of its decoder when the decoder falls behind, so that it
can go on from the newest key frame the camera has already sent. Plain Python, no Qt.

Of all the ways to spend too little CPU on a GOP, this keeps the picture on screen youngest:
decoding a share r of real time, the oldest picture shown is (1 - r) of a GOP old and a few
frames' decoding (1.1 s at r = 0.55 with 2 s GOPs, tests/test_read_ahead.py). Skipping to the
next key frame as soon as the lag passed a threshold, as this decoder did before, froze the
picture until that key frame came (1.35 s there; 1.4-1.7 s behind on the wall). Reading ahead
takes only what has already come: it stops at the live edge, and a read that had to wait means
nothing more was there (a lag upstream, not ours to remove).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from console.video.stream_clock import StreamClock


def _never_waited() -> float:
    return 0.0


def _aged(lag: float, read_at: float, now: float) -> float:
    """A packet's lag when read, and live has gone on since."""
    return lag + max(0.0, now - read_at)


def sender_epoch(container: Any) -> float | None:
    """The camera's wall-clock time (Unix seconds) of timestamp 0 by its first RTCP sender
    report (FFmpeg's `start_time_realtime`, in microseconds); None before one came, and for
    sources without them."""
    micros = getattr(container, "start_time_realtime", None)
    return micros / 1e6 if micros else None


MOST_AHEAD = 1500
"""Packets read ahead at most in one go (a minute at 25 fps): a source that sends faster than
its own clock for that long is not a camera's backlog, and memory stays bounded."""


LOOK_AGAIN = 1.0
"""Seconds between looks at what has come while behind by a lag taken for upstream."""


class ReadAhead:
    """Iterates a live stream's packets; `lag_now` is how far the packet last yielded is behind
    live, by the stream's clock; `catch_up` drops the packets before the newest key frame that
    has come when the decoder is behind by more than `after` seconds."""

    def __init__(
        self,
        packets: Iterator[Any],
        after: float,
        frame: float,
        cpu_wait: Callable[[], float] = _never_waited,
        container: Any = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        """`frame`: the stream's frame period (s); `cpu_wait`: the thread's time so far spent
        waiting for a CPU (a read slowed by that did not wait for the camera); `container`:
        the stream's, for its camera's RTCP sender reports (`sender_epoch`)."""
        self._packets = packets
        self._container, self._wall = container, wall
        self._epoch: float | None = None
        self.after = after
        self._frame = frame
        self._cpu_wait = cpu_wait
        self._now = monotonic
        self.clock = StreamClock()
        self._queue: deque[tuple[Any, float, float, float | None]] = deque()
        """Packets read and not yet yielded, each with its lag and time when read and its
        timestamp (s)."""
        self._lag, self._read_at = 0.0, 0.0
        self.stamp: float | None = None
        """The timestamp (s) of the packet last yielded, if it has one."""
        self.upstream = 0.0
        """Lag that reading ahead found nothing to skip: the camera or a recorder sends late.
        Not ours to remove: frames are decoded on, and the tile says how far behind it is."""
        self.skipped = 0
        self._looked_at = -LOOK_AGAIN

    def __iter__(self) -> ReadAhead:
        return self

    def __next__(self) -> Any:
        if not self._queue:
            self._read()
        packet, self._lag, self._read_at, self.stamp = self._queue.popleft()
        return packet

    def lag_now(self, now: float) -> float:
        """The packet last yielded: behind live when read, and live has gone on since, and
        what the camera's clock says the stream was late before it reached us."""
        return self._own_lag(now) + self.clock.upstream_lag

    def _own_lag(self, now: float) -> float:
        """By arrival alone: what reading ahead can remove (the rest is not ours to chase)."""
        return _aged(self._lag, self._read_at, now)

    def catch_up(self, now: float) -> int:
        """For the packet last yielded, before it is decoded: how many packets to skip, it
        included (0: decode it). The next packet yielded after a skip is a key frame."""
        lag = self._own_lag(now)
        self.upstream = min(self.upstream, lag)
        if lag - self.upstream <= self.after:
            if self.upstream <= self.after or now - self._looked_at < LOOK_AGAIN:
                return 0
            # Behind by what was taken for a lag upstream: is it still? What has come since
            # (a recorder that caught up sends its backlog at once) says where live is now.
            self._looked_at = now
            self._read_what_has_come()
            if self._queue:
                _, edge, read_at, _ = self._queue[-1]
                self.upstream = min(self.upstream, _aged(edge, read_at, now))
            if lag - self.upstream <= self.after:
                return 0
        waited = self._read_what_has_come()
        keys = [i for i, entry in enumerate(self._queue) if entry[0].is_keyframe]
        if keys:  # a skip that would gain little is not worth the frames (every frame a key)
            _, key_lag, read_at, _ = self._queue[keys[-1]]
            if lag - _aged(key_lag, read_at, now) <= self.after:
                keys = []
        if not keys:
            if waited:  # the camera's packets come this late: the lag is before us
                self.upstream = self._queue[-1][1] if self._queue else lag
            return 0  # decode on: the picture stays youngest until the next key frame comes
        for _ in range(keys[-1]):
            self._queue.popleft()
        self.skipped += keys[-1] + 1
        return keys[-1] + 1

    def _read_what_has_come(self) -> bool:
        """Reads until the live edge (a packet that came within a frame) or two reads in a row
        that wait; True if they did: the camera's packets come at its pace, nothing more is
        buffered. One slow read says little: with many decoders, taking the GIL back after a
        read can take longer than half a frame (94 false verdicts in 20 s, both cores busy)."""
        waits = 0
        while len(self._queue) < MOST_AHEAD and (
            not self._queue or self._queue[-1][1] + self._now() - self._queue[-1][2] >= self._frame
        ):
            started, cpu = self._now(), self._cpu_wait()
            try:
                packet = self._read()
            except StopIteration:
                return True
            if not packet.size:
                return True  # the stream ended
            read_at = self._queue[-1][2]
            waited = read_at - started - (self._cpu_wait() - cpu) > self._frame / 2
            waits = waits + 1 if waited else 0
            if waits == 2:
                return True
        return False

    def _read(self) -> Any:
        """The next packet, queued with its lag, time read and timestamp, each worked out
        once; StopIteration at the end of the stream."""
        packet = next(self._packets)
        read_at = self._now()
        stamp = packet.dts if packet.dts is not None else packet.pts
        if stamp is None or not packet.time_base or not packet.size:
            self._queue.append((packet, self.clock.lag, read_at, None))
        else:
            at = float(stamp * packet.time_base)
            if self._epoch is None:
                self._epoch = sender_epoch(self._container)
            sent = None if self._epoch is None else self._wall() - (self._epoch + at)
            self.clock.observe(read_at, at, sent)
            self._queue.append((packet, self.clock.lag, read_at, at))
        return packet
