"""Grid workers' patrols (巡查): what the grid app sends when a patrol ends, the checks it must
pass, and the day's patrol figures the wall shows (docs/indicators.md, "Patrols").

A patrol is sent once, when it ends, with a client-made id, so that an app that lost the
acknowledgement sends it again safely; an app out of coverage keeps its patrols and sends them
within `MAX_AGE_DAYS`. The stored patrol carries the worker's name and village as they were on the
day, so a later move to another grid does not rewrite last month's evaluation.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field, fields
from typing import Any

from domain.township import Role, Township, distance_m

MAX_HOURS = 12.0
MAX_AGE_DAYS = 7
MAX_TRACK_POINTS = 2000
MAX_REPORTS = 100
MAX_DISTANCE_M = 100_000.0
MAX_NOTE_CHARS = 500
CLOCK_SKEW_S = 300.0
NEAR_GRID_M = 5_000.0
"""A patrol's track comes this near its grid's centre at least once, or it is not its patrol
(a phone's position in another coordinate system, or a track from somewhere else)."""
"""A phone's clock may run this far ahead of the backend's."""
PATROLLING_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_MEMBER, Role.GRID_LEADER})


class PatrolError(ValueError):
    """A patrol that cannot be accepted as sent; the message says which field and why."""


def _number(body: dict[str, Any], key: str, low: float, high: float) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PatrolError(f"{key} must be a number")
    if not low <= value <= high:
        raise PatrolError(f"{key} must be between {low:g} and {high:g}")
    return float(value)


