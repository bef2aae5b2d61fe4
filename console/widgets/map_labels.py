"""The township map's names: areas' label points, widths and names as arrays, so that which
names fit is one numpy pass a frame."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QFont, QFontMetricsF

from console.models.map_layers import Area
from console.widgets.map_style import UNGROUPED_BELOW
from domain.map_geometry import Box


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
