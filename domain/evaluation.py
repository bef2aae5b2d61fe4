"""The evaluation figures (考核) for any period a supervisor picks: per department, platform,
village or grid worker (docs/indicators.md, "Evaluation").

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
from domain.lifecycle import Change

DIMENSIONS = ("department", "platform", "village", "grid_worker")
MAX_DAYS = 92
CLOSING = frozenset({"close", "settle"})


@dataclass
class _Row:
    received: int = 0
    due: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    close_seconds: float = 0.0
    closings: int = 0
    score_sum: int = 0
    evaluations: int = 0
    daily: list[int] = field(default_factory=list)

    def to_wire(self, value: str) -> dict[str, Any]:
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
            "satisfaction": self.score_sum / self.evaluations if self.evaluations else None,
            "evaluations": self.evaluations,
            "daily_closed": self.daily,
        }


def value_of(incident: Incident, dim: str, platform_of: Callable[[str], str | None]) -> str | None:
    """Where an incident counts in `dim`, or None (not yet dispatched; not a grid worker's)."""
    if dim == "department":
        return incident.department
    if dim == "platform":
        return incident.platform or platform_of(incident.category)
    if dim == "village":
        return incident.village
    if dim == "grid_worker":
        return incident.reporter if incident.channel == Channel.GRID_APP else None
    raise ValueError(f"dimension must be one of {DIMENSIONS}")


def evaluate(
    incidents: Iterable[Incident],
    changes: Iterable[Change],
    start: float,
    end: float,
    dim: str,
    tz: dt.tzinfo,
    platform_of: Callable[[str], str | None],
    now: float,
) -> dict[str, Any]:
    """Rows for every value of `dim` with anything in [start, end); `incidents` must hold every
    incident the changes refer to and every one due in the period."""
    if dim not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    first_day = dt.datetime.fromtimestamp(start, tz).date()
    days = (dt.datetime.fromtimestamp(end - 1, tz).date() - first_day).days + 1
    rows: dict[str, _Row] = {}

    def row(value: str) -> _Row:
        r = rows.get(value)
        if r is None:
            r = rows[value] = _Row(daily=[0] * days)
        return r

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
            r = row(value)
            r.due += 1
            r.closed += closed_at is not None
            r.on_time += on_time
    for change in changes:
        changed = by_id.get(change.incident)
        if changed is None or not start <= change.at < end:
            continue
        value = value_of(changed, dim, platform_of)
        if value is None:
            continue
        r = row(value)
        if change.action == "report":
            r.received += 1
        elif change.action == "overdue":
            r.overdue += 1
        elif change.action in CLOSING:
            r.close_seconds += change.at - changed.received_at
            r.closings += 1
            day = (dt.datetime.fromtimestamp(change.at, tz).date() - first_day).days
            r.daily[day] += 1
        elif change.action == "evaluate":
            score = change.args.get("score")
            if isinstance(score, int) and not isinstance(score, bool):
                r.score_sum += score
                r.evaluations += 1
    return {
        "dimension": dim,
        "start": start,
        "end": end,
        "first_day": first_day.isoformat(),
        "days": days,
        "rows": [r.to_wire(v) for v, r in sorted(rows.items())],
    }
