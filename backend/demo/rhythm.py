"""When the demo's reports come: a township's day, quiet at night, busy on the morning and
afternoon patrols, quieter on rest days (docs/demo.md)."""

from __future__ import annotations

import datetime as dt
import random

from domain.deadlines import WorkingCalendar

HOURLY = (
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 3.0, 7.0, 9.0, 9.0, 7.0,
    4.0, 4.0, 7.0, 8.0, 8.0, 6.0, 4.0, 3.0, 2.5, 2.0, 1.5, 1.2,
)  # fmt: skip
"""Relative report rate by local hour: the grid workers' patrols (8-11, 14-17) bring most."""


class Rhythm:
    def __init__(
        self,
        calendar: WorkingCalendar,
        per_workday: float,
        per_rest_day: float,
        per_minute: float | None = None,
    ) -> None:
        """`per_minute`: a flat rate instead of the day's shape (load tests, benches)."""
        self.calendar = calendar
        self.per_workday = per_workday
        self.per_rest_day = per_rest_day
        self.per_minute = per_minute

    @classmethod
    def from_config(
        cls, calendar: WorkingCalendar, demo: dict[str, float], per_minute: float | None = None
    ) -> Rhythm:
        return cls(
            calendar, float(demo["reports_per_workday"]), float(demo["reports_per_rest_day"]),
            per_minute,
        )  # fmt: skip

    def per_hour(self, t: float) -> float:
        """The expected reports an hour at moment `t`."""
        if self.per_minute is not None:
            return self.per_minute * 60
        local = dt.datetime.fromtimestamp(t, self.calendar.tz)
        working = self.calendar.is_working_day(local.date())
        day = self.per_workday if working else self.per_rest_day
        return day * HOURLY[local.hour] / sum(HOURLY)

    def next_arrival(self, t: float, rng: random.Random) -> float:
        """The next report after `t`: Poisson, its rate changing on the hour (memoryless, so
        starting afresh at each hour is exact)."""
        while True:
            end = (t // 3600 + 1) * 3600
            rate = self.per_hour(t) / 3600
            gap = rng.expovariate(rate) if rate > 0 else float("inf")
            if t + gap < end or self.per_minute is not None:
                return t + gap
            t = end
