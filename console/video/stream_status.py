"""What a stream is doing, in words a tile can show: plain Python, no Qt."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class StreamState(StrEnum):
    IDLE = "idle"  # no camera on the tile
    CONNECTING = "connecting"
    LIVE = "live"
    NO_SIGNAL = "no_signal"  # was live (or never was), nothing for `stall_after` seconds
    RECONNECTING = "reconnecting"  # waiting out the back-off before the next attempt
    UNAUTHORISED = "unauthorised"  # the camera refused our credentials: retrying will not help
    BAD_URL = "bad_url"  # not a stream we can open at all (malformed, unknown scheme, no file)
    NOT_FOUND = "not_found"  # the server answered that it has no such stream (404)
    HIDDEN = "hidden"  # the tile is not on screen: nothing decoded


@dataclass(frozen=True, slots=True)
class StreamStatus:
    state: StreamState
    fps: float = 0.0
    """Frames decoded per second over the last few seconds (LIVE)."""
    last_frame_at: float | None = None
    """Wall-clock time of the newest frame, for "no signal since HH:MM:SS"."""
    retry_at: float | None = None
    """Monotonic time of the next attempt (RECONNECTING)."""
    detail: str = ""
    """What the library said, for the log and the tooltip; the tile says it in plain words."""
    failures: int = 0
    """Attempts that failed since the stream was last live (connecting again after one: 无信号)."""
    lag: float = 0.0
    """Seconds behind live by the stream's own clock (LIVE); 1 s or more is shown, not 实时."""


@dataclass(slots=True)
class Backoff:
    """Exponential back-off with full jitter and a cap: a camera that is down is asked again
    soon, then less and less often, and 40 cameras behind one dead switch do not all knock at
    the same instant when it comes back."""

    first: float = 1.0
    cap: float = 30.0
    factor: float = 2.0
    attempts: int = 0
    rng: random.Random | None = None

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.first * self.factor**self.attempts)
        self.attempts += 1
        rng = self.rng or random
        return ceiling / 2 + rng.uniform(0, ceiling / 2)  # never less than half: no hammering

    def reset(self) -> None:
        self.attempts = 0
