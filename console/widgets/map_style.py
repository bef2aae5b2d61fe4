"""How the township map looks: its colours, the shading's ramp and steps, and the sizes the
map draws by (console/widgets/township_map.py and map_territory.py read them)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPolygonF

from console.models.map_layers import STREET_SCALE, Shading
from domain.incident import URGENCY_RANK, Urgency
from domain.map_features import LayerKind
from domain.map_geometry import Box

BASE_MARGIN_PX = 384
"""The territory is rendered this far beyond each edge: a pan within it is a copy, not a draw."""
MIN_BAND_PX = 12
"""A Shift+drag smaller than this is not an area (a 3×2 px one emptied the queue)."""
SETTLE_MS = 150
"""After the last zoom step, the territory is rendered sharp at the new scale."""
HEAT_CELL_PX = 8
HEAT_HOURS = 24
"""The heat layer's reports: the last day's (what a console holds of the closed ones)."""
CELL_PX = 46
"""Cases closer than this on screen are drawn as one group."""
UNGROUPED_BELOW = STREET_SCALE
MENU_CASES = 20
"""Stacked cases listed at most; the rest by filtering the queue to the place."""
"""Metres per pixel under which every case is its own marker (a street's scale)."""
BACKGROUND = QColor("#0f1a24")
CASE_COLOURS = {
    URGENCY_RANK[Urgency.VERY_URGENT]: QColor("#e04040"),
    URGENCY_RANK[Urgency.URGENT]: QColor("#f0a020"),
}
NORMAL_CASE = QColor("#4aa3ff")
CAMERA_COLOURS = {"online": QColor("#3ccf6e"), "offline": QColor("#e04040"),
                  "unknown": QColor("#8a96a3")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LayerStyle:
    line: QColor
    width: float
    fill: QColor | None = None


LAYER_STYLES = {
    LayerKind.WATER: LayerStyle(QColor(80, 150, 215, 200), 1.0, QColor(45, 110, 175, 170)),
    LayerKind.BUILDING: LayerStyle(QColor(120, 130, 140, 160), 1.0, QColor(90, 100, 112, 130)),
    LayerKind.OTHER: LayerStyle(QColor(140, 150, 160, 150), 1.0),
    LayerKind.RIVER: LayerStyle(QColor(70, 150, 225, 230), 2.6),
    LayerKind.ROAD: LayerStyle(QColor(205, 190, 150, 185), 1.8),
}
Offsets = tuple[tuple[float, float], ...]


def wide_offsets(width: float, ratio: float = 1.0) -> Offsets:
    """Where (in logical pixels) a one-device-pixel line is drawn again to look `width`
    logical pixels wide on a screen of `ratio` device pixels to one. Qt strokes a 1-px
    cosmetic pen itself and a wider one through its path stroker: 2,000 points of roads and
    rivers took 20 ms a render that way, and these passes a few."""
    n = max(1, round(width * ratio))
    return tuple(
        offset
        for k in range(1, n)
        for offset in ((k / ratio, 0.0), (0.0, k / ratio), (k / ratio, k / ratio))
    )


LAYER_ORDER = (LayerKind.WATER, LayerKind.BUILDING, LayerKind.OTHER, LayerKind.RIVER,
               LayerKind.ROAD)  # fmt: skip
"""Drawn in this order: water under the rivers that feed it, roads (bridges) over both."""

CLASSES = 5
"""Classes the grids are shaded in, each one colour the legend names with its range: read
at a glance from across the room, where a continuous ramp is not (one path each: see
TerritoryView._fills)."""
UNSHADED = QColor(40, 60, 80, 70)


def classes_of(shading: Shading, high: float) -> int:
    """Counts up to 3 have a class each (0, 1, 2, 3); more share CLASSES equal ranges."""
    if shading == Shading.OPEN:
        return max(2, min(CLASSES, int(high) + 1))
    return 2 if shading == Shading.UNPATROLLED else CLASSES


def shade_step(value: float, low: float, high: float, classes: int) -> int:
    """The class a grid's value falls in: equal ranges of low…high, the last one closed."""
    share = (value - low) / (high - low or 1.0)
    return min(classes - 1, max(0, math.floor(share * classes)))


def class_range(step: int, low: float, high: float, classes: int, share: bool) -> str:
    """A class's range as its legend says it: "3–4" for counts, "20–40%" for shares."""
    if share:
        return f"{round(100 * step / classes)}–{round(100 * (step + 1) / classes)}%"
    width = (high - low) / classes
    first = math.ceil(low + step * width - 1e-9)
    last = high if step == classes - 1 else math.ceil(low + (step + 1) * width - 1e-9) - 1
    return f"{first:.0f}" if last <= first else f"{first:.0f}–{last:.0f}"


def step_colour(step: int, classes: int, shading: Shading) -> QColor:
    return ramp(step / max(1, classes - 1), shading)


def ramp(value: float, shading: Shading) -> QColor:
    """Light to heavy: pale yellow to deep red for load and overdue; red to green for on time."""
    v = min(1.0, max(0.0, value))
    if shading == Shading.UNPATROLLED:  # not patrolled: red; patrolled: a quiet green
        return QColor(210, 60, 50, 170) if v >= 0.5 else QColor(60, 150, 90, 70)
    if shading == Shading.ON_TIME_RATE:
        colour = QColor.fromHsvF(0.33 * v, 0.75, 0.85)
    else:
        colour = QColor.fromHsvF(0.15 * (1 - v), 0.35 + 0.6 * v, 0.95 - 0.2 * v)
    colour.setAlpha(70 + int(110 * v))
    return colour


def path_of(rings: list[list[tuple[float, float]]], close: bool = True) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)  # holes stay holes
    for ring in rings:
        polygon = QPolygonF([QPointF(x, y) for x, y in ring])
        if close:
            path.addPolygon(polygon)
            path.closeSubpath()
        else:
            path.addPolygon(polygon)
    return path


def meets(a: Box, b: Box) -> bool:
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1


def inside(point: tuple[float, float], box: Box) -> bool:
    return box.x0 <= point[0] <= box.x1 and box.y0 <= point[1] <= box.y1
