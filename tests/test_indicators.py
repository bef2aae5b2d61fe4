"""The indicator formulas (docs/indicators.md) against cases worked out by hand."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.deadlines import DeadlineRules
from domain.incident import Channel, FieldReport, Incident, Urgency
from domain.indicators import IndicatorBook
from domain.lifecycle import Action, Change, Command, apply, new_incident
from domain.township import Role, load_demo_township

TOWNSHIP = load_demo_township()
RULES = DeadlineRules.load()
TZ = RULES.calendar.tz
R = Role


def at(text: str) -> float:
    """A local time in the township, `2026-11-17 14:00`."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


class Town:
    """Incidents driven through the real lifecycle, every change fed to one book."""

    def __init__(self) -> None:
        self.book = IndicatorBook(TZ, lambda c: TOWNSHIP.platform_of(c).code)
        self.number = 0
        self.changes: list[Change] = []
        self.incidents: dict[str, Incident] = {}

    def report(
        self,
        when: str,
        urgency: Urgency = Urgency.NORMAL,
        village: str = "v01",
        category: str = "dispute",
        reporter: str = "网格员甲",
        grid: str | None = None,
        channel: Channel = Channel.GRID_APP,
    ) -> Incident:
        self.number += 1
        report = FieldReport(
            str(uuid.uuid4()), category, urgency, channel, "测试", village, grid,
            None, None, reporter, at(when),
        )  # fmt: skip
        incident = new_incident(report, self.number, at(when), RULES)
        change = Change(
            incident.id, "report", reporter, R.GRID_WORKER.value, at(when), None,
            incident.state.value, 1, report.to_wire(),
        )  # fmt: skip
        self.book.record(incident, change)
        self.book.put(incident, at(when))
        self.changes.append(change)
        self.incidents[incident.id] = incident
        return incident

    def do(
        self, incident: Incident, action: Action, role: Role, when: str, **args: object
    ) -> Incident:
        command = Command(incident.id, action, incident.version, "测试", role, dict(args))
        after, change = apply(incident, command, at(when), RULES, TOWNSHIP)
        self.book.record(after, change)
        self.book.put(after, at(when))
        self.changes.append(change)
        self.incidents[after.id] = after
        return after

    def close(self, incident: Incident, when: str, department: str = "sifasuo") -> Incident:
        """Accept, dispatch, start, reply, verify and close, all at `when`."""
        i = self.do(incident, Action.ACCEPT, R.SUPERVISOR, when)
        i = self.do(i, Action.DISPATCH, R.SUPERVISOR, when, department=department)
        i = self.do(i, Action.START, R.DEPARTMENT_HANDLER, when)
        i = self.do(i, Action.REPLY, R.DEPARTMENT_HANDLER, when, note="好了")
        i = self.do(i, Action.VERIFY, R.SUPERVISOR, when)
        return self.do(i, Action.CLOSE, R.SUPERVISOR, when)

    def figures(self, when: str) -> dict[str, object]:
        return self.book.snapshot(at(when))


def test_no_case_due_gives_no_rate_rather_than_zero_or_a_division_error() -> None:
    town = Town()
    town.report("2026-11-17 09:00")
    today = town.figures("2026-11-17 10:00")["today"]
    assert today["received"] == 1  # type: ignore[index]
    assert today["closure"] == {  # type: ignore[index]
        "due": 0, "closed": 0, "on_time": 0, "closure_rate": None, "on_time_rate": None,
    }  # fmt: skip
    assert today["to_accept"] == {"n": 0, "avg": None, "p90": None}  # type: ignore[index]


def test_times_to_accept_average_and_p90_by_nearest_rank() -> None:
    town = Town()
    for minutes in (1, 2, 3, 4, 5, 6, 7, 8, 9, 30):  # minutes from receipt to acceptance
        i = town.report("2026-11-17 09:00")
        town.do(i, Action.ACCEPT, R.SUPERVISOR, f"2026-11-17 09:{minutes:02d}")
    summary = town.figures("2026-11-17 10:00")["today"]["to_accept"]  # type: ignore[index]
    assert summary["n"] == 10
    assert summary["avg"] == pytest.approx(7.5 * 60)  # (45 + 30) / 10 minutes
    assert summary["p90"] == pytest.approx(9 * 60)  # the 9th of 10 sorted


