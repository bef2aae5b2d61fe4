"""How far behind live a stream is, by the stream's own clock. Plain Python, no Qt: the decoder
feeds it each packet's timestamp and arrival (read_ahead decides what to skip).

A tile that decodes slower than the camera sends falls behind while data queues in socket and
server buffers; counted from decode to paint, that lag is invisible (it was 25 s on an H.265
tile that said 实时). Here each packet's arrival (monotonic) is set against its timestamp: the
offset `arrival - pts` is smallest when the stream was most nearly live, and the lag is how far
the newest offset is above that floor.

That floor cannot see a lag the stream had from its first packet (a recorder or relay that
passes the camera's video on seconds late). A camera's RTCP sender reports can: they tie its
timestamps to its wall clock, and where that clock agrees with ours, the stream at its most
live was that far behind the camera (`sender_gap`), added to the lag. Where it does not (a
clock never set, another time zone), the gap says nothing about lag and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

DRIFT = 1e-3
"""Seconds per second the floor may rise by itself: a camera's clock may run slow against
ours (cheap ones by a few hundred ppm: 300 ppm read as a lag of 0.7 s more every hour at
100 ppm). A lag that builds faster than 3.6 s an hour is shown."""
JUMP = 600.0
"""An offset this far from the floor is a new timeline (a camera restarted, a wrap), not lag."""
REORDER = 0.5
"""A timestamp this far back or less may be a B-frame's (by presentation time): a step, not a
new timeline."""
FORWARD_SLACK = 0.5
"""A packet can be more nearly live than the one before by at most that one's lag (catching
up) and this much (jitter); a step further forward is the timestamps jumping, not lag gone."""
BURST = 0.01
"""Packets that come closer together than this seconds were waiting to be read (a backlog),
not sent at the camera's pace."""
SENDER_TRUSTED = (0.5, 5.0)
"""A stream behind its camera's clock (RTCP) by this much, at its most live, is taken to be
that late (a relay's or a recorder's delay); by more, or ahead of it, the camera's clock is
taken to be wrong (a clock never set is hours or years off) and the gap is left out. Less is
a camera's own encoding and sending (0.04 s from gst-rtsp-server): no lag to show, and added
to every lag it made the wall under overload read worse (docs/benchmarks.md)."""


@dataclass(slots=True)
class StreamClock:
    floor: float | None = None
    at: float = 0.0
    lag: float = 0.0
    """By arrival alone: how far the newest packet is above the floor."""
    last_pts: float | None = None
    sender_gap: float | None = None
    """The least, over the stream, of how far behind its camera's clock (RTCP) a packet was
    beyond its lag by arrival: the lag the floor cannot see. None: no sender report yet.
    Kept as it was once the timestamps jump: FFmpeg maps them to the camera's clock by its
    first report only, a mapping the jump has made wrong."""
    timeline_jumps: int = 0

    def observe(self, arrival: float, pts: float, sender_lag: float | None = None) -> float:
        """The lag, in seconds, of a packet with timestamp `pts` (s) arriving at `arrival`
        (the decoding timestamp where the stream has one: it never steps back by itself).
        Timestamps that step back, or forward further than catching up could (a camera's
        clock set, a stream restarted after a stall), start a new timeline: read from a
        backlog, the lag goes on from where it was (ours, not the camera's); come at the
        camera's pace, the new timeline starts live, as a new connection does. A B-frame's
        presentation timestamp steps back a few frames and forward again: the next frame's
        offset, lower, sets the floor back. `sender_lag`: our wall clock's time less the
        camera's for the packet (by its RTCP sender reports), if it sent any."""
        offset = arrival - pts
        step = None if self.last_pts is None else pts - self.last_pts
        self.last_pts = pts
        if self.floor is None or abs(offset - self.floor) > JUMP:
            self.timeline_jumps += self.floor is not None
            self.floor = offset
        elif step is not None and (step < 0 or offset < self.floor - FORWARD_SLACK):
            # (Catching up brings an offset down to the floor at most: the last one's was the
            # floor plus its lag, and a packet can be that much more nearly live, no more.)
            burst = arrival - self.at < BURST
            self.floor = offset - (self.lag if burst else 0.0)
            self.timeline_jumps += step < -REORDER or step > 0
        else:
            self.floor = min(offset, self.floor + DRIFT * max(0.0, arrival - self.at))
        self.at = arrival
        self.lag = offset - self.floor
        if sender_lag is not None and not self.timeline_jumps:
            gap = sender_lag - self.lag
            self.sender_gap = gap if self.sender_gap is None else min(self.sender_gap, gap)
        return self.lag + self.upstream_lag

    @property
    def upstream_lag(self) -> float:
        """The lag before the first packet came, where the camera's clock can be trusted."""
        gap = self.sender_gap
        least, most = SENDER_TRUSTED
        return gap if gap is not None and least < gap <= most else 0.0
