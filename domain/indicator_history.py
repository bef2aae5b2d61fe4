"""Minute-level history of the indicators, so that a chart opened later shows the last 24 h
and the last 30 days at once.

The backend counts each minute's reports and closings as it commits them and, when the minute
is over, stores one row with the standing figures of that moment (open, overdue, in progress).
A minute the backend did not see end (it was down) is rebuilt from the action log at the next
start: its counts are exact, its standing figures unknown (None), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.lifecycle import CLOSING_ACTIONS, Change

MINUTE = 60
HISTORY_DAYS = 30
KEPT_SECONDS = (HISTORY_DAYS + 1) * 86_400
"""A day more than shown: a chart of 30 days opened at 23:59 still has its first day whole."""

COUNTED = ("received", "closed")
"""Summed over a step."""
STANDING = ("open", "overdue", "in_progress")
"""The most in a step (a peak of overdue cases must not vanish in an hourly bar)."""
SERIES = COUNTED + STANDING
STEPS = (1, 5, 10, 60)
"""Minutes per point a console may ask for."""
CLOSING = frozenset(a.value for a in CLOSING_ACTIONS)


def minute_of(t: float) -> int:
    return int(t // MINUTE) * MINUTE


@dataclass(frozen=True, slots=True)
class MinuteRow:
    at: int
    """The minute's start, epoch seconds."""
    received: int = 0
    closed: int = 0
    open: int | None = None
    overdue: int | None = None
    in_progress: int | None = None

    def to_wire(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("at", *SERIES)}


def counts_of(change: Change) -> tuple[int, int]:
    """(received, closed) that one change adds."""
    if change.action == "report":
        return 1, 0
    return 0, int(change.action in CLOSING)


class MinuteCounter:
    """The minute in progress: fed every committed change, rolled over by the clock."""

    def __init__(self, now: float) -> None:
        self.minute = minute_of(now)
        self.received = 0
        self.closed = 0

    def record(self, change: Change) -> None:
        received, closed = counts_of(change)
        self.received += received
        self.closed += closed

    def roll(self, now: float, standing: dict[str, int]) -> list[MinuteRow]:
        """The rows of minutes that ended by `now` (usually none or one; more if the clock
        stalled, the later ones empty), with `standing` as it is now."""
        current = minute_of(now)
        if current <= self.minute:
            return []
        levels = {name: standing.get(name, 0) for name in STANDING}
        rows = [MinuteRow(self.minute, self.received, self.closed, **levels)]
        rows += [MinuteRow(m, 0, 0, **levels) for m in range(self.minute + MINUTE, current, MINUTE)]
        self.minute, self.received, self.closed = current, 0, 0
        return rows


def backfill(changes: Iterable[Change], after: int | None, now: float) -> list[MinuteRow]:
    """Rows for the minutes after `after` (the last one stored) and before the current one
    that had reports or closings: what a backend that stopped mid-minute did not store."""
    current = minute_of(now)
    counts: dict[int, list[int]] = {}
    for change in changes:
        m = minute_of(change.at)
        if (after is not None and m <= after) or m >= current:
            continue
        received, closed = counts_of(change)
        if received or closed:
            c = counts.setdefault(m, [0, 0])
            c[0] += received
            c[1] += closed
    return [MinuteRow(m, r, c) for m, (r, c) in sorted(counts.items())]


def series(rows: Sequence[MinuteRow], since: int, until: int, step: int) -> dict[str, Any]:
    """Dense columns from `since` to `until` (minute starts; `until` itself is left out),
    `step` minutes per point: counts summed, standing figures at their most; a point with no
    stored minute is None."""
    width = step * MINUTE
    n = max(0, -(-(until - since) // width))
    columns: dict[str, list[int | None]] = {name: [None] * n for name in SERIES}
    for row in rows:
        i = (row.at - since) // width
        if not 0 <= i < n:
            continue
        for name in COUNTED:
            before = columns[name][i]
            columns[name][i] = (before or 0) + getattr(row, name)
        for name in STANDING:
            value, before = getattr(row, name), columns[name][i]
            if value is not None and (before is None or value > before):
                columns[name][i] = value
    return {"start": since, "until": until, "step": width, "points": n, "series": columns}
