"""How the township map looks: its colours, the shading's ramp and steps, and the sizes the
map draws by (console/widgets/township_map.py and map_territory.py read them)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPolygonF

from console.models.map_layers import Shading
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
UNGROUPED_BELOW = 1.2
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
LAYER_ORDER = (LayerKind.WATER, LayerKind.BUILDING, LayerKind.OTHER, LayerKind.RIVER,
               LayerKind.ROAD)  # fmt: skip
"""Drawn in this order: water under the rivers that feed it, roads (bridges) over both."""

RAMP_STEPS = 20
"""Shades a legend and the grids are drawn in (one path each: see TownshipMap._fills)."""
UNSHADED = QColor(40, 60, 80, 70)


def shade_step(value: float, low: float, high: float) -> int:
    """The step of the ramp a grid's value falls in (the legend's)."""
    share = (value - low) / (high - low or 1.0)
    return min(RAMP_STEPS - 1, max(0, round(share * (RAMP_STEPS - 1))))


def step_colour(step: int, shading: Shading) -> QColor:
    return ramp(step / (RAMP_STEPS - 1), shading)


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
