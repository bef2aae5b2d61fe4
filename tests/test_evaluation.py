"""The evaluation figures for a picked period, against cases worked out by hand."""

from __future__ import annotations

import pytest

from domain.evaluation import evaluate
from domain.incident import Urgency
from domain.lifecycle import Action
from tests.test_indicators import TOWNSHIP, TZ, R, Town, at


def _evaluate(town: Town, dim: str, start: str, end: str, now: str) -> dict[str, dict[str, object]]:
    figures = evaluate(
        town.incidents.values(), town.changes, at(start), at(end), dim, TZ,
        lambda c: TOWNSHIP.platform_of(c).code, at(now),
    )  # fmt: skip
    return {row["value"]: row for row in figures["rows"]}


def test_each_department_is_held_to_the_cases_due_in_the_period() -> None:
    town = Town()
    # Very urgent: each case is due one working day on (Tuesday 09:00 -> Wednesday 09:00).
    on_time = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    late = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    never = town.report("2026-11-17 09:00", Urgency.VERY_URGENT)
    town.close(on_time, "2026-11-17 15:00", department="sifasuo")
    closed = town.close(late, "2026-11-19 11:00", department="paichusuo")  # a day late
    i = town.do(never, Action.ACCEPT, R.SUPERVISOR, "2026-11-17 09:10")
    town.do(i, Action.DISPATCH, R.SUPERVISOR, "2026-11-17 09:20", department="paichusuo")
    town.do(closed, Action.EVALUATE, R.SUPERVISOR, "2026-11-19 12:00", score=3)
    week = _evaluate(town, "department", "2026-11-16 00:00", "2026-11-23 00:00", "2026-11-20 00:00")
    assert week["sifasuo"]["due"] == 1 and week["sifasuo"]["on_time_rate"] == 1.0
    assert week["sifasuo"]["avg_hours_to_close"] == pytest.approx(6.0)
    p = week["paichusuo"]
    assert (p["due"], p["closed"], p["on_time"]) == (2, 1, 0)
    assert p["closure_rate"] == 0.5 and p["on_time_rate"] == 0.0
    assert p["satisfaction"] == 3.0 and p["evaluations"] == 1
    assert p["daily_closed"] == [0, 0, 0, 1, 0, 0, 0]  # Monday to Sunday: closed on Thursday
    # Tuesday alone: only the case closed on time that day was due; the others fell due on
    # Wednesday, outside the period.
    tuesday = _evaluate(town, "department", "2026-11-17 00:00", "2026-11-18 00:00", "2026-11-20")
    assert tuesday["sifasuo"]["due"] == 1
    assert tuesday["paichusuo"]["due"] == 0


def test_a_case_not_yet_due_when_asked_is_not_counted() -> None:
    town = Town()
    town.report("2026-11-17 09:00", Urgency.VERY_URGENT)  # due Wednesday 09:00
    rows = _evaluate(town, "village", "2026-11-16 00:00", "2026-11-23 00:00", "2026-11-18 08:00")
    assert rows["v01"]["received"] == 1
    assert rows["v01"]["due"] == 0 and rows["v01"]["on_time_rate"] is None


def test_grid_workers_are_counted_by_their_own_reports() -> None:
    town = Town()
    town.report("2026-11-17 09:00", reporter="网格员甲")
    town.report("2026-11-17 10:00", reporter="网格员甲")
    town.report("2026-11-17 11:00", reporter="网格员乙")
    town.report("2026-11-18 11:00", reporter="网格员乙")  # the next day: another period
    rows = _evaluate(town, "grid_worker", "2026-11-17 00:00", "2026-11-18 00:00", "2026-11-19")
    assert {v: r["received"] for v, r in rows.items()} == {"网格员甲": 2, "网格员乙": 1}
