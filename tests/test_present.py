"""console.present: times in the township's zone whatever the machine's, time left, names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from console import present
from domain.deadlines import DeadlineRules
from domain.resources import load_json
from domain.township import load_demo_township
from tests.queue_data import incidents

EIGHT_UTC = 1_795_507_200  # 2026-11-24 08:00 UTC: 16:00 in a UTC+8 township


@pytest.fixture
def zone_back() -> Iterator[None]:
    before = present.zone()
    yield
    present._ZONE.tz = before


def _rules(hours: float) -> DeadlineRules:
    return DeadlineRules({**load_json("deadlines.json"), "utc_offset_hours": hours})


def test_times_are_the_townships_and_switch_when_its_rules_come(zone_back: None) -> None:
    assert present.clock(EIGHT_UTC) == "2026-11-24 16:00:00", "China's time by default"
    present.use_rules(_rules(-5))  # the rules that came with the township say otherwise
    assert present.clock(EIGHT_UTC) == "2026-11-24 03:00:00"
    assert present.when(EIGHT_UTC) == "11-24 03:00"
    assert present.time_of_day(EIGHT_UTC) == "03:00:00"
    assert present.today(EIGHT_UTC) == dt.date(2026, 11, 24)
    assert present.start_of_day(EIGHT_UTC) == EIGHT_UTC - 3 * 3600
    assert present.day_start(dt.date(2026, 11, 24)) == EIGHT_UTC - 3 * 3600
    assert present.utc_offset_s() == -5 * 3600
    assert present.when(None) == ""


def test_time_left_counts_down_and_says_overdue() -> None:
    assert present.time_left(3725) == "1:02:05"
    assert present.time_left(-65) == "overdue 0:01:05"
    assert present.time_left(2 * 86400 + 3 * 3600 + 5) == "2d 3h"


def test_a_cases_time_of_receipt_says_which_day_when_not_today() -> None:
    now = EIGHT_UTC  # 16:00 in the township
    assert present.received(now - 3600, now) == "15:00:00"
    assert present.received(now - 17 * 3600 - 11 * 60, now) == "Yesterday 22:49"
    assert present.received(now - 3 * 86400, now) == "11-21 16:00"


def test_time_limits_in_words() -> None:
    assert present.duration("4wh") == "4 working h" and present.duration("1.5h") == "1.5 h"
    assert present.duration("soon") == "soon", "not a time limit: as it is"


def test_names_from_the_township_and_codes_without_it() -> None:
    township = load_demo_township()
    [incident] = incidents(1, seed=3)
    category = township.categories[incident.category].name
    assert present.category_name(township, incident.category) == category
    assert present.category_name(None, incident.category) == incident.category
    assert present.incident_title(township, incident) == f"{incident.display_number} {category}"
    village = township.villages[incident.village].name
    place = present.place_name(township, incident)
    assert place.startswith(village)
    assert present.place_name(None, incident) == incident.village
    no_grid = dataclasses.replace(incident, grid=None)
    assert present.place_name(township, no_grid) == village
    department = next(iter(township.departments.values()))
    assert present.department_name(township, department.code) == department.name
    assert present.department_name(township, None, "—") == "—"
    assert present.village_name(township, None) == township.name


def test_a_case_in_a_retired_grid_keeps_the_grids_name() -> None:
    """A grid split (its code retired by an apply): the cases reported in it still say where."""
    township = load_demo_township()
    [incident] = incidents(1, seed=3)
    in_old = dataclasses.replace(incident, village="V99", grid="V99G2")
    assert present.place_name(township, in_old) == "V99"  # unknown: the code
    former = {"villages": {"V99": "旧村"}, "grids": {"V99G2": "旧村第二网格"}}
    with_history = dataclasses.replace(township, former=former)
    assert present.place_name(with_history, in_old) == "旧村 / 第二网格"
    assert present.village_name(with_history, "V99") == "旧村"
