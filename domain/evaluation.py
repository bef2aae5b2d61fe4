"""The evaluation figures (考核) for any period a supervisor picks: per department, platform,
village, grid or grid worker (docs/indicators.md, "Evaluation"); villages, grids and grid
workers are also held to their patrols (巡查).

Computed on request from the store's incidents and action log of the period, not kept live: a
monthly assessment asks for a few periods a day, and the formulas are the live indicators'
(domain.indicators): a case counts among those due at its deadline, or at its closing when that
came first; rejected, merged and parked cases are never due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.incident import Channel, Incident
from domain.indicators import NO_COHORT
from domain.lifecycle import CLOSING_ACTIONS, Change
from domain.patrol import Patrol

DIMENSIONS = ("department", "platform", "village", "grid", "grid_worker")
PATROL_DIMENSIONS = frozenset({"village", "grid", "grid_worker"})
MAX_DAYS = 92
CLOSING = frozenset(a.value for a in CLOSING_ACTIONS)


@dataclass
class _Row:
    received: int = 0
    due: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    urged: int = 0
    close_seconds: float = 0.0
    closings: int = 0
    score_sum: int = 0
    evaluations: int = 0
    daily: list[int] = field(default_factory=list)
    patrols: int = 0
    patrol_days: set[int] = field(default_factory=set)
    patrol_seconds: float = 0.0
    patrol_metres: float = 0.0
    found: int = 0

    def to_wire(self, value: str, elapsed_days: int | None) -> dict[str, Any]:
        """`elapsed_days`: the period's days begun so far, for patrol figures; None: none."""
        patrols = {
            "patrols": self.patrols,
            "patrol_days": len(self.patrol_days),
            "patrol_day_rate": len(self.patrol_days) / elapsed_days if elapsed_days else None,
            "patrol_hours": round(self.patrol_seconds / 3600, 2),
            "patrol_km": round(self.patrol_metres / 1000, 2),
            "found_on_patrol": self.found,
        }
        return {
            "value": value,
            "received": self.received,
            "due": self.due,
            "closed": self.closed,
            "on_time": self.on_time,
            "closure_rate": self.closed / self.due if self.due else None,
            "on_time_rate": self.on_time / self.due if self.due else None,
            "avg_hours_to_close": self.close_seconds / self.closings / 3600
            if self.closings
            else None,
            "overdue": self.overdue,
            "urged": self.urged,
            "satisfaction": self.score_sum / self.evaluations if self.evaluations else None,
            "evaluations": self.evaluations,
            "daily_closed": self.daily,
        } | (patrols if elapsed_days is not None else {})


def value_of(incident: Incident, dim: str, platform_of: Callable[[str], str | None]) -> str | None:
    """Where an incident counts in `dim`, or None (not yet dispatched; not a grid worker's)."""
    if dim == "department":
        return incident.department
    if dim == "platform":
        return incident.platform or platform_of(incident.category)
    if dim == "village":
        return incident.village
    if dim == "grid":
        return incident.grid
    if dim == "grid_worker":
        return incident.reporter if incident.channel == Channel.GRID_APP else None
    raise ValueError(f"dimension must be one of {DIMENSIONS}")


def patrol_value_of(patrol: Patrol, dim: str) -> str | None:
    """Where a patrol counts: its village, grid, or worker (by name, as reports name theirs)."""
    return {"village": patrol.village, "grid": patrol.grid, "grid_worker": patrol.worker_name}.get(
        dim
    )


@dataclass
class _Period:
    """The rows of one evaluation as they fill up, and the period's days in the township."""

    start: float
    end: float
    tz: dt.tzinfo
    first_day: dt.date
    days: int
    rows: dict[str, _Row] = field(default_factory=dict)

    def row(self, value: str) -> _Row:
        r = self.rows.get(value)
        if r is None:
            r = self.rows[value] = _Row(daily=[0] * self.days)
        return r

    def day(self, at: float) -> int:
        return (dt.datetime.fromtimestamp(at, self.tz).date() - self.first_day).days

    def days_begun(self, now: float) -> int:
        day_starts = (
            dt.datetime.combine(self.first_day + dt.timedelta(days=k), dt.time(), self.tz)
            for k in range(self.days)
        )
        return sum(1 for t in day_starts if t.timestamp() < now)

    def count_change(self, r: _Row, change: Change, received_at: float) -> None:
        if change.action == "report":
            r.received += 1
        elif change.action == "overdue":
            r.overdue += 1
        elif change.action == "urge":
            r.urged += 1
        elif change.action in CLOSING:
            r.close_seconds += change.at - received_at
            r.closings += 1
            r.daily[self.day(change.at)] += 1
        elif change.action == "evaluate":
            score = change.args.get("score")
            if isinstance(score, int) and not isinstance(score, bool):
                r.score_sum += score
                r.evaluations += 1

    def count_patrol(self, r: _Row, patrol: Patrol) -> None:
        r.patrols += 1
        r.patrol_days.add(self.day(patrol.started_at))
        r.patrol_seconds += patrol.ended_at - patrol.started_at
        r.patrol_metres += patrol.distance_m
        r.found += patrol.found


def evaluate(
    incidents: Iterable[Incident],
    changes: Iterable[Change],
    start: float,
    end: float,
    dim: str,
    tz: dt.tzinfo,
    platform_of: Callable[[str], str | None],
    now: float,
    patrols: Iterable[Patrol] = (),
) -> dict[str, Any]:
    """Rows for every value of `dim` with anything in [start, end); `incidents` must hold every
    incident the changes refer to and every one due in the period; `patrols`, those started in
    it."""
    if dim not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    first_day = dt.datetime.fromtimestamp(start, tz).date()
    days = (dt.datetime.fromtimestamp(end - 1, tz).date() - first_day).days + 1
    period = _Period(start, end, tz, first_day, days)
    by_id = {}
    for incident in incidents:
        by_id[incident.id] = incident
        value = value_of(incident, dim, platform_of)
        if value is None or incident.state in NO_COHORT:
            continue
        closed_at, due = incident.closed_at, incident.case_due
        on_time = closed_at is not None and (due is None or closed_at <= due)
        at = closed_at if on_time else due
        if at is not None and start <= at < min(end, now):
            r = period.row(value)
            r.due += 1
            r.closed += closed_at is not None
            r.on_time += on_time
    for change in changes:
        changed = by_id.get(change.incident)
        if changed is None or not start <= change.at < end:
            continue
        value = value_of(changed, dim, platform_of)
        if value is not None:
            period.count_change(period.row(value), change, changed.received_at)
    for patrol in patrols:
        value = patrol_value_of(patrol, dim)
        if value is not None and start <= patrol.started_at < end:
            period.count_patrol(period.row(value), patrol)
    elapsed = period.days_begun(now) if dim in PATROL_DIMENSIONS else None
    return {
        "dimension": dim,
        "start": start,
        "end": end,
        "first_day": first_day.isoformat(),
        "days": days,
        "rows": [r.to_wire(v, elapsed) for v, r in sorted(period.rows.items())],
    }
