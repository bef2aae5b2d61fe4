"""Main stream or sub stream for a tile: by its size, and by whether the machine keeps up. As
the best VMS clients do (Nx Witness drops a layout to its cameras' low-resolution streams when
frames are delayed or dropped in decoding), a large tile whose main stream had to skip frames
to stay live in several of the last seconds falls back to the sub stream, says so, and tries
the main stream again after a while, twice as long after each fall in a row. Plain Python,
no Qt."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MAIN_STREAM_ABOVE = (960, 540)
"""A tile at least this large (about a quarter of a 1080p wall) shows the main stream."""


def is_large(width: int, height: int) -> bool:
    return width >= MAIN_STREAM_ABOVE[0] and height >= MAIN_STREAM_ABOVE[1]


@dataclass(slots=True)
class StreamChoice:
    short_seconds: int = 3
    """Seconds (of the last `window`) with frames skipped to catch up that mean "short of CPU"."""
    window: int = 10
    retry_after: float = 120.0
    """Seconds on the sub stream before the main stream is tried again (the first time)."""
    longest_wait: float = 1800.0
    """However often the main stream fell behind, it is tried again at least this often."""
    reduced_until: float = 0.0
    """While now is before this, a large tile stays on the sub stream (short of CPU)."""
    _skipped: int = 0
    _behind: deque[bool] = field(default_factory=deque)
    _falls: int = 0  # in a row: each one waits twice as long before the next try
    _main_since: float | None = None

    def main_for(self, width: int, height: int, now: float) -> bool:
        return is_large(width, height) and now >= self.reduced_until

    def reduced(self, now: float) -> bool:
        return now < self.reduced_until

    def observe(self, skipped: int, on_main: bool, now: float) -> bool:
        """Once a second: the main stream's decoder's count of frames skipped to catch up.
        True when the tile should drop to its sub stream now."""
        grew, self._skipped = skipped > self._skipped, skipped
        if not on_main:
            self._behind.clear()
            self._main_since = None
            return False
        if self._main_since is None:
            self._main_since = now
        elif now - self._main_since >= self.retry_after:
            self._falls = 0  # it held: a later fall starts the waits over
        self._behind.append(grew)
        while len(self._behind) > self.window:
            self._behind.popleft()
        if sum(self._behind) >= self.short_seconds:
            self._behind.clear()
            wait = min(self.longest_wait, self.retry_after * 2**self._falls)
            self._falls += 1
            self.reduced_until, self._main_since = now + wait, None
            return True
        return False
