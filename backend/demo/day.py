"""A day of demo traffic written straight into a store on a simulated clock: what the demo
reporter and its staff would have done from midnight to now, in seconds instead of hours.

For tests and benches that need a township with a past (python -m backend.demo.day URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections import deque

from backend.demo.patrols import plan_day
from backend.demo.reporter import DEMO_STEPS, STAFF, make_demo_report
from backend.store import Store
from domain.incident import Incident
from domain.lifecycle import Action, Command, LifecycleError
from domain.patrol import PatrolReport, accept_patrol
from domain.resources import load_config
from domain.township import Township, load_demo_township


def replay(
    store: Store,
    township: Township,
    start: float,
    end: float,
    per_minute: float,
    seed: int = 0,
) -> int:
    """Poisson reports from `start` to `end`; after each, the staff move two earlier cases one
    step along the loop, at the same simulated moment; and the grid workers' patrols that ended
    by then (backend.demo.patrols). Returns the reports stored."""
    rng = random.Random(seed)
    config = load_config()["demo"]
    open_incidents: dict[str, Incident] = {}
    patrols = deque(_planned_patrols(store, township, start, end))
    t, stored = start, 0
    while True:
        t += rng.expovariate(per_minute / 60)
        while patrols and patrols[0].ended_at <= min(t, end):
            patrol = patrols.popleft()
            store.add_patrol(patrol, accept_patrol(patrol, township, patrol.ended_at + 60))
        if t >= end:
            return stored
        report = make_demo_report(rng, township, config, now=t)
        (result,) = store.intake_many([report], now=t)
        assert isinstance(result, tuple), result
        incident = result[0]
        open_incidents[incident.id] = incident
        stored += 1
        for _ in range(2):
            _advance(store, township, rng, open_incidents, t)


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


def _advance(
    store: Store,
    township: Township,
    rng: random.Random,
    open_incidents: dict[str, Incident],
    now: float,
) -> None:
    if len(open_incidents) < 8:
        return
    incident = open_incidents[rng.choice(sorted(open_incidents))]
    action, role, args = DEMO_STEPS[incident.state]
    if action == Action.DISPATCH:
        args = {"department": township.categories[incident.category].department}
    command = Command(incident.id, action, incident.version, STAFF[role], role, args)
    try:
        after, _change = store.execute(command, township, now)
    except LifecycleError:
        open_incidents.pop(incident.id, None)
        return
    if after.state in DEMO_STEPS:
        open_incidents[after.id] = after
    else:
        open_incidents.pop(after.id, None)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("db", help="database URL, e.g. sqlite:////tmp/day.sqlite3")
    p.add_argument("--per-minute", type=float, default=1.0)
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
