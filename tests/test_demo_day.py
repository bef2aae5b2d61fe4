"""The demo's day looks like a township's (DOMAIN.md, "How big a township's day is"): a week
replayed into a real SQLite file, then the wall's figures read as the backend computes them
and held to the ranges docs/demo.md promises a duty officer."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

from backend.demo.day import replay
from backend.demo.rhythm import HOURLY, Rhythm
from backend.demo.users import desk_people, role_person
from backend.service.live import LiveState
from backend.store import Store
from domain.deadlines import DeadlineRules
from domain.incident import IncidentState, Urgency
from domain.township import Role, load_demo_township

TZ = dt.timezone(dt.timedelta(hours=8))
WEDNESDAY_3PM = dt.datetime(2026, 12, 9, 15, 0, tzinfo=TZ).timestamp()
S = IncidentState


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Seven days to a Wednesday afternoon, and what the wall would show then."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'week.sqlite3'}"
    store = Store(url)
    store.migrate()
    township = load_demo_township()
    store.seed_township(township)
    now = WEDNESDAY_3PM
    stored = replay(store, township, now - 7 * 86_400, now, seed=11)
    live = LiveState(store, township)
    live.restore(now)
    figures = live.indicators.snapshot(now)
    incidents = store.incidents()
    actors = Counter(c.actor for i in incidents for c in store.changes(i.id))
    store.close()
    return {
        "stored": stored, "figures": figures, "incidents": incidents, "actors": actors,
        "township": township, "now": now,
    }  # fmt: skip


@pytest.mark.slow
def test_a_replayed_week_gives_the_wall_plausible_figures(week: dict[str, Any]) -> None:
    figures, now = week["figures"], week["now"]
    today, month = figures["today"], figures["this_month"]
    open_cases = [i for i in week["incidents"] if i.is_open]
    waiting = [i for i in open_cases if i.state in (S.REPORTED, S.PASSED_UP)]
    late = [i for i in open_cases if i.stage_due is not None and i.stage_due < now]
    assert 700 <= week["stored"] <= 1500, "tens to a few hundred a day"
    assert 70 <= today["received"] <= 220, "a Wednesday to 15:00"
    assert 60 <= len(open_cases) <= 400
    assert len(waiting) <= 15, "待研判: the command room keeps up"
    assert 1 <= len(late) <= 0.15 * len(open_cases), "当前超期: a few, not thousands"
    assert 0.85 <= (month["closure"]["closure_rate"] or 0) <= 1
    assert 0.85 <= (month["closure"]["on_time_rate"] or 0) < 1, "some close late"
    assert 0.25 <= (today["village_share"] or 0) <= 0.7, "小事不出村"
    assert (today["to_accept"]["p90"] or 0) <= 30 * 60, "受理用时 P90 within its 30 minutes"
    assert 3.8 <= (month["satisfaction"] or 0) <= 4.8
    very_urgent_open = [i for i in open_cases if i.urgency == Urgency.VERY_URGENT]
    assert len(very_urgent_open) <= 5, "a handful of 特急"


@pytest.mark.slow
def test_the_demo_staff_never_act_as_the_desk_logins(week: dict[str, Any]) -> None:
    township = week["township"]
    handler = role_person(township, Role.DEPARTMENT_HANDLER)  # their department's only one
    desk = {township.people[p].name for p in desk_people(township) - {handler}}
    assert not desk & set(week["actors"]), "the person at the desk did nothing of this"
    assert township.people[handler].name in week["actors"], "the handler worked, days ago"
    assert sum(week["actors"].values()) > 5 * week["stored"], "cases moved along the loop"


def test_the_rhythm_follows_the_day_and_the_calendar() -> None:
    rules = DeadlineRules.load()
    rhythm = Rhythm(rules.calendar, per_workday=180, per_rest_day=110)
    wednesday = dt.datetime(2026, 12, 9, tzinfo=TZ).timestamp()
    national_day = dt.datetime(2026, 10, 1, tzinfo=TZ).timestamp()
    assert sum(rhythm.per_hour(wednesday + h * 3600) for h in range(24)) == pytest.approx(180)
    assert sum(rhythm.per_hour(national_day + h * 3600) for h in range(24)) == pytest.approx(110)
    assert rhythm.per_hour(wednesday + 10 * 3600) > 10 * rhythm.per_hour(wednesday + 4 * 3600)
    rng = random.Random(1)
    t, arrivals = wednesday, []
    while t < wednesday + 30 * 86_400:
        t = rhythm.next_arrival(t, rng)
        arrivals.append(t)
    by_hour = Counter(dt.datetime.fromtimestamp(a, TZ).hour for a in arrivals)
    assert by_hour[10] > 3 * by_hour[3]
    assert HOURLY.index(max(HOURLY)) in (9, 10)