def test_closure_rate_and_on_time_rate_by_the_day_each_case_came_due() -> None:
    town = Town()
    # Very urgent: the case deadline is one working day on, Wednesday 09:00.
    early = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    late = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    town.report("2026-11-17 09:00", Urgency.VERY_URGENT)  # never closed
    town.close(early, "2026-11-17 15:00")  # on time: counts on Tuesday, the day it closed
    tue = town.figures("2026-11-17 16:00")
    assert tue["today"]["closure"] == {  # type: ignore[index]
        "due": 1, "closed": 1, "on_time": 1, "closure_rate": 1.0, "on_time_rate": 1.0,
    }  # fmt: skip
    wed = town.figures("2026-11-18 10:00")  # the other two came due at 09:00
    assert wed["today"]["closure"]["due"] == 2  # type: ignore[index]
    assert wed["today"]["closure"]["closure_rate"] == 0.0  # type: ignore[index]
    town.close(late, "2026-11-19 11:00")  # late: closed, counted on Wednesday, not on time
    wed = town.book.closure("2026-11-18")
    assert (wed["due"], wed["closed"], wed["on_time"]) == (2, 1, 0)
    assert wed["closure_rate"] == 0.5 and wed["on_time_rate"] == 0.0
    month = town.book.closure("2026-11")
    assert (month["due"], month["closed"], month["on_time"]) == (3, 2, 1)


def test_a_reopened_case_leaves_the_closed_count_and_comes_due_again() -> None:
    town = Town()
    i = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)  # due Wednesday 09:00
    i = town.close(i, "2026-11-17 10:00")
    assert town.book.closure("2026-11-17")["closed"] == 1
    i = town.do(i, Action.REOPEN, R.SUPERVISOR, "2026-11-17 11:00", reason="没修好")
    assert town.book.closure("2026-11-17") | {"closure_rate": 0} == {
        "due": 0, "closed": 0, "on_time": 0, "closure_rate": 0, "on_time_rate": None,
    }  # fmt: skip
    town.figures("2026-11-18 10:00")  # past the deadline, still open
    assert town.book.closure("2026-11-18")["due"] == 1
    assert town.book.closure("2026-11-18")["closed"] == 0
    assert town.figures("2026-11-18 10:00")["this_month"]["actions"]["reopened"] == 1  # type: ignore[index]


def test_an_approved_extension_takes_a_case_out_of_overdue_now() -> None:
    town = Town()
    i = town.report("2026-11-17 09:00", Urgency.URGENT)
    i = town.do(i, Action.ACCEPT, R.SUPERVISOR, "2026-11-17 09:05")
    i = town.do(i, Action.DISPATCH, R.SUPERVISOR, "2026-11-17 09:06", department="sifasuo")
    i = town.do(i, Action.OVERDUE, R.SYSTEM, "2026-11-18 11:00")  # handling: 1 working day
    now = town.figures("2026-11-18 11:00")["now"]
    assert now["overdue"] == 1 and now["overdue_by_stage"] == {"handle": 1}  # type: ignore[index]
    assert town.book.snapshot(at("2026-11-18 11:00"))["by"]["department"]["sifasuo"]["overdue"] == 1
    i = town.do(i, Action.REQUEST_EXTENSION, R.DEPARTMENT_HANDLER, "2026-11-18 11:10",
                duration="1wd", reason="等材料")  # fmt: skip
    i = town.do(i, Action.APPROVE_EXTENSION, R.SUPERVISOR, "2026-11-18 11:20")
    now = town.figures("2026-11-18 11:30")["now"]
    assert now["overdue"] == 0 and now["overdue_by_stage"] == {}  # type: ignore[index]
    assert now["open"] == 1  # type: ignore[index]


def test_a_working_day_deadline_runs_over_the_weekend() -> None:
    town = Town()
    # Friday 16:00, very urgent: one working day (7 h) = 1.5 h on Friday + 5.5 h on Monday,
    # so the case is due Monday 16:00, not Saturday.
    i = town.report("2026-11-20 16:00", Urgency.VERY_URGENT)
    assert i.case_due == at("2026-11-23 16:00")
    town.figures("2026-11-22 12:00")  # Sunday: nothing due yet
    assert town.book.closure("2026-11-21")["due"] == 0
    assert town.book.closure("2026-11-22")["due"] == 0
    town.close(i, "2026-11-23 15:00")
    monday = town.book.closure("2026-11-23")
    assert (monday["due"], monday["on_time"], monday["on_time_rate"]) == (1, 1, 1.0)


def test_small_matters_stay_in_the_village_as_a_share() -> None:
    town = Town()
    for k in range(4):
        i = town.report("2026-11-17 09:00")
        if k < 3:
            town.do(i, Action.SETTLE, R.GRID_LEADER, "2026-11-17 10:00", note="调解好了")
        else:
            town.do(i, Action.PASS_UP, R.GRID_LEADER, "2026-11-17 10:00")
    today = town.figures("2026-11-17 11:00")["today"]
    assert today["village_share"] == 0.75  # type: ignore[index]
    assert today["actions"]["settled_in_village"] == 3  # type: ignore[index]
    assert today["to_close"]["avg"] == pytest.approx(3600)  # type: ignore[index]


