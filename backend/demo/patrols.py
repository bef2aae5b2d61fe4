"""The demo township's patrols (巡查): each grid worker's day planned from a seed made of the
worker and the date, so that a restarted demo sends the very same patrols again (acknowledged as
known, never as conflicts) and a replayed day matches a live one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid

from domain.patrol import PatrolReport
from domain.township import Township

PATROL_DAY_SHARE = 0.85
"""The share of working days on which a grid worker patrols."""
STEP_S = 60
WALK_M_PER_STEP = 50.0
"""About 3 km/h, a walking patrol."""
RADIUS_M = 500.0
NAMESPACE = uuid.UUID("6f1c2d0e-5b7a-4c1e-9a8d-3e2f1b0c9d8e")


def plan_day(township: Township, day: dt.date, tz: dt.tzinfo) -> list[PatrolReport]:
    """The patrols of every grid worker on `day`, in the order they end (weekends: a third as
    many)."""
    plans = []
    weekend = day.weekday() >= 5
    for grid in township.grids.values():
        for worker in grid.workers:
            rng = random.Random(f"{worker}/{day.isoformat()}")
            if rng.random() > PATROL_DAY_SHARE / (3 if weekend else 1):
                continue
            start = dt.datetime.combine(day, dt.time(8, 30), tz) + dt.timedelta(
                minutes=rng.randrange(0, 7 * 60 + 30)
            )
            minutes = rng.randrange(45, 150)
            plans.append(_walk(rng, township, grid.code, worker, start.timestamp(), minutes))
    return sorted(plans, key=lambda p: p.ended_at)


def _walk(
    rng: random.Random, township: Township, grid_code: str, worker: str, start: float, minutes: int
) -> PatrolReport:
    """A random walk around the grid's centre, one point a minute, kept inside `RADIUS_M`."""
    grid = township.grids[grid_code]
    metres_per_deg_lon = 111_000.0 * math.cos(math.radians(grid.lat))
    x = y = 0.0
    heading = rng.uniform(0, 2 * math.pi)
    track = []
    for k in range(minutes + 1):
        track.append(
            (
                round(grid.lat + y / 111_000.0, 6),
                round(grid.lon + x / metres_per_deg_lon, 6),
                start + k * STEP_S,
            )
        )
        heading += rng.gauss(0, 0.6)
        if math.hypot(x, y) > RADIUS_M:  # turn back towards the centre
            heading = math.atan2(-y, -x) + rng.gauss(0, 0.3)
        x += WALK_M_PER_STEP * math.cos(heading)
        y += WALK_M_PER_STEP * math.sin(heading)
    return PatrolReport(
        id=str(uuid.uuid5(NAMESPACE, f"{worker}/{start:.0f}")),
        worker=worker,
        grid=grid_code,
        started_at=start,
        ended_at=start + minutes * STEP_S,
        distance_m=None,
        track=tuple(track),
        reports=(),
    )
