"""The case panel's small map: where the chosen case is, in its grid, with the cases and the
cameras around it. The township map's own drawing, held still on the case (no panning: the
big map is for that), refreshed when the case changes and every few seconds while shown."""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from console.models.map_layers import MapLayers, Shading
from console.models.queue_order import QueueOrder
from console.widgets.township_map import TownshipMap
from domain.incident import Incident
from domain.map_geometry import mercator
from domain.township import Township

CASE_SCALE = 2.5
"""Projected metres a pixel: a grid's few hundred metres across a panel's width."""
REFRESH_MS = 3000


class CaseMap(TownshipMap):
    def __init__(self, order: QueueOrder, parent: QWidget | None = None) -> None:
        super().__init__(MapLayers(order), text_pt=8.0, parent=parent)
        self.shading = Shading.NONE
        self.setMinimumHeight(150)
        self.setMaximumHeight(190)
        self.incident: Incident | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_if_shown)
        self._timer.start()
        self.setVisible(False)

    def show_case(self, incident: Incident | None) -> None:
        """Centred on the case (hidden for a case with no place known)."""
        same = (
            incident is not None and self.incident is not None and (incident.id == self.incident.id)
        )
        self.incident = incident
        if incident is None:
            self.setVisible(False)
            return
        lon, lat = self.layers.order.place(incident)
        if not (math.isfinite(lon) and math.isfinite(lat)):  # nowhere known
            self.setVisible(False)
            return
        if not same:
            x, y = mercator(lon, lat)
            self.view.cx, self.view.cy = float(x), float(y)
            self.view.metres_per_px = CASE_SCALE
            self.choose(incident.id)
            self.refresh()
        self.setVisible(True)

    def set_township(self, township: Township) -> None:
        super().set_township(township)
        chosen, self.incident = self.incident, None  # placed again on the new territory
        if chosen is not None:
            self.show_case(chosen)

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    # held still: the big map pans and zooms
    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.ignore()
