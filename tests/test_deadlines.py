"""Deadlines in calendar and working time, against hand-computed cases."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.deadlines import DeadlineRules, DeadlineStatus, Duration, Stage
from domain.incident import Urgency

RULES = DeadlineRules.load()
TZ = RULES.calendar.tz


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


def local(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, TZ).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        ("2026-11-24 09:00", "30m", "2026-11-24 09:30"),
        ("2026-11-28 23:50", "30m", "2026-11-29 00:20"),  # calendar time runs on Saturday night
        ("2026-11-24 09:00", "2h", "2026-11-24 11:00"),
        ("2026-11-24 09:00", "4wh", "2026-11-24 15:00"),  # 3 h before lunch, 1 h after
        ("2026-11-24 11:30", "1wh", "2026-11-24 14:30"),  # lunch does not count
        ("2026-11-27 16:00", "4wh", "2026-11-30 11:00"),  # Friday afternoon to Monday
        ("2026-11-28 10:00", "1wh", "2026-11-30 09:30"),  # reported on a Saturday
        ("2026-11-24 20:00", "1wd", "2026-11-25 17:30"),  # after hours: a whole next day
        ("2026-11-24 09:00", "5wd", "2026-12-01 09:00"),
        ("2026-09-30 16:00", "4wh", "2026-10-08 11:00"),  # National Day holidays and weekend
    ],
)
def test_deadline_arithmetic(start: str, duration: str, due: str) -> None:
    assert local(RULES.add(at(start), Duration.parse(duration))) == due


def test_working_minutes_between_skip_nights_weekends_and_lunch() -> None:
    minutes = RULES.calendar.working_minutes_between(at("2026-11-27 11:00"), at("2026-11-30 09:00"))
    assert minutes == 60 + 210 + 30  # Fri 11:00–12:00, Fri 14:00–17:30, Mon 08:30–09:00


def test_urgent_cases_are_filed_and_dispatched_within_ten_minutes() -> None:
    for stage in (Stage.ACCEPT, Stage.DISPATCH):
        assert RULES.duration(stage, Urgency.URGENT, "dispute") == Duration(10, "m")
        assert RULES.duration(stage, Urgency.NORMAL, "dispute") == Duration(30, "m")


def test_handling_time_depends_on_category() -> None:
    assert RULES.duration(Stage.HANDLE, Urgency.NORMAL, "wildlife_rescue") == Duration(4, "h")
    assert RULES.duration(Stage.HANDLE, Urgency.NORMAL, "dispute") == Duration(5, "wd")
    assert RULES.duration(Stage.HANDLE, Urgency.NORMAL, "no_such") == Duration(5, "wd")


def test_warning_at_eighty_percent_then_overdue() -> None:
    start = at("2026-11-24 09:00")
    deadline = RULES.deadline(start, Duration.parse("30m"))
    assert RULES.status(deadline, start + 23 * 60) == DeadlineStatus.ON_TIME
    assert RULES.status(deadline, start + 24 * 60) == DeadlineStatus.WARNING
    assert RULES.status(deadline, start + 30 * 60) == DeadlineStatus.WARNING
    assert RULES.status(deadline, start + 30 * 60 + 1) == DeadlineStatus.OVERDUE


def test_working_time_warnings_count_working_minutes_only() -> None:
    start = at("2026-11-27 16:00")  # Friday; 4 working hours end Monday 11:00
    deadline = RULES.deadline(start, Duration.parse("4wh"))
    saturday = at("2026-11-28 12:00")
    assert deadline.elapsed_fraction(saturday, RULES.calendar) == pytest.approx(90 / 240)
    assert RULES.status(deadline, saturday) == DeadlineStatus.ON_TIME
    assert RULES.status(deadline, at("2026-11-30 10:30")) == DeadlineStatus.WARNING


@pytest.mark.parametrize("text", ["", "5", "5d", "-1h", "1.5.2h", "wh"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        Duration.parse(text)


def working(day: str) -> bool:
    return RULES.calendar.is_working_day(dt.date.fromisoformat(day))


def test_2026_follows_the_state_councils_arrangement_with_its_make_up_days() -> None:
    """国务院办公厅关于2026年部分节假日安排的通知: nine days of Spring Festival, weekends worked."""
    assert not any(working(f"2026-02-{d}") for d in range(15, 24)), "春节 2-15 … 2-23"
    assert working("2026-02-14") and working("2026-02-28"), "Saturdays worked (调休上班)"
    assert working("2026-01-04") and working("2026-05-09") and working("2026-09-20")
    assert working("2026-10-10") and not working("2026-10-07") and working("2026-10-08")
    assert not working("2026-05-05") and working("2026-05-06"), "劳动节 5-1 … 5-5"
    assert not working("2026-06-19") and not working("2026-09-25"), "端午, 中秋: Fridays off"
    # A Saturday worked is a working day for deadlines too: Friday 16:00 + 4 working hours.
    assert local(RULES.add(at("2026-02-13 16:00"), Duration.parse("4wh"))) == "2026-02-14 11:00"


@pytest.mark.parametrize(
    ("year", "off", "worked"),
    [
        # The law's days (春节 four from 除夕), a weekend festival day made up on the next free
        # weekday: until the State Council's notice replaces them (resources/deadlines.json).
        (2027, ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                "2027-04-05", "2027-05-03", "2027-05-04", "2027-06-09", "2027-09-15",
                "2027-10-04", "2027-10-05"],
         ["2027-02-04", "2027-02-11", "2027-05-05", "2027-10-06"]),
        (2028, ["2028-01-03", "2028-01-25", "2028-01-28", "2028-04-04", "2028-05-01",
                "2028-05-02", "2028-05-29", "2028-10-02", "2028-10-03", "2028-10-04",
                "2028-10-05"],
         ["2028-01-24", "2028-01-31", "2028-05-30", "2028-10-06"]),
    ],
)  # fmt: skip
def test_later_years_carry_the_laws_holidays_until_their_arrangement_is_published(
    year: int, off: list[str], worked: list[str]
) -> None:
    assert not any(working(d) for d in off), [d for d in off if working(d)]
    assert all(working(d) for d in worked), [d for d in worked if not working(d)]
    days_off = [d for d in RULES.to_wire()["holidays"] if d.startswith(f"{year}-")]
    weekdays_off = [d for d in days_off if dt.date.fromisoformat(d).weekday() < 5]
    assert len(weekdays_off) == 13, (
        "元旦1 春节4 清明1 劳动2 端午1 中秋1 国庆3, made up if on a weekend"
    )
