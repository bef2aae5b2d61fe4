"""A day of demo traffic written straight into a store on a simulated clock: what the demo's
reporters and staff would have done from `start` to `end`, in seconds instead of hours.

The backend replays the day so far into an empty demo store before it serves (a fresh
`make run` opens on a morning, not an empty board); tests and benches use it for a township
with a past (python -m backend.demo.day URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import random
from collections import deque
from collections.abc import Callable

from backend.demo.patrols import plan_day
from backend.demo.reporter import make_demo_report
from backend.demo.rhythm import Rhythm
from backend.demo.staff import DemoStaff
from backend.demo.users import desk_people, role_person
from backend.store import Store
from domain.incident import Incident
from domain.lifecycle import Action, Command, LifecycleError
from domain.patrol import PatrolReport, accept_patrol
from domain.resources import load_config
from domain.township import Role, Township, load_demo_township

SWEEP_S = 300.0
"""How often the simulated backend notes the cases past their deadline (it does so at once
when live; the count on the wall is the same)."""


def replay(
    store: Store,
    township: Township,
    start: float,
    end: float,
    per_minute: float | None = None,
    seed: int = 0,
) -> int:
    """Reports from `start` to `end` by the day's rhythm (or `per_minute`, flat); the staff's
    steps at their planned moments (backend.demo.staff); the grid workers' patrols that ended
    by then (backend.demo.patrols); the deadline sweep. Returns the reports stored."""
    rng = random.Random(seed)
    config = load_config()["demo"]
    rhythm = Rhythm.from_config(store.rules.calendar, config, per_minute)
    # the handler behind the `handler` login did the department's work on the days replayed
    # (its only handler); live, its new cases wait for the person signed in as them
    handler = role_person(township, Role.DEPARTMENT_HANDLER)
    staff = DemoStaff(township, store.rules, desk_people(township) - {handler})
    patrols = deque(_planned_patrols(store, township, start, end))
    steps: list[tuple[float, int, str]] = []
    current: dict[str, Incident] = {}
    arrival, sweep, stored, seq = rhythm.next_arrival(start, rng), start + SWEEP_S, 0, 0

    def plan(incident: Incident) -> None:
        nonlocal seq
        current[incident.id] = incident
        step = staff.next_step(incident)
        if step is not None and step.at < end:
            seq += 1
            heapq.heappush(steps, (step.at, seq, incident.id))

    while True:
        t = min(arrival, sweep, steps[0][0] if steps else end, end)
        while patrols and patrols[0].ended_at <= t:
            patrol = patrols.popleft()
            store.add_patrol(patrol, accept_patrol(patrol, township, patrol.ended_at + 60))
        if t >= end:
            return stored
        if t == arrival:
            report = make_demo_report(rng, township, config, now=t, avoid=staff.desk)
            (result,) = store.intake_many([report], now=t)
            assert isinstance(result, tuple), result
            plan(result[0])
            stored += 1
            arrival = rhythm.next_arrival(t, rng)
        elif t == sweep:
            for late in store.overdue(t):
                note = Command(late.id, Action.OVERDUE, late.version, "system", Role.SYSTEM)
                after, _ = store.execute(note, township, max(late.stage_due or t, late.updated_at))
                current[after.id] = after
            sweep += SWEEP_S
        else:
            _at, _seq, incident_id = heapq.heappop(steps)
            _act(store, staff, current, incident_id, t, plan)


def _act(
    store: Store,
    staff: DemoStaff,
    current: dict[str, Incident],
    incident_id: str,
    t: float,
    plan: Callable[[Incident], None],
) -> None:
    incident = current[incident_id]
    step = staff.next_step(incident)
    if step is None:
        return
    if step.at > t + 1:  # the case moved on (a sweep escalated it): plan afresh
        plan(incident)
        return
    command = Command(
        incident.id, step.action, incident.version, staff.name(step.person), step.role, step.args
    )
    try:
        after, _change = store.execute(command, staff.township, t)
    except LifecycleError:
        return
    plan(after)


def _planned_patrols(
    store: Store, township: Township, start: float, end: float
) -> list[PatrolReport]:
    tz = store.rules.calendar.tz
    day = dt.datetime.fromtimestamp(start, tz).date()
    last = dt.datetime.fromtimestamp(end, tz).date()
    plans: list[PatrolReport] = []
    while day <= last:
        plans += [p for p in plan_day(township, day, tz) if start <= p.started_at]
        day += dt.timedelta(days=1)
    return plans


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("db", help="database URL, e.g. sqlite:////tmp/day.sqlite3")
    p.add_argument("--per-minute", type=float, help="a flat rate instead of the day's rhythm")
    p.add_argument("--days", type=float, default=0, help="also this many days before today")
    args = p.parse_args()
    store = Store(args.db)
    store.migrate()
    township = load_demo_township()
    if not store.has_township():
        store.seed_township(township)
    now = dt.datetime.now(store.rules.calendar.tz)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = (midnight - dt.timedelta(days=args.days)).timestamp()
    n = replay(store, township, start, now.timestamp(), args.per_minute)
    print(f"{n} reports from {dt.datetime.fromtimestamp(start, now.tzinfo)} to {now}")


if __name__ == "__main__":
    main()
