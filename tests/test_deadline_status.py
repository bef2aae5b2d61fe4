"""A case's deadline status (domain.deadlines.DeadlineRules.stage_status): one rule for every
screen, tested without Qt against the demo rules (accept: 30 min for a normal case, warning
past 80 %)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from domain.deadlines import DeadlineRules, DeadlineStatus
from domain.incident import Channel, Incident, IncidentState, Urgency
from domain.resources import load_json

RULES = DeadlineRules(load_json("deadlines.json"))
START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=RULES.calendar.tz).timestamp()  # a Tuesday


def _accepting(**changes: object) -> Incident:
    incident = Incident(
        id="i1", number=1, category="garbage_dumping", urgency=Urgency.NORMAL,
        channel=Channel.HOTLINE, state=IncidentState.REPORTED, description="", village="v",
        grid=None, lat=None, lon=None, reporter="r", reported_at=START, received_at=START,
        version=1, stage="accept", stage_started_at=START, stage_due=START + 1800,
        stage_duration="30m",
    )  # fmt: skip
    return dataclasses.replace(incident, **changes)  # type: ignore[arg-type]


def test_on_time_then_warning_then_overdue() -> None:
    case = _accepting()
    assert RULES.stage_status(case, START + 60) == DeadlineStatus.ON_TIME
    assert RULES.stage_status(case, START + 0.8 * 1800) == DeadlineStatus.WARNING
    assert RULES.stage_status(case, START + 1800) == DeadlineStatus.WARNING
    assert RULES.stage_status(case, START + 1801) == DeadlineStatus.OVERDUE


def test_an_extension_moves_the_due_time_and_the_warning_with_it() -> None:
    extended = _accepting(stage_due=START + 3600)  # an approved extension: 30 min more
    assert RULES.stage_status(extended, START + 1801) == DeadlineStatus.ON_TIME
    assert RULES.stage_status(extended, START + 0.8 * 3600) == DeadlineStatus.WARNING
    assert RULES.stage_status(extended, START + 3601) == DeadlineStatus.OVERDUE


def test_working_time_counts_only_working_hours() -> None:
    """2 working hours from Friday 16:00: due Monday; late on Friday evening is not a warning."""
    friday = dt.datetime(2026, 11, 27, 16, 0, tzinfo=RULES.calendar.tz).timestamp()
    monday = dt.datetime(2026, 11, 30, 9, 30, tzinfo=RULES.calendar.tz).timestamp()
    handling = _accepting(stage="handle", stage_started_at=friday, stage_due=monday,
                          stage_duration="2wh")  # fmt: skip
    assert RULES.stage_status(handling, friday + 5 * 3600) == DeadlineStatus.ON_TIME
    assert RULES.stage_status(handling, monday - 60) == DeadlineStatus.WARNING


def test_no_clock_no_status() -> None:
    assert RULES.stage_status(_accepting(stage_due=None), START) is None
    assert RULES.stage_status(_accepting(state=IncidentState.CLOSED), START + 9999) is None
    unknown_start = _accepting(stage_started_at=None)
    assert RULES.stage_status(unknown_start, START + 1700) == DeadlineStatus.ON_TIME
    assert RULES.stage_status(unknown_start, START + 1801) == DeadlineStatus.OVERDUE


def test_the_rules_travel_with_the_township_and_come_back_the_same() -> None:
    again = DeadlineRules(RULES.to_wire())
    assert again.calendar.tz == RULES.calendar.tz
    case = _accepting()
    for now in (START + 60, START + 1500, START + 2000):
        assert again.stage_status(case, now) == RULES.stage_status(case, now)
