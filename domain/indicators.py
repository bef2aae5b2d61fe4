"""The township's indicators (docs/indicators.md), kept up to date one change at a time.

Two kinds of figure, kept apart because they change for different reasons:
- period figures (today, this month) count what happened: reports received, accepted,
  dispatched, closed, times taken, evaluations. Each change of the action log adds to the
  period it happened in, and nothing takes it back.
- standing figures depend on each incident's present state: open load, overdue now, and the
  closure cohorts behind 结案率 and 按期结案率 (a case reopened leaves the closed count). Each
  incident's contribution is withdrawn and added again when it changes.
Neither re-reads all incidents: the backend rebuilds the book once at start from the store, then
feeds it every change it commits, and publishes `snapshot()` at most once a second.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.incident import Incident, IncidentState, Level
from domain.lifecycle import CLOSING_ACTIONS, Change
from domain.personal_data import is_personal

DIMENSIONS = ("platform", "department", "village", "grid")
"""What the evaluation figures are broken down by (per grid worker: `by_reporter`)."""

NO_COHORT = frozenset({IncidentState.REJECTED, IncidentState.MERGED, IncidentState.PARKED})
"""Not cases the command room must close: rejected, merged into another, parked (挂账)."""

SLOTS_PER_DAY = 144  # ten-minute slots


class Durations:
    """A period's times (seconds), kept sorted: the mean and the 90th percentile at any moment
    without sorting again."""

    __slots__ = ("_sorted", "_total")

    def __init__(self) -> None:
        self._sorted: list[float] = []
        self._total = 0.0

    def add(self, seconds: float) -> None:
        bisect.insort(self._sorted, seconds)
        self._total += seconds

    def summary(self) -> dict[str, float | int | None]:
        n = len(self._sorted)
        if n == 0:
            return {"n": 0, "avg": None, "p90": None}
        # Nearest rank: the smallest time that at least 90 % of the cases took no longer than.
        p90 = self._sorted[max(0, -(-9 * n // 10) - 1)]
        return {"n": n, "avg": self._total / n, "p90": p90}


@dataclass
class PeriodFigures:
    """What happened in one day or one month."""

    key: str
    received: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_platform: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_village: Counter[str] = field(default_factory=Counter)
    by_reporter: Counter[str] = field(default_factory=Counter)
    per_slot: list[int] = field(default_factory=lambda: [0] * SLOTS_PER_DAY)
    """Reports per ten minutes (meaningful for a day only)."""
    per_slot_by_platform: dict[str, list[int]] = field(default_factory=dict)
    actions: Counter[str] = field(default_factory=Counter)
    """accepted, rejected, dispatched, closed, settled_in_village, passed_up, escalated,
    overdue, reopened, evaluated."""
    to_accept: Durations = field(default_factory=Durations)
    to_dispatch: Durations = field(default_factory=Durations)
    to_close: Durations = field(default_factory=Durations)
    scores: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """(dimension, value) -> [sum of scores, evaluations]; dimension "all" for the township."""

    def to_wire(self) -> dict[str, Any]:
        a = self.actions
        settled, passed = a["settled_in_village"], a["passed_up"]
        score = self.scores.get(("all", ""), [0, 0])
        return {
            "key": self.key,
            "received": self.received,
            "by_category": dict(self.by_category),
            "by_platform": dict(self.by_platform),
            "by_channel": dict(self.by_channel),
            "by_village": dict(self.by_village),
            "by_reporter": dict(self.by_reporter),
            "per_slot": list(self.per_slot),
            "per_slot_by_platform": {k: list(v) for k, v in self.per_slot_by_platform.items()},
            "actions": dict(a),
            "village_share": settled / (settled + passed) if settled + passed else None,
            "to_accept": self.to_accept.summary(),
            "to_dispatch": self.to_dispatch.summary(),
            "to_close": self.to_close.summary(),
            "satisfaction": score[0] / score[1] if score[1] else None,
            "evaluations": score[1],
        }


CLOSING = frozenset(a.value for a in CLOSING_ACTIONS)
_ACTION_FIGURE = {
    "accept": "accepted",
    "reject": "rejected",
    "dispatch": "dispatched",
    "close": "closed",
    "settle": "settled_in_village",
    "pass_up": "passed_up",
    "escalate": "escalated",
    "urge": "urged",
    "overdue": "overdue",
    "reopen": "reopened",
    "evaluate": "evaluated",
    "merge": "merged",
}


@dataclass(frozen=True, slots=True)
class _Cohort:
    """Where an incident counts among the cases due to close: at `at` (its deadline, or its
    closing if that came first), closed or not, on time or not."""

    at: float
    closed: bool
    on_time: bool
    keys: tuple[tuple[str, str], ...]


class IndicatorBook:
    def __init__(
        self,
        tz: dt.tzinfo,
        platform_of: Callable[[str], str | None] = lambda _category: None,
    ) -> None:
        """`tz`: the township's local time (days and months start there); `platform_of`: the
        platform a category goes to, for incidents not yet dispatched."""
        self.tz = tz
        self.platform_of = platform_of
        self.periods: dict[str, PeriodFigures] = {}
        self._standing: dict[str, tuple[tuple[str, str, str], ...]] = {}
        """incident -> the counters its present state adds one to."""
        self.standing: Counter[tuple[str, str, str]] = Counter()
        """(figure, dimension, value) -> count; dimension "all" for the township."""
        self._cohort: dict[str, _Cohort] = {}
        self._pending: list[tuple[float, str, int]] = []  # cohorts whose moment is still ahead
        self._counted: set[str] = set()  # incidents whose cohort is in `cohorts`
        self.cohorts: Counter[tuple[str, str, str, str]] = Counter()
        """(period key, figure, dimension, value) -> count, figure in due / closed / on_time."""
        self.changes = 0
        self._pruned_on = ""  # the day the book was last pruned

    # --- feeding -----------------------------------------------------------------------------

    def record(self, incident: Incident, change: Change) -> None:
        """One change of the action log (the incident as it is now, or was just after)."""
        self.changes += 1
        when = dt.datetime.fromtimestamp(change.at, self.tz)
        for period in (
            self._period(when.strftime("%Y-%m-%d")),
            self._period(when.strftime("%Y-%m")),
        ):
            self._count(period, incident, change, when)

    def put(self, incident: Incident, now: float) -> None:
        """The incident's present state: its standing contributions replace the old ones."""
        for key in self._standing.pop(incident.id, ()):
            self.standing[key] -= 1
        keys = self._standing_keys(incident)
        if keys:
            self._standing[incident.id] = keys
            for key in keys:
                self.standing[key] += 1
        self._put_cohort(incident, now)

    def rebuild(self, incidents: Iterable[Incident], changes: Iterable[Change], now: float) -> None:
        """From the store: every incident that is open or changed in the periods kept, and the
        action log of those periods."""
        by_id: dict[str, Incident] = {}
        for incident in incidents:
            by_id[incident.id] = incident
            self.put(incident, now)
        for change in changes:
            known = by_id.get(change.incident)
            if known is not None:
                self.record(known, change)

    def tick(self, now: float) -> bool:
        """Cases whose deadline has come join the cases due; True if any did."""
        moved = False
        while self._pending and self._pending[0][0] <= now:
            _at, incident_id, token = heapq.heappop(self._pending)
            cohort = self._cohort.get(incident_id)
            if cohort is not None and id(cohort) == token and incident_id not in self._counted:
                self._count_cohort(incident_id, cohort, +1)
                moved = True
        return moved

    # --- reading -----------------------------------------------------------------------------

    def snapshot(self, now: float) -> dict[str, Any]:
        """Everything the wall and the evaluation view show, as plain data for the wire."""
        self.tick(now)
        today = dt.datetime.fromtimestamp(now, self.tz)
        day, month = today.strftime("%Y-%m-%d"), today.strftime("%Y-%m")
        yesterday = (today - dt.timedelta(days=1)).strftime("%Y-%m-%d")
        self._prune(today)
        return {
            "at": now,
            "day": day,
            "slot": (today.hour * 60 + today.minute) // 10,
            "month": month,
            "today": self._period(day).to_wire() | {"closure": self.closure(day)},
            "yesterday": self._period(yesterday).to_wire(),
            "this_month": self._period(month).to_wire() | {"closure": self.closure(month)},
            "now": {
                "open": self.standing["open", "all", ""],
                "in_progress": self.standing["in_progress", "all", ""],
                "overdue": self.standing["overdue", "all", ""],
                "task_force": self.standing["task_force", "all", ""],
                "overdue_by_stage": {
                    value: n
                    for (figure, dim, value), n in self.standing.items()
                    if figure == "overdue" and dim == "stage" and n
                },
            },
            "by": {dim: self._by(dim, month) for dim in DIMENSIONS},
        }

    # --- inside ------------------------------------------------------------------------------

    def _period(self, key: str) -> PeriodFigures:
        period = self.periods.get(key)
        if period is None:
            period = self.periods[key] = PeriodFigures(key)
        return period

    def _count(
        self, period: PeriodFigures, incident: Incident, change: Change, when: dt.datetime
    ) -> None:
        action = change.action
        if action == "report":
            # By category, not by the department it later went to: the same at any moment.
            platform = self.platform_of(incident.category) or incident.platform or "?"
            period.received += 1
            period.by_category[incident.category] += 1
            period.by_platform[platform] += 1
            period.by_channel[incident.channel.value] += 1
            period.by_village[incident.village] += 1
            if not is_personal(incident):  # staff by name; residents never (personal data)
                period.by_reporter[incident.reporter] += 1
            slot = (when.hour * 60 + when.minute) // 10
            period.per_slot[slot] += 1
            period.per_slot_by_platform.setdefault(platform, [0] * SLOTS_PER_DAY)[slot] += 1
            return
        figure = _ACTION_FIGURE.get(action)
        if figure is None:
            return
        period.actions[figure] += 1
        taken = change.at - incident.received_at
        if action == "accept":
            period.to_accept.add(taken)
        elif action == "dispatch" and change.from_state == IncidentState.ACCEPTED.value:
            period.to_dispatch.add(taken)  # the first dispatch; a re-dispatch is not triage
        elif action in CLOSING:
            period.to_close.add(taken)
        elif action == "evaluate":
            score = change.args.get("score")
            if isinstance(score, int) and not isinstance(score, bool):
                for key in (("all", ""), *self._dimension_keys(incident)):
                    total = period.scores.setdefault(key, [0, 0])
                    total[0] += score
                    total[1] += 1

    def _dimension_keys(self, incident: Incident) -> tuple[tuple[str, str], ...]:
        platform = incident.platform or self.platform_of(incident.category)
        keys = [("village", incident.village)]
        if platform:
            keys.append(("platform", platform))
        if incident.department:
            keys.append(("department", incident.department))
        if incident.grid:
            keys.append(("grid", incident.grid))
        return tuple(keys)

    def _standing_keys(self, incident: Incident) -> tuple[tuple[str, str, str], ...]:
        if not incident.is_open or incident.state == IncidentState.PARKED:
            return ()
        places = (("all", ""), *self._dimension_keys(incident))
        figures = ["open"]
        if incident.state == IncidentState.IN_PROGRESS:
            figures.append("in_progress")
        if incident.level == Level.TASK_FORCE:
            figures.append("task_force")
        keys = [(f, d, v) for f in figures for d, v in places]
        if incident.overdue_noted and incident.stage is not None:
            keys += [("overdue", d, v) for d, v in places]
            keys.append(("overdue", "stage", incident.stage))
        return tuple(keys)

    def _put_cohort(self, incident: Incident, now: float) -> None:
        old = self._cohort.pop(incident.id, None)
        if old is not None and incident.id in self._counted:
            self._count_cohort(incident.id, old, -1)
        if incident.state in NO_COHORT:
            return
        closed_at, due = incident.closed_at, incident.case_due
        on_time = closed_at is not None and (due is None or closed_at <= due)
        at = closed_at if on_time else due
        if at is None:
            return  # open with no case deadline: never due
        assert at is not None
        cohort = _Cohort(at, closed_at is not None, on_time, self._dimension_keys(incident))
        self._cohort[incident.id] = cohort
        if at <= now:
            self._count_cohort(incident.id, cohort, +1)
        else:
            heapq.heappush(self._pending, (at, incident.id, id(cohort)))

    def _count_cohort(self, incident_id: str, cohort: _Cohort, sign: int) -> None:
        when = dt.datetime.fromtimestamp(cohort.at, self.tz)
        figures = ["due"]
        if cohort.closed:
            figures.append("closed")
        if cohort.on_time:
            figures.append("on_time")
        for period in (when.strftime("%Y-%m-%d"), when.strftime("%Y-%m")):
            for dim, value in (("all", ""), *cohort.keys):
                for figure in figures:
                    self.cohorts[period, figure, dim, value] += sign
        if sign > 0:
            self._counted.add(incident_id)
        else:
            self._counted.discard(incident_id)

    def closure(self, period: str, dim: str = "all", value: str = "") -> dict[str, Any]:
        due = self.cohorts[period, "due", dim, value]
        closed = self.cohorts[period, "closed", dim, value]
        on_time = self.cohorts[period, "on_time", dim, value]
        return {
            "due": due,
            "closed": closed,
            "on_time": on_time,
            "closure_rate": closed / due if due else None,
            "on_time_rate": on_time / due if due else None,
        }

    def _by(self, dim: str, month: str) -> dict[str, dict[str, Any]]:
        values = {v for (_f, d, v) in self.standing if d == dim}
        values |= {v for (p, _f, d, v) in self.cohorts if d == dim and p == month}
        period = self.periods.get(month)
        if period is not None:
            values |= {v for (d, v) in period.scores if d == dim}
        rows: dict[str, dict[str, Any]] = {}
        for value in values:
            score = period.scores.get((dim, value), [0, 0]) if period else [0, 0]
            rows[value] = {
                "open": self.standing["open", dim, value],
                "overdue": self.standing["overdue", dim, value],
                **self.closure(month, dim, value),
                "satisfaction": score[0] / score[1] if score[1] else None,
                "evaluations": score[1],
            }
        return rows

    def _prune(self, today: dt.datetime) -> None:
        """Keep today, yesterday, this month and last month (yesterday may be in it); once a
        day, not on every snapshot."""
        day = today.strftime("%Y-%m-%d")
        if day == self._pruned_on:
            return
        self._pruned_on = day
        keep = {
            today.strftime("%Y-%m-%d"),
            (today - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
            today.strftime("%Y-%m"),
            (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
        }
        for key in [k for k in self.periods if k not in keep]:
            del self.periods[key]
        # Cohorts of earlier months are read no more: without this, every incident ever closed
        # stayed in memory and every snapshot's breakdown scanned them all.
        for cohort_key in [k for k in self.cohorts if k[0] not in keep]:
            del self.cohorts[cohort_key]
        start = today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        oldest = (start - dt.timedelta(days=1)).replace(day=1).timestamp()
        for incident_id in [i for i, c in self._cohort.items() if c.at < oldest]:
            del self._cohort[incident_id]
            self._counted.discard(incident_id)