def test_reports_by_category_platform_channel_and_ten_minutes_today_and_yesterday() -> None:
    town = Town()
    town.report("2026-11-16 09:05", category="garbage_dumping")
    town.report("2026-11-17 09:05", category="garbage_dumping")
    town.report("2026-11-17 09:15", category="dispute", reporter="网格员乙")
    f = town.figures("2026-11-17 10:00")
    today, yesterday = f["today"], f["yesterday"]
    assert today["received"] == 2 and yesterday["received"] == 1  # type: ignore[index]
    assert today["by_category"] == {"garbage_dumping": 1, "dispute": 1}  # type: ignore[index]
    assert today["by_channel"] == {"grid_app": 2}  # type: ignore[index]
    platforms = {TOWNSHIP.platform_of(c).code for c in ("garbage_dumping", "dispute")}
    assert set(today["by_platform"]) == platforms  # type: ignore[index]
    slot = (9 * 60) // 10
    assert today["per_slot"][slot] == 1 and today["per_slot"][slot + 1] == 1  # type: ignore[index]
    assert yesterday["per_slot"][slot] == 1  # type: ignore[index]
    assert today["by_reporter"] == {"网格员甲": 1, "网格员乙": 1}  # type: ignore[index]
    assert f["this_month"]["received"] == 3  # type: ignore[index]


def test_residents_are_not_counted_by_name_only_the_grid_workers() -> None:
    """The figures go to every console and onto the update stream: a resident who called the
    hotline must not be there by name (issue 18)."""
    town = Town()
    town.report("2026-11-17 09:05", reporter="网格员甲")
    town.report("2026-11-17 09:06", reporter="欧阳修文", channel=Channel.HOTLINE)
    town.report("2026-11-17 09:07", reporter="欧阳修文", channel=Channel.RESIDENT_APP)
    f = town.figures("2026-11-17 10:00")
    for period in ("today", "this_month"):
        assert f[period]["by_reporter"] == {"网格员甲": 1}  # type: ignore[index]
        assert f[period]["received"] == 3  # type: ignore[index]


def test_satisfaction_per_department_from_evaluations() -> None:
    town = Town()
    for score in (5, 4, 2):
        i = town.close(town.report("2026-11-17 09:00"), "2026-11-17 10:00")
        town.do(i, Action.EVALUATE, R.SUPERVISOR, "2026-11-17 11:00", score=score)
    f = town.figures("2026-11-17 12:00")
    assert f["this_month"]["satisfaction"] == pytest.approx(11 / 3)  # type: ignore[index]
    row = f["by"]["department"]["sifasuo"]  # type: ignore[index]
    assert row["evaluations"] == 3 and row["satisfaction"] == pytest.approx(11 / 3)
    assert row["open"] == 0


def test_a_rebuild_from_the_log_gives_the_same_figures_as_feeding_live() -> None:
    town = Town()
    incidents, changes = [], []
    original_record = town.book.record

    def keep(incident: Incident, change: Change) -> None:
        changes.append(change)
        original_record(incident, change)

    town.book.record = keep  # type: ignore[method-assign]
    a = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    b = town.report("2026-11-17 09:10", Urgency.URGENT, village="v02")
    a = town.close(a, "2026-11-17 12:00")
    b = town.do(b, Action.ACCEPT, R.SUPERVISOR, "2026-11-17 09:20")
    incidents = [a, b]
    live = town.figures("2026-11-18 10:00")
    rebuilt = IndicatorBook(TZ, lambda c: TOWNSHIP.platform_of(c).code)
    rebuilt.rebuild(incidents, changes, at("2026-11-18 10:00"))
    assert rebuilt.snapshot(at("2026-11-18 10:00")) == live


def test_figures_of_past_months_are_let_go() -> None:
    town = Town()
    town.close(town.report("2026-10-13 09:00", Urgency.VERY_URGENT), "2026-10-13 10:00")
    assert town.book.closure("2026-10")["closed"] == 1
    town.figures("2026-12-02 09:00")  # October is neither this month nor last
    assert not [k for k in town.book.cohorts if k[0].startswith("2026-10")]
    assert "2026-10" not in town.book.periods
    assert town.figures("2026-12-02 09:00")["this_month"]["received"] == 0  # type: ignore[index]