def _code(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= 32:
        raise PatrolError(f"{key} must be a code of 1 to 32 characters")
    return value


def _uuid(value: Any, what: str) -> str:
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise PatrolError(f"{what} must be a UUID")


@dataclass(frozen=True, slots=True)
class PatrolReport:
    """What the grid app sends (`patrol.submit`) when a patrol ends."""

    id: str
    worker: str
    grid: str
    started_at: float
    ended_at: float
    distance_m: float | None
    track: tuple[tuple[float, float, float], ...]
    """(lat, lon, epoch seconds) as the phone recorded them, in time order."""
    reports: tuple[str, ...]
    """Ids of the field reports made on the way (report.submit), which may arrive later."""
    note: str = ""

    @classmethod
    def from_wire(cls, body: Any) -> PatrolReport:
        """Check the message's shape and each field; raise PatrolError naming the first bad one."""
        if not isinstance(body, dict):
            raise PatrolError("patrol body must be an object")
        started = _number(body, "started_at", 0, 1e11)
        ended = _number(body, "ended_at", 0, 1e11)
        if not started < ended <= started + MAX_HOURS * 3600:
            raise PatrolError(f"ended_at must come after started_at, at most {MAX_HOURS:g} h")
        distance = None
        if body.get("distance_m") is not None:
            distance = _number(body, "distance_m", 0, MAX_DISTANCE_M)
        track_in = body.get("track", [])
        if not isinstance(track_in, list) or len(track_in) > MAX_TRACK_POINTS:
            raise PatrolError(f"track must be a list of at most {MAX_TRACK_POINTS} points")
        track: list[tuple[float, float, float]] = []
        for point in track_in:
            if not isinstance(point, list) or len(point) != 3:
                raise PatrolError("each track point must be [lat, lon, time]")
            p = dict(zip(("lat", "lon", "time"), point, strict=True))
            lat, lon = _number(p, "lat", -90, 90), _number(p, "lon", -180, 180)
            t = _number(p, "time", started - 60, ended + 60)
            if track and t < track[-1][2]:
                raise PatrolError("track points must be in time order")
            track.append((lat, lon, t))
        reports_in = body.get("reports", [])
        if not isinstance(reports_in, list) or len(reports_in) > MAX_REPORTS:
            raise PatrolError(f"reports must be a list of at most {MAX_REPORTS} report ids")
        note = body.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            raise PatrolError(f"note must be text of at most {MAX_NOTE_CHARS} characters")
        return cls(
            id=_uuid(body.get("id"), "id"),
            worker=_code(body, "worker"),
            grid=_code(body, "grid"),
            started_at=started,
            ended_at=ended,
            distance_m=distance,
            track=tuple(track),
            reports=tuple(sorted({_uuid(r, "each report id") for r in reports_in})),
            note=note,
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "worker": self.worker,
            "grid": self.grid,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "distance_m": self.distance_m,
            "track": [list(p) for p in self.track],
            "reports": list(self.reports),
            "note": self.note,
        }

    def track_length_m(self) -> float:
        return sum(
            distance_m(a[0], a[1], b[0], b[1])
            for a, b in zip(self.track, self.track[1:], strict=False)
        )


@dataclass(frozen=True, slots=True)
class Patrol:
    """A patrol as stored and counted: the report, checked against the township, with the
    worker's name and village of the day and the distance walked."""

    id: str
    worker: str
    worker_name: str
    grid: str
    village: str
    started_at: float
    ended_at: float
    distance_m: float
    found: int
    """Field reports made on the way."""
    received_at: float

    @property
    def hours(self) -> float:
        return (self.ended_at - self.started_at) / 3600

    def to_wire(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Patrol:
        return cls(**{f.name: body[f.name] for f in fields(cls)})


def accept_patrol(report: PatrolReport, township: Township, now: float) -> Patrol:
    """The patrol as it counts, or PatrolError: the worker must be one of the grid's people with
    a patrolling role, and the patrol must have ended, lately."""
    grid = township.grids.get(report.grid)
    if grid is None:
        raise PatrolError(f"unknown grid {report.grid!r}")
    person = township.people.get(report.worker)
    if person is None or person.role not in PATROLLING_ROLES:
        raise PatrolError(f"{report.worker!r} is not a grid worker, member or leader")
    if report.worker not in (grid.leader, *grid.members, *grid.workers):
        raise PatrolError(f"{report.worker} does not serve grid {grid.code}")
    if report.ended_at > now + CLOCK_SKEW_S:
        raise PatrolError("ended_at is in the future; is the phone's clock right?")
    if report.started_at < now - MAX_AGE_DAYS * 86_400:
        raise PatrolError(f"a patrol is accepted up to {MAX_AGE_DAYS} days after it started")
    if report.track and min(distance_m(lat, lon, grid.lat, grid.lon)
                            for lat, lon, _t in report.track) > NEAR_GRID_M:  # fmt: skip
        raise PatrolError(f"the track never comes within {NEAR_GRID_M / 1000:g} km of grid "
                          f"{grid.code}: is it the grid's, in WGS-84?")  # fmt: skip
    walked = report.track_length_m() if len(report.track) >= 2 else report.distance_m or 0.0
    if walked > MAX_DISTANCE_M:
        raise PatrolError(f"a track of {walked / 1000:.0f} km is not a patrol")
    return Patrol(
        id=report.id,
        worker=person.code,
        worker_name=person.name,
        grid=grid.code,
        village=grid.village,
        started_at=report.started_at,
        ended_at=report.ended_at,
        distance_m=round(walked, 1),
        found=len(report.reports),
        received_at=now,
    )


@dataclass
class _Day:
    patrols: int = 0
    seconds: float = 0.0
    grids: dict[str, float] = field(default_factory=dict)
    """Each grid patrolled, with the end of its first patrol (when the wall could know)."""
    ids: set[str] = field(default_factory=set)


class PatrolBook:
    """Today's patrols for the wall: how many, how long, how many grids had one, and how many
    yesterday had had one by this time of day (a morning's figure is low by nature; the
    comparison says whether it is low for a morning). A patrol counts on the township day it
    started; a late upload still counts on its own day."""

    def __init__(self, grids: list[str], tz: dt.tzinfo) -> None:
        self.grids = set(grids)
        self.tz = tz
        self._days: dict[dt.date, _Day] = {}

    def add(self, patrol: Patrol) -> bool:
        """True if it is new (a resent patrol counts once)."""
        day = self._days.setdefault(self._date(patrol.started_at), _Day())
        if patrol.id in day.ids:
            return False
        day.ids.add(patrol.id)
        day.patrols += 1
        day.seconds += patrol.ended_at - patrol.started_at
        if patrol.grid in self.grids:
            first = day.grids.get(patrol.grid, patrol.ended_at)
            day.grids[patrol.grid] = min(first, patrol.ended_at)
        return True

    def figures(self, now: float) -> dict[str, Any]:
        today = self._date(now)
        for old in [d for d in self._days if d < today - dt.timedelta(days=MAX_AGE_DAYS + 1)]:
            del self._days[old]
        day = self._days.get(today, _Day())
        yesterday = self._days.get(today - dt.timedelta(days=1), _Day())
        a_day_ago = now - 86_400
        return {
            "patrols": day.patrols,
            "hours": round(day.seconds / 3600, 2),
            "grids_patrolled": len(day.grids),
            "grids_patrolled_today": sorted(day.grids),
            "grids": len(self.grids),
            "grids_patrolled_yesterday_by_now": sum(
                1 for t in yesterday.grids.values() if t <= a_day_ago
            ),
        }

    def _date(self, at: float) -> dt.date:
        return dt.datetime.fromtimestamp(at, self.tz).date()
