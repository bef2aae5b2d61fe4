"""Deadlines per stage, in calendar or working time, configured as data (resources/deadlines.json).

A duration is written `30m`, `2h` (calendar minutes and hours), `4wh` (working hours) or `5wd`
(working days: that many whole working days of the calendar). Times are UTC epoch seconds; the
working calendar is local to the township (a fixed UTC offset: China keeps no summer time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.incident import Incident, Urgency
from domain.resources import load_json

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(m|h|wh|wd)$")


class Stage(StrEnum):
    ACCEPT = "accept"  # 受理: from reaching the command room to accepted or rejected
    DISPATCH = "dispatch"  # 派遣: from accepted to dispatched
    HANDLE = "handle"  # 处置: from dispatched to the department's reply
    VERIFY = "verify"  # 核查: from the reply to verified


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    WARNING = "warning"  # past warning_fraction of the allowed time
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Duration:
    amount: float
    unit: str  # m, h, wh, wd

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text.strip())
        if not match:
            raise ValueError(f"not a duration: {text!r} (use 30m, 2h, 4wh or 5wd)")
        return cls(float(match.group(1)), match.group(2))

    @property
    def working(self) -> bool:
        return self.unit in ("wh", "wd")


class WorkingCalendar:
    def __init__(
        self,
        utc_offset_hours: float,
        periods: list[tuple[str, str]],
        working_days: list[int],
        holidays: list[str],
        workdays: Sequence[str] = (),
    ) -> None:
        """`holidays`: days off, weekdays or not; `workdays`: weekend days worked instead
        (调休上班), which count as working days whatever the weekday."""
        self.tz = dt.timezone(dt.timedelta(hours=utc_offset_hours))
        self.periods = [(_minutes(a), _minutes(b)) for a, b in periods]
        if any(a >= b for a, b in self.periods):
            raise ValueError("each working period must end after it starts")
        self.day_minutes = sum(b - a for a, b in self.periods)
        self.working_days = set(working_days)
        self.holidays = {dt.date.fromisoformat(d) for d in holidays}
        self.workdays = {dt.date.fromisoformat(d) for d in workdays}
        self._sums: dict[tuple[float, float], float] = {}
        """Answers already worked out: a batch of reports shares its moment of receipt."""

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() in self.working_days and day not in self.holidays

    def add_working_minutes(self, start: float, minutes: float) -> float:
        """The moment when `minutes` of working time have passed after `start`."""
        known = self._sums.get((start, minutes))
        if known is None:
            if len(self._sums) > 256:
                self._sums.clear()
            known = self._sums[(start, minutes)] = self._add_working_minutes(start, minutes)
        return known

    def _add_working_minutes(self, start: float, minutes: float) -> float:
        local = dt.datetime.fromtimestamp(start, self.tz)
        day = local.date()
        minute_of_day = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
        left = minutes
        for _ in range(3660):  # ten years of days: a calendar with no working day fails loudly
            if self.is_working_day(day):
                for a, b in self.periods:
                    begin = max(a, minute_of_day)
                    if begin >= b:
                        continue
                    if left <= b - begin:
                        return self._at(day, begin + left)
                    left -= b - begin
            day += dt.timedelta(days=1)
            minute_of_day = 0.0
        raise ValueError("the working calendar has no working time")

    def working_minutes_between(self, start: float, end: float) -> float:
        if end <= start:
            return 0.0
        total = 0.0
        day = dt.datetime.fromtimestamp(start, self.tz).date()
        last = dt.datetime.fromtimestamp(end, self.tz).date()
        while day <= last:
            if self.is_working_day(day):
                for a, b in self.periods:
                    lo = max(self._at(day, a), start)
                    hi = min(self._at(day, b), end)
                    if hi > lo:
                        total += (hi - lo) / 60
            day += dt.timedelta(days=1)
        return total

    def _at(self, day: dt.date, minute_of_day: float) -> float:
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return midnight.timestamp() + minute_of_day * 60


@dataclass(frozen=True, slots=True)
class Deadline:
    start: float
    due: float
    duration: Duration

    def status(
        self, now: float, calendar: WorkingCalendar, warning_fraction: float
    ) -> DeadlineStatus:
        if now > self.due:
            return DeadlineStatus.OVERDUE
        return (
            DeadlineStatus.WARNING
            if self.elapsed_fraction(now, calendar) >= warning_fraction
            else DeadlineStatus.ON_TIME
        )

    def elapsed_fraction(self, now: float, calendar: WorkingCalendar) -> float:
        if self.duration.working:
            allowed = calendar.working_minutes_between(self.start, self.due)
            used = calendar.working_minutes_between(self.start, min(now, self.due))
        else:
            allowed, used = self.due - self.start, min(now, self.due) - self.start
        if now > self.due:
            return 1.0 + (now - self.due) / max(self.due - self.start, 1.0)
        return used / allowed if allowed > 0 else 1.0


class DeadlineRules:
    """What resources/deadlines.json says, with the arithmetic to apply it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.calendar = WorkingCalendar(
            float(data["utc_offset_hours"]),
            [(a, b) for a, b in data["working_hours"]],
            list(data["working_days"]),
            list(data.get("holidays", [])),
            list(data.get("workdays", [])),
        )
        self.warning_fraction = float(data["warning_fraction"])
        self._stages = {
            Stage(stage): {Urgency(u): Duration.parse(d) for u, d in by_urgency.items()}
            for stage, by_urgency in data["stages"].items()
        }
        self._handle_default = {
            Urgency(u): Duration.parse(d) for u, d in data["handle_default"].items()
        }
        self._handle = {
            category: {Urgency(u): Duration.parse(d) for u, d in by_urgency.items()}
            for category, by_urgency in data.get("handle_by_category", {}).items()
        }
        self._case = {Urgency(u): Duration.parse(d) for u, d in data["case"].items()}
        self.escalate_when_overdue = {Stage(s) for s in data.get("escalate_when_overdue", [])}

    @classmethod
    def load(cls) -> DeadlineRules:
        return cls(load_json("deadlines.json"))

    def to_wire(self) -> dict[str, Any]:
        """The rules as the township's JSON says them: they go to consoles with the township,
        so that a console counts deadlines and days by the backend's rules, not its own files."""
        return self._data

    def duration(self, stage: Stage, urgency: Urgency, category: str) -> Duration:
        if stage == Stage.HANDLE:
            return self._handle.get(category, self._handle_default)[urgency]
        return self._stages[stage][urgency]

    def deadline(self, start: float, duration: Duration) -> Deadline:
        return Deadline(start, self.add(start, duration), duration)

    def stage_deadline(
        self, stage: Stage, urgency: Urgency, category: str, start: float
    ) -> Deadline:
        return self.deadline(start, self.duration(stage, urgency, category))

    def case_deadline(self, urgency: Urgency, start: float) -> Deadline:
        return self.deadline(start, self._case[urgency])

    def add(self, start: float, duration: Duration) -> float:
        match duration.unit:
            case "m":
                return start + duration.amount * 60
            case "h":
                return start + duration.amount * 3600
            case "wh":
                return self.calendar.add_working_minutes(start, duration.amount * 60)
            case _:  # wd: whole working days of the calendar's length
                return self.calendar.add_working_minutes(
                    start, duration.amount * self.calendar.day_minutes
                )

    def status(self, deadline: Deadline, now: float) -> DeadlineStatus:
        return deadline.status(now, self.calendar, self.warning_fraction)

    def stage_status(self, incident: Incident, now: float) -> DeadlineStatus | None:
        """How the current stage's clock stands; None when no clock runs (a case closed or
        ended, or a stage without a deadline). The due time is the stored one (an approved
        extension moved it); the warning share is counted from the stage's duration, in
        working time where the duration is. One rule for every screen and the backend."""
        if not incident.is_open or incident.stage_due is None:
            return None
        if now > incident.stage_due:
            return DeadlineStatus.OVERDUE
        start, duration = incident.stage_started_at, incident.stage_duration
        if start is None or duration is None:
            return DeadlineStatus.ON_TIME
        return self.status(Deadline(start, incident.stage_due, Duration.parse(duration)), now)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)
