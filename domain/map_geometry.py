"""The township map's geometry, without Qt: projection, the view, clustering, areas.

The map is drawn in Web Mercator metres (EPSG:3857: what every tile package and web map uses,
so a raster layer lines up without resampling), from the WGS-84 the store keeps (domain.coords);
y grows northwards here and the widget flips it. Positions of many incidents at once are numpy
arrays: 100,000 markers are projected, culled and clustered in a few milliseconds a frame.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from domain.coords import CoordinateSystem, from_wgs84
from domain.incident import Incident
from domain.township import Township

EARTH_R = 6_378_137.0
MAX_LAT = 85.051_128_78
Floats = npt.NDArray[np.float64]


def mercator(lon: Any, lat: Any) -> tuple[Any, Any]:
    """WGS-84 degrees to Web Mercator metres; scalars or numpy arrays (NaN stays NaN)."""
    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    x = np.radians(lon) * EARTH_R
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_R
    return x, y


def unmercator(x: Any, y: Any) -> tuple[Any, Any]:
    """Web Mercator metres to WGS-84 (lon, lat) degrees."""
    lon = np.degrees(np.asarray(x) / EARTH_R)
    lat = np.degrees(2 * np.arctan(np.exp(np.asarray(y) / EARTH_R)) - np.pi / 2)
    return lon, lat


@dataclass(frozen=True, slots=True)
class Box:
    """An area in projected metres (x0 < x1, y0 < y1)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, xs: Iterable[float], ys: Iterable[float]) -> Box | None:
        x, y = np.fromiter(xs, float), np.fromiter(ys, float)
        keep = np.isfinite(x) & np.isfinite(y)
        if not keep.any():
            return None
        x, y = x[keep], y[keep]
        return cls(float(x.min()), float(y.min()), float(x.max()), float(y.max()))

    def contains(self, x: Floats, y: Floats) -> npt.NDArray[np.bool_]:
        return (x >= self.x0) & (x <= self.x1) & (y >= self.y0) & (y <= self.y1)

    def lonlat(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees: how the queue's area filter keeps it."""
        (w, e), (s, n) = unmercator([self.x0, self.x1], [self.y0, self.y1])
        return float(w), float(s), float(e), float(n)


@dataclass(slots=True)
class Viewport:
    """What part of the world a widget of `width`×`height` pixels shows."""

    cx: float = 0.0
    cy: float = 0.0
    metres_per_px: float = 10.0
    width: int = 800
    height: int = 600
    min_metres_per_px: float = 0.25
    max_metres_per_px: float = 2_000.0

    def to_screen(self, x: Any, y: Any) -> tuple[Any, Any]:
        s = 1.0 / self.metres_per_px
        return (x - self.cx) * s + self.width / 2, (self.cy - y) * s + self.height / 2

    def to_world(self, px: float, py: float) -> tuple[float, float]:
        m = self.metres_per_px
        return self.cx + (px - self.width / 2) * m, self.cy - (py - self.height / 2) * m

    def visible(self, margin_px: float = 0.0) -> Box:
        m = self.metres_per_px
        half_w, half_h = (self.width / 2 + margin_px) * m, (self.height / 2 + margin_px) * m
        return Box(self.cx - half_w, self.cy - half_h, self.cx + half_w, self.cy + half_h)

    def pan(self, dx_px: float, dy_px: float) -> None:
        self.cx -= dx_px * self.metres_per_px
        self.cy += dy_px * self.metres_per_px

    def zoom_at(self, px: float, py: float, factor: float) -> None:
        """Zoom by `factor` (> 1: closer) keeping the world point under (px, py) in place."""
        wx, wy = self.to_world(px, py)
        m = min(self.max_metres_per_px, max(self.min_metres_per_px, self.metres_per_px / factor))
        self.metres_per_px = m
        self.cx = wx - (px - self.width / 2) * m
        self.cy = wy + (py - self.height / 2) * m

    def fit(self, box: Box, margin: float = 0.05) -> None:
        """The whole box in view, with a margin on each side."""
        self.cx, self.cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        span_x = max(box.x1 - box.x0, 50.0) / max(1, self.width)
        span_y = max(box.y1 - box.y0, 50.0) / max(1, self.height)
        m = max(span_x, span_y) * (1 + 2 * margin)
        self.metres_per_px = min(self.max_metres_per_px, max(self.min_metres_per_px, m))


@dataclass(frozen=True, slots=True)
class Clusters:
    """Markers as drawn at one zoom: each either one incident or a group of nearby ones."""

    x: Floats
    """Screen pixels of each cluster (the mean of its members)."""
    y: Floats
    count: npt.NDArray[np.int64]
    rank: npt.NDArray[np.int64]
    """The most urgent member's rank (domain.incident.URGENCY_RANK: 0 is 特急): its colour."""
    overdue: npt.NDArray[np.int64]
    """How many of its members are past their stage's time limit."""
    first: npt.NDArray[np.int64]
    """An index into the input of one member (the incident itself when count is 1)."""

    def __len__(self) -> int:
        return len(self.x)


def cluster(
    sx: Floats,
    sy: Floats,
    rank: npt.NDArray[np.int64],
    overdue: npt.NDArray[np.bool_],
    cell_px: float,
) -> Clusters:
    """Group markers on a square grid of `cell_px` screen pixels (the usual grid clustering of
    web maps: stable while panning, one pass, no pairwise distances); `cell_px` 0: none."""
    n = len(sx)
    if n == 0:
        empty = np.zeros(0, np.int64)
        return Clusters(np.zeros(0), np.zeros(0), empty, empty, empty, empty)
    if cell_px <= 0:
        idx = np.arange(n, dtype=np.int64)
        return Clusters(sx, sy, np.ones(n, np.int64), rank.astype(np.int64),
                        overdue.astype(np.int64), idx)  # fmt: skip
    cx = np.floor(sx / cell_px).astype(np.int64)
    cy = np.floor(sy / cell_px).astype(np.int64)
    cx -= cx.min()
    cy -= cy.min()
    rows = int(cy.max()) + 1
    cells = (int(cx.max()) + 1) * rows
    if cells > 4 * n + 4096:  # spread far beyond a screen: sort instead of counting
        key = cx * rows + cy
        _keys, inverse = np.unique(key, return_inverse=True)
        inverse = inverse.reshape(-1)
        cells = int(inverse.max()) + 1
    else:  # counting over the cells is O(n); np.unique's sort was most of a frame
        inverse = cx * rows + cy
    count = np.bincount(inverse, minlength=cells)
    used = np.flatnonzero(count)
    count = count[used]
    x = np.bincount(inverse, weights=sx, minlength=cells)[used] / count
    y = np.bincount(inverse, weights=sy, minlength=cells)[used] / count
    ranks = rank.astype(np.int64)
    top = np.full(len(used), np.iinfo(np.int64).max, np.int64)
    present = np.flatnonzero(np.bincount(ranks - ranks.min())) + ranks.min()
    for r in present.tolist():  # a few urgency ranks: one count each (no sort, no ufunc.at)
        has = np.bincount(inverse, weights=(ranks == r), minlength=cells)[used] > 0
        top = np.where(has & (top > r), r, top)
    late = np.bincount(inverse, weights=overdue.astype(np.float64), minlength=cells)[used]
    late = late.astype(np.int64)
    # one member of each: the last index falling in the cell (exact for a lone case)
    last = np.zeros(cells, np.int64)
    last[inverse] = np.arange(n, dtype=np.int64)
    first = last[used]
    return Clusters(x, y, count.astype(np.int64), top, late, first.astype(np.int64))


def marker_radius(count: npt.NDArray[np.int64], radius: float) -> Floats:
    """A marker's radius on screen: a lone case's, or a group's growing with its count."""
    grown = radius + 3 + 6 * np.log10(np.maximum(count, 1))
    return np.asarray(np.where(count > 1, grown, radius), np.float64)


def merge_touching(c: Clusters, radius: float, rounds: int = 32) -> Clusters:
    """Groups whose circles would touch (neighbouring cells' groups, each near their shared
    edge) merged into one, at their members' mean: no count is hidden under another marker.
    A sweep along x (pairs within two radii) and a few rounds of label spreading."""
    n = len(c)
    if n < 2:
        return c
    r = marker_radius(c.count, radius)
    order = np.argsort(c.x, kind="stable")
    xs = c.x[order]
    ends = np.searchsorted(xs, xs + 2 * float(r.max()), side="right")
    lengths = np.maximum(ends - np.arange(n) - 1, 0)
    a = np.repeat(np.arange(n), lengths)
    if not len(a):
        return c
    starts = np.cumsum(lengths) - lengths
    b = np.arange(len(a)) - np.repeat(starts, lengths) + a + 1
    a, b = order[a], order[b]
    touch = np.hypot(c.x[a] - c.x[b], c.y[a] - c.y[b]) < (r[a] + r[b]) * 0.9
    a, b = a[touch], b[touch]
    if not len(a):
        return c
    label = np.arange(n)
    for _ in range(rounds):
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(label, before):
            break
    _keys, group = np.unique(label, return_inverse=True)
    group = group.reshape(-1)
    k = int(group.max()) + 1
    w = c.count.astype(np.float64)
    count = np.bincount(group, weights=w, minlength=k)
    x = np.bincount(group, weights=c.x * w, minlength=k) / count
    y = np.bincount(group, weights=c.y * w, minlength=k) / count
    rank = np.full(k, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(rank, group, c.rank)
    late = np.bincount(group, weights=c.overdue.astype(np.float64), minlength=k)
    first = np.zeros(k, np.int64)
    first[group[np.argsort(c.count, kind="stable")]] = c.first[np.argsort(c.count, kind="stable")]
    return Clusters(x, y, count.astype(np.int64), rank, late.astype(np.int64), first)


def rings_of(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    """A GeoJSON Polygon's or MultiPolygon's rings (outer and holes), projected; [] for
    anything else (a township without boundaries still draws, as points)."""
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons: Sequence[Any]
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords or []
    else:
        return []
    rings: list[list[tuple[float, float]]] = []
    for polygon in polygons:
        for k, ring in enumerate(polygon or []):
            pts = [(float(p[0]), float(p[1])) for p in ring if len(p) >= 2]
            if len(pts) >= 3:
                xs, ys = mercator(np.array([p[0] for p in pts]), np.array([p[1] for p in pts]))
                projected = list(zip(xs.tolist(), ys.tolist(), strict=True))
                # outer rings anticlockwise, holes clockwise, whatever the file did: then a
                # hole stays a hole however the rings are filled together (many grids, one path)
                if (signed_area(projected) > 0) != (k == 0):
                    projected.reverse()
                rings.append(projected)
    return rings


def signed_area(ring: Sequence[tuple[float, float]]) -> float:
    """Positive when the ring runs anticlockwise (y up, as projected)."""
    x = np.array([p[0] for p in ring])
    y = np.array([p[1] for p in ring])
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def ring_contains(ring: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    """Whether a point is inside a ring (even-odd rule)."""
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = xs + (y - ys) * (x2 - xs) / (y2 - ys)
    return bool(np.count_nonzero(crosses & (x < at)) % 2)


def inside_point(ring: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """A point well inside a ring, for its name: the middle of the widest span of the line
    across the ring's middle height (a bounding box's centre can fall outside a crescent)."""
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    y = float((ys.min() + ys.max()) / 2)
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys > y) != (y2 > y)
    at = np.sort(xs[crosses] + (y - ys[crosses]) * (x2[crosses] - xs[crosses])
                 / (y2[crosses] - ys[crosses]))  # fmt: skip
    if len(at) < 2:
        return float(xs.mean()), float(ys.mean())
    spans = at[1::2][: len(at) // 2] - at[0::2][: len(at) // 2]
    k = int(np.argmax(spans))
    return float((at[2 * k] + at[2 * k + 1]) / 2), y


def label_ring(rings: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The outer ring a name goes in: the largest (a MultiPolygon's main part, not its first)."""
    outers = [r for r in rings if signed_area(r) > 0] or rings
    return max(outers, key=lambda r: abs(signed_area(r)))


def lines_of(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    """A GeoJSON line or polygon layer (roads, rivers, reservoirs) as projected polylines."""
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind in ("Polygon", "MultiPolygon"):
        return rings_of(geometry)
    parts = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else []
    out = []
    for part in parts:
        pts = [p for p in part if len(p) >= 2]
        if len(pts) >= 2:
            xs, ys = mercator(np.array([p[0] for p in pts]), np.array([p[1] for p in pts]))
            out.append(list(zip(xs.tolist(), ys.tolist(), strict=True)))
    return out


def zoom_level(metres_per_px: float) -> float:
    """The web map zoom level (0: the world in one 256-px tile) of a scale in projected
    metres per pixel."""
    return math.log2(2 * math.pi * EARTH_R / 256 / max(metres_per_px, 1e-9))


def ground_metres(projected: float, lat: float) -> float:
    """Projected metres as metres on the ground at a latitude (the scale bar's)."""
    return projected * math.cos(math.radians(lat))


def placer(township: Township) -> Callable[[Incident], tuple[float, float]]:
    """(lon, lat) of a case: its own position, else its grid's centre, else its village's (a
    hotline call names the village, not the spot); NaN when none is known."""
    grids = {g.code: (g.lon, g.lat) for g in township.grids.values()}
    villages = {v.code: (v.lon, v.lat) for v in township.villages.values()}
    nowhere = (math.nan, math.nan)

    def place(incident: Incident) -> tuple[float, float]:
        if incident.lat is not None and incident.lon is not None:
            return incident.lon, incident.lat
        if incident.grid is not None and incident.grid in grids:
            return grids[incident.grid]
        return villages.get(incident.village, nowhere)

    return place


TILE_PX = 256
WORLD = 2 * math.pi * EARTH_R
"""Web Mercator's width in projected metres: tile (z, x, y) is WORLD / 2**z on a side."""


def tile_box(z: int, x: int, y: int) -> Box:
    """An XYZ tile's extent in projected metres (y counts down from the north, as XYZ does;
    MBTiles stores TMS rows, counted up: row = 2**z - 1 - y)."""
    side = WORLD / 2**z
    x0 = -WORLD / 2 + x * side
    y1 = WORLD / 2 - y * side
    return Box(x0, y1 - side, x0 + side, y1)


def tiles_over(box: Box, z: int) -> list[tuple[int, int]]:
    """The (x, y) of the XYZ tiles at zoom z that cover a box."""
    side = WORLD / 2**z
    last = 2**z - 1
    x0 = max(0, int((box.x0 + WORLD / 2) // side))
    x1 = min(last, int((box.x1 + WORLD / 2) // side))
    y0 = max(0, int((WORLD / 2 - box.y1) // side))
    y1 = min(last, int((WORLD / 2 - box.y0) // side))
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def tile_shift(x: float, y: float, system: CoordinateSystem) -> tuple[float, float]:
    """Where a tile package in `system` draws the WGS-84 place at projected (x, y), less where
    it is: the shift to take off its tiles so that they lie under our data. Zero for WGS-84 and
    CGCS2000; about 500 m for GCJ-02 (高德, 腾讯) in eastern China, nearly constant across a
    township (the offset changes by centimetres a kilometre), so one shift at the view's centre
    aligns a whole screen."""
    if system in (CoordinateSystem.WGS84, CoordinateSystem.CGCS2000):
        return 0.0, 0.0
    lon, lat = unmercator(x, y)
    shifted_lat, shifted_lon = from_wgs84(float(lat), float(lon), system)
    sx, sy = mercator(shifted_lon, shifted_lat)
    return float(sx) - x, float(sy) - y


COMPASS = {"北": 0.0, "东北": 45.0, "东": 90.0, "东南": 135.0, "南": 180.0, "西南": 225.0,
           "西": 270.0, "西北": 315.0, "N": 0.0, "NNE": 22.5, "NE": 45.0, "ENE": 67.5, "E": 90.0,
           "ESE": 112.5, "SE": 135.0, "SSE": 157.5, "S": 180.0, "SSW": 202.5, "SW": 225.0,
           "WSW": 247.5, "W": 270.0, "WNW": 292.5, "NW": 315.0, "NNW": 337.5}  # fmt: skip
_AXES = {"北": 0.0, "东": 90.0, "南": 180.0, "西": 270.0}
_FROM_AXIS = re.compile(r"^([北东南西])偏([北东南西])(\d+(?:\.\d+)?)度?$")
"""北偏东30° (a surveyor's way): 30° from north towards east."""


def bearing_of(text: str) -> float | None:
    """Degrees clockwise from north, from what a camera register writes: 135, "135°", 东南,
    正东, 朝东南, 北偏东30°, SE, NNE; None if it is none of them (or over 360°)."""
    word = "".join(text.split()).upper().removeprefix("朝").removesuffix("方向")
    word = word.replace("°", "").removesuffix("向")
    if word.startswith("正") and word[1:] in _AXES:
        word = word[1:]
    if word in COMPASS:
        return COMPASS[word]
    if found := _FROM_AXIS.match(word):
        axis, towards, degrees = _AXES[found[1]], _AXES[found[2]], float(found[3])
        turn = ((towards - axis + 180) % 360) - 180  # +90 clockwise, -90 anticlockwise
        if abs(turn) != 90 or degrees > 90:
            return None
        return (axis + degrees * (1 if turn > 0 else -1)) % 360.0
    try:
        degrees = float(word.removesuffix("度"))
    except ValueError:
        return None
    return degrees % 360.0 if math.isfinite(degrees) and -360 <= degrees <= 360 else None
