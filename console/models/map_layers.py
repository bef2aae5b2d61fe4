"""What the township map draws, without Qt: the territory projected once per township version,
and the live cases read from the queue's own columns (the same live state the queue shows: no
second subscription, no second copy), projected when the queue flushes, not per frame.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from console.models.queue_order import QueueOrder
from domain.incident import URGENCY_RANK, Urgency
from domain.map_features import LayerKind
from domain.map_geometry import (
    Box,
    Viewport,
    inside_point,
    label_ring,
    lines_of,
    mercator,
    ring_contains,
    rings_of,
)
from domain.township import Township

Polyline = list[tuple[float, float]]

Floats = npt.NDArray[np.float64]


class Shading(StrEnum):
    """What the grids are shaded by (the backend's figures per grid, as the evaluation shows)."""

    OPEN = "open"
    OVERDUE_SHARE = "overdue_share"
    ON_TIME_RATE = "on_time_rate"
    UNPATROLLED = "unpatrolled"
    """Grids no grid worker has patrolled today (1) beside those patrolled (0)."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Area:
    """A grid or a village: its rings in projected metres and where its name goes."""

    code: str
    name: str
    village: str
    rings: list[list[tuple[float, float]]]
    label: tuple[float, float]
    box: Box | None


@dataclass(frozen=True, slots=True)
class CameraMark:
    code: str
    name: str
    x: float
    y: float
    direction: float | None = None
    """Degrees clockwise from north (a fixed camera's view); None: unknown or a dome."""


@dataclass(slots=True)
class LiveCases:
    """The open cases with a place, projected: index k is the queue's slot `slots[k]`."""

    x: Floats = field(default_factory=lambda: np.zeros(0))
    y: Floats = field(default_factory=lambda: np.zeros(0))
    rank: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    due: Floats = field(default_factory=lambda: np.zeros(0))
    slots: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    unplaced: int = 0
    """Open cases with no position, no grid and no village known: counted, not drawn."""
    far: int = 0
    """Open cases placed well outside the township (a phone's bad fix, a wrong sign): drawn
    where they say, counted apart, not as on the township's map."""

    def overdue(self, now: float) -> npt.NDArray[np.bool_]:
        return np.asarray(self.due < now)


URGENT_RANK = URGENCY_RANK[Urgency.URGENT]
STACKED_PX = 6
"""Cases this close on screen, where zooming in would not part them, are offered as a list."""
STREET_SCALE = 1.2
"""Metres per pixel under which every case is its own marker (console.widgets.map_style)."""
FAR_MARGIN_M = 2000.0
"""Beyond the township's outline by this much (or a fifth of its size) is "outside it"."""


class MapLayers:
    def __init__(self, order: QueueOrder) -> None:
        self.order = order
        self.grids: list[Area] = []
        self.villages: list[Area] = []
        self.cameras: list[CameraMark] = []
        self.extra: dict[LayerKind, tuple[list[Polyline], list[Polyline]]] = {}
        """The township's own layers by kind: (lines, area rings), projected."""
        self.bounds: Box | None = None
        self.lat = 30.0
        """The township's latitude (the scale bar's ground metres)."""
        self.cases = LiveCases()
        self._lon = self._lat = self._x = self._y = np.zeros(0)
        """Each queue slot's place as last projected (NaN: none), to project only changes."""
        self.by_grid: dict[str, dict[str, Any]] = {}
        self.offline: set[str] = set()
        self.watched = 0
        self.live_here: set[str] = set()
        """Cameras live on this console's video walls now (the map's green ones)."""
        """Cameras the backend has heard of lately: the others' state is unknown, not "up"."""
        self.figures_at: float | None = None
        self.figures_version = 0
        self.patrolled: set[str] = set()
        """Grids patrolled today, as the backend counts them."""
        self._range: tuple[float, float] = (0.0, 1.0)
        self._range_key: tuple[int, int] | None = None
        """Counts the figures taken in: the map redraws its shades only when it moves."""

    # --- the territory ------------------------------------------------------------------------

    def set_township(self, township: Township) -> None:
        self.grids = [
            _area(g.code, g.name, g.village, g.boundary, g.lon, g.lat)
            for g in township.grids.values()
        ]
        self.villages = [
            _area(v.code, v.name, v.code, v.boundary, v.lon, v.lat)
            for v in township.villages.values()
        ]
        self.cameras = []
        for c in township.cameras.values():
            if c.lat is not None and c.lon is not None:
                x, y = mercator(c.lon, c.lat)
                self.cameras.append(CameraMark(c.code, c.name, float(x), float(y), c.direction))
        self.extra = {}
        for f in township.layers:
            lines, areas = self.extra.setdefault(f.kind, ([], []))
            (areas if f.is_area else lines).extend(lines_of(f.geometry))
        xs = [p[0] for a in (*self.villages, *self.grids) for r in a.rings for p in r]
        ys = [p[1] for a in (*self.villages, *self.grids) for r in a.rings for p in r]
        xs += [a.label[0] for a in self.grids] + [c.x for c in self.cameras]
        ys += [a.label[1] for a in self.grids] + [c.y for c in self.cameras]
        self.bounds = Box.around(xs, ys)
        self.lat = township.lat
        self.refresh()

    # --- the live layers ----------------------------------------------------------------------

    def refresh(self) -> None:
        """After the queue flushed: the open cases' places. Only the places that changed are
        projected again (all 100,000 took ~5 ms, a flush's changes a fraction of that)."""
        order = self.order
        n = len(order)
        lon, lat = order.column("lon"), order.column("lat")
        if len(self._lon) != n:  # grown, or rebuilt smaller (a new snapshot, cases gone)
            grown = max(0, n - len(self._lon))
            self._lon = np.concatenate([self._lon, np.full(grown, np.nan)])[:n]
            self._lat = np.concatenate([self._lat, np.full(grown, np.nan)])[:n]
            self._x = np.concatenate([self._x, np.full(grown, np.nan)])[:n]
            self._y = np.concatenate([self._y, np.full(grown, np.nan)])[:n]
        same = ((lon == self._lon) | (np.isnan(lon) & np.isnan(self._lon))) & (
            (lat == self._lat) | (np.isnan(lat) & np.isnan(self._lat))
        )
        moved = np.flatnonzero(~same)
        if len(moved):
            self._lon[moved], self._lat[moved] = lon[moved], lat[moved]
            self._x[moved], self._y[moved] = mercator(lon[moved], lat[moved])
        is_open = order.column("open") == 1
        placed = is_open & np.isfinite(self._x) & np.isfinite(self._y)
        slots = np.flatnonzero(placed).astype(np.int64)
        self.cases = LiveCases(
            self._x[slots],
            self._y[slots],
            order.column("urgency")[slots].astype(np.int64),
            order.column("due")[slots].copy(),
            slots,
            int(is_open.sum() - len(slots)),
            self._far(self._x[slots], self._y[slots]),
        )

    def _far(self, x: Floats, y: Floats) -> int:
        if self.bounds is None or not len(x):
            return 0
        b = self.bounds
        margin = max(FAR_MARGIN_M, 0.2 * max(b.x1 - b.x0, b.y1 - b.y0))
        wide = Box(b.x0 - margin, b.y0 - margin, b.x1 + margin, b.y1 + margin)
        return int(len(x) - np.count_nonzero(wide.contains(x, y)))

    def heat_points(self, category: str | None, since: float) -> tuple[Floats, Floats]:
        """Projected places of the cases received since `since` (open or not: what the console
        holds, the last day's and the open ones), of one category or all (None)."""
        order = self.order
        n = min(len(order), len(self._x))
        keep = order.column("received")[:n] >= since
        if category is not None:
            keep &= order.column("category")[:n] == order.code_of(category)
        keep &= np.isfinite(self._x[:n]) & np.isfinite(self._y[:n])
        return self._x[:n][keep], self._y[:n][keep]

    def set_indicators(self, figures: dict[str, Any]) -> None:
        """The backend's figures: per grid (open, overdue, on-time rate) and the cameras."""
        by = figures.get("by") or {}
        self.by_grid = dict(by.get("grid") or {})
        cameras = figures.get("cameras") or {}
        self.offline = {str(o.get("camera")) for o in cameras.get("offline") or []}
        self.watched = int(cameras.get("watched") or 0)
        patrols = figures.get("patrols") or {}
        self.patrolled = set(patrols.get("grids_patrolled_today") or ())
        self.figures_at = float(figures.get("at") or time.time())  # figures have come
        self.figures_version += 1

    def shade(self, code: str, shading: Shading) -> float | None:
        """A grid's value for the shading, or None (nothing to say: drawn unshaded)."""
        row = self.by_grid.get(code)
        if shading == Shading.NONE:
            return None
        if shading == Shading.UNPATROLLED:
            return None if self.figures_at is None else float(code not in self.patrolled)
        if self.figures_at is None:  # not yet: unshaded, not "0 open" everywhere
            return None
        if row is None:
            return 0.0 if shading == Shading.OPEN else None
        if shading == Shading.OPEN:
            return float(row.get("open") or 0)
        if shading == Shading.OVERDUE_SHARE:
            opened = row.get("open") or 0
            return (row.get("overdue") or 0) / opened if opened else None
        rate = row.get("on_time_rate")
        return None if rate is None else float(rate)

    def shade_range(self, shading: Shading) -> tuple[float, float]:
        """The legend's span: counts from 0 to the largest; shares and rates 0 to 1."""
        if shading != Shading.OPEN:
            return 0.0, 1.0
        key = (self.figures_version, id(self.grids))
        if self._range_key != key:
            values = [self.shade(a.code, shading) or 0.0 for a in self.grids]
            self._range, self._range_key = (0.0, max([1.0, *values])), key
        return self._range

    def camera_state(self, code: str) -> str:
        """ "offline" (the backend's camera health), "online" (live on this console's wall
        now) or "unknown": nobody here sees it, and no one reported it down."""
        if code in self.offline:
            return "offline"
        return "online" if code in self.live_here else "unknown"

    def stacked_at(self, view: Viewport, x: float, y: float, reach: float) -> list[int]:
        """The cases (queue slots) under a marker at screen (x, y) that no zoom would part:
        all within STACKED_PX of each other (cases placed at their grid's centre, one
        doorway's reports), the most urgent first; [] if zooming in would part them."""
        cases = self.cases
        sx, sy = view.to_screen(cases.x, cases.y)
        near = np.flatnonzero(np.hypot(sx - x, sy - y) <= reach)
        if len(near) < 2:
            return []
        spread = float(np.hypot(sx[near] - sx[near].mean(), sy[near] - sy[near].mean()).max())
        if spread > STACKED_PX and view.metres_per_px >= STREET_SCALE:
            return []
        order = np.lexsort((-cases.due[near], cases.rank[near]))
        return [int(cases.slots[near[j]]) for j in order]

    def slot_of_incident(self, incident_id: str) -> int | None:
        return self.order.slot_of(incident_id)

    def place_of(self, incident_id: str) -> tuple[float, float] | None:
        """A case's projected place, whether open or not (a case being looked at)."""
        slot = self.order.slot_of(incident_id)
        if slot is None:
            return None
        lon, lat = self.order.column("lon")[slot], self.order.column("lat")[slot]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return None
        x, y = mercator(lon, lat)
        return float(x), float(y)


def _area(
    code: str, name: str, village: str, boundary: dict[str, Any] | None, lon: float, lat: float
) -> Area:
    rings = rings_of(boundary)
    if rings:
        outer = label_ring(rings)
        box = Box.around((p[0] for p in outer), (p[1] for p in outer))
        label = inside_point(outer)
        cx, cy = mercator(lon, lat)
        if ring_contains(outer, float(cx), float(cy)):
            label = (float(cx), float(cy))  # the township's own centre point, when inside
    else:
        cx, cy = mercator(lon, lat)
        label, box = (float(cx), float(cy)), None
    return Area(code, name, village, rings, label, box)
