"""How far behind live a stream is, by the stream's own clock, and when to skip frames to catch
up. Plain Python, no Qt: the decoder feeds it each packet's timestamp and arrival.

A tile that decodes slower than the camera sends falls behind while data queues in socket and
server buffers; counted from decode to paint, that lag is invisible (it was 25 s on an H.265
tile that said 实时). Here each packet's arrival (monotonic) is set against its timestamp: the
offset `arrival - pts` is smallest when the stream was most nearly live, and the lag is how far
the newest offset is above that floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DRIFT = 1e-3
"""Seconds per second the floor may rise by itself: a camera's clock may run slow against
ours (cheap ones by a few hundred ppm: 300 ppm read as a lag of 0.7 s more every hour at
100 ppm). A lag that builds faster than 3.6 s an hour is shown."""
JUMP = 600.0
"""An offset this far from the floor is a new timeline (a camera restarted, a wrap), not lag."""


@dataclass(slots=True)
class StreamClock:
    floor: float | None = None
    at: float = 0.0
    lag: float = 0.0
    last_pts: float | None = None

    def observe(self, arrival: float, pts: float) -> float:
        """The lag, in seconds, of a packet with timestamp `pts` (s) arriving at `arrival`.
        Timestamps that step back (a camera's clock reset) start a new timeline, not lag."""
        offset = arrival - pts
        back = self.last_pts is not None and pts < self.last_pts - 0.5
        self.last_pts = pts
        if self.floor is None or back or abs(offset - self.floor) > JUMP:
            self.floor = offset
        else:
            self.floor = min(offset, self.floor + DRIFT * max(0.0, arrival - self.at))
        self.at = arrival
        self.lag = offset - self.floor
        return self.lag


def _never_waited() -> float:
    return 0.0


@dataclass(slots=True)
class CatchUp:
    """Whether to skip a packet: behind by more than `after` seconds, the decoder decodes key
    frames only and reads the rest without decoding, which drains the backlog in buffers far
    faster than real time. If that does not shrink the lag within `give_up_after` seconds the
    lag is upstream (a slow recorder, a congested link): skipping would only cost frames, so it
    stops, and the tile says how far behind it is."""

    after: float = 1.0
    give_up_after: float = 3.0
    cpu_wait: Callable[[], float] = _never_waited
    """The decoder thread's time waiting for a CPU so far: a round that could not shrink the
    lag because the thread hardly ran says nothing of the stream, and another round starts."""
    catching: bool = False
    started: float = 0.0
    waited_at_start: float = 0.0
    lag_at_start: float = 0.0
    upstream: float = 0.0
    """Lag that skipping could not remove: not counted against us until it grows further."""
    skipped: int = 0

    def skip(self, now: float, lag: float, keyframe: bool) -> bool:
        self.upstream = min(self.upstream, lag)
        ours = lag - self.upstream
        if not self.catching and ours > self.after:
            self.catching = True
            self._round(now, lag)
        if self.catching:
            if ours < self.after / 2:
                self.catching = False  # caught up
            elif now - self.started > self.give_up_after:
                short_of_cpu = self.cpu_wait() - self.waited_at_start > (now - self.started) / 3
                if lag > self.lag_at_start - 0.5 and not short_of_cpu:
                    self.catching, self.upstream = False, lag  # not ours to remove
                else:  # still shrinking, or we hardly ran: another round, judged from here
                    self._round(now, lag)
        if self.catching and not keyframe:
            self.skipped += 1
            return True
        return False

    def _round(self, now: float, lag: float) -> None:
        self.started, self.lag_at_start, self.waited_at_start = now, lag, self.cpu_wait()
