"""The township map's names: areas' label points, widths and names as arrays, so that which
names fit is one numpy pass a frame; and their drawing, clear of the cases' markers and of
each other."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from console.models.map_layers import Area
from console.widgets.map_style import UNGROUPED_BELOW
from domain.map_geometry import Box, Clusters, Viewport, marker_radius


class LabelTable:
    """Areas' label points, widths and names as arrays: which names fit is one numpy pass a
    frame, not 2,000 Python calls."""

    def __init__(self, areas: list[Area], font: QFont, bold: QFont) -> None:
        self.areas = areas
        self.names = [a.name for a in areas]
        self.x = np.array([a.label[0] for a in areas], np.float64)
        self.y = np.array([a.label[1] for a in areas], np.float64)
        self.span = np.array(
            [np.inf if a.box is None else a.box.x1 - a.box.x0 for a in areas], np.float64
        )
        self.bounded = np.array([a.box is not None for a in areas], bool)
        plain, heavy = QFontMetricsF(font), QFontMetricsF(bold)
        self.widths = np.array([plain.horizontalAdvance(n) for n in self.names], np.float64)
        self.bold_widths = np.array([heavy.horizontalAdvance(n) for n in self.names], np.float64)

    def inside(self, box: Box) -> npt.NDArray[np.bool_]:
        return box.contains(self.x, self.y)

    def where(
        self, box: Box, metres_per_px: float, room: float, bold: bool = False
    ) -> npt.NDArray[np.int64]:
        """The areas in view whose name fits inside them with `room` to spare; an area with
        no boundary is named at a street's scale."""
        widths = self.bold_widths if bold else self.widths
        fits = np.where(self.bounded, self.span / metres_per_px >= widths * room,
                        metres_per_px < UNGROUPED_BELOW * 4)  # fmt: skip
        return np.flatnonzero(self.inside(box) & fits).astype(np.int64)


def over_markers(
    groups: Clusters | None, sx: npt.NDArray[np.float64], sy: npt.NDArray[np.float64],
    widths: npt.NDArray[np.float64], height: float, radius: float,
) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Which names (centred at sx, sy) would lie over a case's marker as drawn now."""
    if groups is None or not len(groups) or not len(sx):
        return np.zeros(len(sx), bool)
    reach = marker_radius(groups.count, radius)
    dx = np.abs(groups.x[None, :] - sx[:, None]) - widths[:, None] / 2 - reach[None, :]
    dy = np.abs(groups.y[None, :] - sy[:, None]) - height / 2 - reach[None, :]
    return np.asarray(((dx < 0) & (dy < 0)).any(axis=1))


def draw_names(
    p: QPainter, view: Viewport, table: LabelTable, chosen: npt.NDArray[np.int64],
    bold: bool, colour: QColor, markers: Clusters | None, radius: float,
) -> None:  # fmt: skip
    """The chosen areas' names, each at its label point or, where a case's marker is, just
    above, below or beside it (the marker's count stays read and the name too); a name that
    would cover one already drawn, or that has markers all round, is left out (the larger
    areas come first; a case's count is never hidden under a name)."""
    metrics = p.fontMetrics()
    height, ascent = metrics.height(), metrics.ascent()
    widths = table.bold_widths if bold else table.widths
    order = chosen[np.argsort(-table.span[chosen], kind="stable")]
    sx, sy = view.to_screen(table.x[order], table.y[order])
    w = widths[order]
    shift = height / 2 + radius + 3
    side = w / 2 + radius + 5
    candidates = [(sx, sy), (sx, sy - shift), (sx, sy + shift), (sx + side, sy), (sx - side, sy)]
    free = [~over_markers(markers, x, y, w, height, radius) for x, y in candidates]
    back = QColor(8, 16, 24, 150)
    placed: list[QRectF] = []
    for k, n in enumerate(order.tolist()):
        places = zip(candidates, free, strict=True)
        at = next(((float(cx[k]), float(cy[k])) for (cx, cy), ok in places if ok[k]), None)
        if at is None:  # every place around taken by markers: the cases' counts come first
            continue
        x, y = at
        width = float(w[k])
        rect = QRectF(x - width / 2 - 3, y - height / 2, width + 6, height)
        if any(rect.intersects(r) for r in placed):
            continue
        placed.append(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(rect, 3, 3)
        p.setPen(colour)
        p.drawText(QPointF(x - width / 2, y + ascent / 2 - 1), table.names[n])
