"""Patrols (巡查): the checks a patrol must pass, the wall's figures of the day, and the
evaluation's patrol columns, against cases worked out by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from backend.demo.patrols import plan_day
from domain.evaluation import evaluate
from domain.patrol import (
    MAX_TRACK_POINTS,
    Patrol,
    PatrolBook,
    PatrolError,
    PatrolReport,
    accept_patrol,
)
from domain.township import distance_m
from tests.test_indicators import TOWNSHIP, TZ, Town, at

WORKER, GRID = "P0226", "V01G1"  # 陈国丽, a grid worker of 陈宅村第一网格
T0905 = at("2026-11-17 09:05")


def body(**changes: Any) -> dict[str, Any]:
    start = at("2026-11-17 09:00")
    sent: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "worker": WORKER,
        "grid": GRID,
        "started_at": start,
        "ended_at": start + 3600,
        "track": [[28.8553, 119.7766, start], [28.8563, 119.7766, start + 600]],
        "reports": [],
        "note": "",
    }
    return sent | changes


def accepted(when: str = "2026-11-17 09:00", hours: float = 1.0, **changes: Any) -> Patrol:
    start = at(when)
    report = PatrolReport.from_wire(
        body(started_at=start, ended_at=start + hours * 3600, track=[], **changes)
    )
    return accept_patrol(report, TOWNSHIP, start + hours * 3600 + 60)


def test_a_patrol_is_measured_by_its_track() -> None:
    report = PatrolReport.from_wire(body(distance_m=5000))
    patrol = accept_patrol(report, TOWNSHIP, report.ended_at + 10)
    # 0.001° of latitude is 111.2 m; the app's own 5 km gives way to the track it sent.
    assert patrol.distance_m == pytest.approx(distance_m(28.8553, 119.7766, 28.8563, 119.7766), 0.1)
    assert 111 < patrol.distance_m < 112
    assert (patrol.worker_name, patrol.village, patrol.hours) == ("陈国丽", "V01", 1.0)
    without_track = PatrolReport.from_wire(body(track=[], distance_m=2500))
    assert accept_patrol(without_track, TOWNSHIP, without_track.ended_at).distance_m == 2500


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"id": "patrol-1"}, "id must be a UUID"),
        ({"worker": ""}, "worker must be a code"),
        ({"started_at": "09:00"}, "started_at must be a number"),
        ({"ended_at": at("2026-11-17 08:00")}, "ended_at must come after started_at"),
        ({"ended_at": at("2026-11-17 22:00")}, "at most 12 h"),
        ({"distance_m": -1}, "distance_m must be between"),
        ({"distance_m": float("nan")}, "distance_m must be a number"),
        ({"track": {"lat": 1}}, "track must be a list"),
        ({"track": [[28.8, 119.7]]}, "each track point must be [lat, lon, time]"),
        ({"track": [[128.8, 119.7, at("2026-11-17 09:00")]]}, "lat must be between"),
        ({"track": [[28.8, 119.7, at("2026-11-18 09:00")]]}, "time must be between"),
        (
            {
                "track": [
                    [28.8, 119.7, at("2026-11-17 09:10")],
                    [28.8, 119.7, at("2026-11-17 09:05")],
                ]
            },
            "in time order",
        ),
        ({"track": [[28.8, 119.7, at("2026-11-17 09:10")]] * (MAX_TRACK_POINTS + 1)}, "at most"),
        ({"reports": ["not-a-report"]}, "each report id must be a UUID"),
        ({"note": "巡" * 501}, "note must be text"),
    ],
)
def test_a_malformed_patrol_is_refused_naming_the_field(changes: dict[str, Any], says: str) -> None:
    with pytest.raises(PatrolError, match=says.replace("[", r"\[").replace("]", r"\]")):
        PatrolReport.from_wire(body(**changes))


@pytest.mark.parametrize(
    ("changes", "now", "says"),
    [
        ({"grid": "V99G9"}, "2026-11-17 10:05", "unknown grid"),
        ({"worker": "P0372"}, "2026-11-17 10:05", "is not a grid worker"),  # a duty officer
        ({"worker": "P0227"}, "2026-11-17 10:05", "does not serve grid V01G1"),  # the next grid's
        ({}, "2026-11-17 09:30", "in the future"),
        ({}, "2026-11-25 09:00", "up to 7 days"),
    ],
)
def test_a_patrol_must_be_by_one_of_the_grid_s_people_and_recent(
    changes: dict[str, Any], now: str, says: str
) -> None:
    report = PatrolReport.from_wire(body(**changes))
    with pytest.raises(PatrolError, match=says):
        accept_patrol(report, TOWNSHIP, at(now))


def test_the_grid_leader_and_members_patrol_too() -> None:
    for person in ("P0001", "P0002"):
        report = PatrolReport.from_wire(body(worker=person))
        assert accept_patrol(report, TOWNSHIP, report.ended_at).worker == person


def test_the_wall_counts_grids_patrolled_today_against_yesterday_by_this_time() -> None:
    book = PatrolBook(list(TOWNSHIP.grids), TZ)
    yesterday_morning = accepted("2026-11-16 08:30", worker="P0226")
    yesterday_evening = accepted("2026-11-16 17:00", worker="P0227", grid="V01G2")
    late_last_night = accepted("2026-11-16 23:30", worker="P0228", grid="V02G1")  # ends today
    today = accepted("2026-11-17 08:00", hours=2.0)
    for patrol in (yesterday_morning, yesterday_evening, late_last_night, today):
        assert book.add(patrol)
    assert not book.add(today)  # sent again: counted once
    figures = book.figures(at("2026-11-17 12:00"))
    assert figures["patrols"] == 1 and figures["hours"] == 2.0
    assert (figures["grids_patrolled"], figures["grids"]) == (1, len(TOWNSHIP.grids))
    assert figures["grids_patrolled_today"] == [today.grid], "the map's: which ones"
    # By 12:00 yesterday only the morning's patrol had ended.
    assert figures["grids_patrolled_yesterday_by_now"] == 1
    assert book.figures(at("2026-11-17 20:00"))["grids_patrolled_yesterday_by_now"] == 2
    # At midnight in the township (16:00 UTC), not on the machine's clock, the day turns.
    assert book.figures(at("2026-11-18 00:00"))["patrols"] == 0


def _evaluate(town: Town, dim: str, patrols: list[Patrol]) -> dict[str, dict[str, Any]]:
    figures = evaluate(
        town.incidents.values(), town.changes, at("2026-11-16 00:00"), at("2026-11-23 00:00"),
        dim, TZ, lambda c: TOWNSHIP.platform_of(c).code, at("2026-11-19 12:00"), patrols,
    )  # fmt: skip
    return {row["value"]: row for row in figures["rows"]}


def test_grid_workers_and_grids_are_held_to_their_patrols() -> None:
    town = Town()
    town.report("2026-11-17 09:30", reporter="陈国丽", village="V01", grid="V01G1")
    patrols = [
        accepted("2026-11-17 09:00", hours=1.5, reports=[str(uuid.uuid4())]),
        accepted("2026-11-17 14:00", hours=0.5),
        accepted("2026-11-18 09:00", hours=1.0, distance_m=2400.0),
        accepted("2026-11-18 09:00", worker="P0294"),  # the grid's other worker
        accepted("2026-11-24 09:00", hours=1.0),  # after the week
    ]
    workers = _evaluate(town, "grid_worker", patrols)
    me = workers["陈国丽"]  # her reports and her patrols in one row, by her name
    assert me["received"] == 1
    assert (me["patrols"], me["patrol_days"], me["patrol_hours"]) == (3, 2, 3.0)
    assert me["patrol_km"] == 2.4 and me["found_on_patrol"] == 1
    # Monday to Thursday noon: four days begun, two of them patrolled.
    assert me["patrol_day_rate"] == 0.5
    assert workers[TOWNSHIP.people["P0294"].name]["patrols"] == 1
    grid = _evaluate(town, "grid", patrols)["V01G1"]
    assert (grid["received"], grid["patrols"], grid["patrol_days"]) == (1, 4, 2)
    assert _evaluate(town, "village", patrols)["V01"]["patrols"] == 4


def test_departments_have_no_patrol_columns() -> None:
    town = Town()
    closed = town.close(town.report("2026-11-17 09:00"), "2026-11-17 15:00", department="sifasuo")
    assert closed.department == "sifasuo"
    row = _evaluate(town, "department", [accepted()])["sifasuo"]
    assert "patrols" not in row and "patrol_day_rate" not in row


def test_the_demo_townships_patrols_pass_the_checks_and_come_out_the_same_each_time() -> None:
    tuesday, sunday = dt.date(2026, 11, 17), dt.date(2026, 11, 22)
    plans = plan_day(TOWNSHIP, tuesday, TZ)
    workers = sum(len(g.workers) for g in TOWNSHIP.grids.values())
    assert 0.7 * workers < len(plans) <= workers
    assert len(plan_day(TOWNSHIP, sunday, TZ)) < 0.5 * workers
    assert [p.to_wire() for p in plan_day(TOWNSHIP, tuesday, TZ)] == [p.to_wire() for p in plans]
    assert [p.ended_at for p in plans] == sorted(p.ended_at for p in plans)
    for report in plans:
        patrol = accept_patrol(report, TOWNSHIP, report.ended_at + 60)
        assert 45 * 60 <= patrol.ended_at - patrol.started_at < 150 * 60
        assert 1000 < patrol.distance_m < 10_000  # a walk of 50 m a minute, turning
        assert PatrolReport.from_wire(report.to_wire()) == report  # what the wire carries
