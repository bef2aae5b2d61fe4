"""一张图: the township on one live map, drawn from its own geography, offline.

Grids shaded by the backend's figures per grid, villages outlined, the township's own layers
(roads, rivers) when it has them, cameras by state, and the open cases as markers coloured by
urgency with a red ring when overdue, grouped when zoomed out. Everything is painted in one
`paintEvent` from numpy arrays (no scene items: 100,000 cases would be 100,000 objects); the
cases come from the queue's own columns when it flushes. Wheel: zoom; drag: pan; click a case:
chosen; click a group: closer; Shift+drag: an area, which the queue is then filtered to.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QMenu, QWidget

from console.models.map_layers import Area, MapLayers, Shading
from console.widgets.map_labels import LabelTable, draw_names
from console.widgets.map_markers import CaseMarkers
from console.widgets.map_marks import draw_cameras, draw_heat
from console.widgets.map_stack import offer_stack
from console.widgets.map_style import (
    BACKGROUND,
    CELL_PX,
    HEAT_HOURS,
    MIN_BAND_PX,
    UNGROUPED_BELOW,
)
from console.widgets.map_territory import TerritoryView
from domain.incident import Incident
from domain.map_geometry import (
    Box,
    Clusters,
    cluster,
    marker_radius,
    mercator,
    merge_touching,
)
from domain.township import Township


class TownshipMap(TerritoryView):
    incident_chosen = Signal(str)
    camera_chosen = Signal(str)
    area_chosen = Signal(object)  # (west, south, east, north) or None
    painted = Signal(float)  # the frame's milliseconds (bench/map.py)

    def __init__(self, layers: MapLayers, text_pt: float = 9.0, parent: QWidget | None = None):
        super().__init__(layers, parent)
        self.show_cases = self.show_cameras = self.show_labels = True
        self.heat: tuple[str | None] | None = None
        """(category or None for all): the heat layer shown; None: none."""
        self._heat_cells: tuple[npt.NDArray[np.float64], ...] | None = None
        """The backend's heat over a longer period (x, y, reports), when one was asked."""
        self.selected: str | None = None
        self.pulsing: str | None = None
        self._pulse_at: tuple[float, float] | None = None
        self.area: Box | None = None
        self.clusters: Clusters | None = None
        """The markers as last drawn (screen pixels): what a click is matched against."""
        self._cluster_key: tuple[Any, ...] | None = None
        self._markers: CaseMarkers | None = None
        self._labels: dict[int, LabelTable] = {}
        self._press: QPointF | None = None
        self.stack_menu: QMenu | None = None
        """The list of stacked cases last offered (tests choose from it)."""
        self._dragged = False
        self._band: QRectF | None = None
        self._fitted = False
        self._font = QFont(self.font())
        self._font.setPointSizeF(text_pt)
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._start_animations()
        self.setMinimumSize(240, 180)
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setObjectName("townshipMap")

    def _start_animations(self) -> None:
        self._pulse_phase = 0.0
        self._pulse = QTimer(self)
        self._pulse.setInterval(60)
        self._pulse.timeout.connect(self._on_pulse)
        self._flight = QVariantAnimation(self)
        self._flight.setDuration(900)
        self._flight.setStartValue(0.0)
        self._flight.setEndValue(1.0)
        self._flight.valueChanged.connect(self._on_flight)
        self._flight_from: tuple[float, float, float] = (0.0, 0.0, 1.0)
        self._flight_to: tuple[float, float, float] = (0.0, 0.0, 1.0)

    # --- fed by the window ----------------------------------------------------------------

    def set_township(self, township: Township) -> None:
        self.take_territory(township)
        self._fitted = False
        self.fit()

    def refresh(self) -> None:
        """The queue flushed: the cases' places again (coalesced by the queue's own timer)."""
        self.layers.refresh()
        self._cluster_key = None
        self.update()

    def set_indicators(self, figures: dict[str, Any]) -> None:
        self.layers.set_indicators(figures)
        self.update()

    def set_shading(self, shading: Shading) -> None:
        self.shading = shading
        self.update()

    def fit(self) -> None:
        """The whole township in view, clear of the legend in the bottom left corner (on a
        narrow map, above it)."""
        bounds, v = self.layers.bounds, self.view
        if bounds is not None:
            v.width, v.height = max(1, self.width()), max(1, self.height())
            v.fit(bounds)
            legend_h = 3 * QFontMetricsF(self._font).height() + 28
            legend_w = self._legend_right or 300.0
            left, _top = v.to_screen(bounds.x0, bounds.y1)
            _right, bottom = v.to_screen(bounds.x1, bounds.y0)
            if self.shading != Shading.NONE and left < legend_w and bottom > v.height - legend_h:
                v.height = max(1, v.height - round(legend_h))
                v.fit(bounds)
                v.height = max(1, self.height())
                v.cy -= legend_h / 2 * v.metres_per_px  # the township above the legend
            self._fitted = self.isVisible() or self.width() > 1
        self._cluster_key = None
        self.update()

    def choose(self, incident_id: str | None) -> None:
        """The case chosen elsewhere (the queue): ringed here."""
        self.selected = incident_id
        self.update()

    def fly_to(self, incident: Incident, pulse: bool = True) -> bool:
        """Bring a case into the middle, closer, and pulse it until acknowledged; False if it
        has no place on the map. Placed from the case itself: the queue may not have it yet."""
        lon, lat = self.layers.order.place(incident)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return False
        x, y = mercator(lon, lat)
        place = (float(x), float(y))
        v = self.view
        self._flight.stop()
        self._flight_from = (v.cx, v.cy, v.metres_per_px)
        self._flight_to = (place[0], place[1], min(v.metres_per_px, 3.0))
        self._flight.start()
        if pulse:
            self.pulsing, self._pulse_at = incident.id, place
            self._pulse.start()
        return True

    def acknowledge(self) -> None:
        """The urgent case seen: the pulse stops and the map goes back to the township (a wall
        left on one street showed one case of forty)."""
        was = self.pulsing is not None
        self.pulsing, self._pulse_at = None, None
        self._pulse.stop()
        if was:
            self.fit()
        self.update()

    def set_area(self, area: Box | None) -> None:
        """An area chosen (or cleared) here: the queue is told."""
        self.show_area(area)
        self.area_chosen.emit(None if area is None else area.lonlat())

    def show_area(self, area: Box | None) -> None:
        self.area = area
        self.update()

    # --- drawing ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.view.width, self.view.height = max(1, self.width()), max(1, self.height())
        if not self._fitted:
            self.fit()
        self._cluster_key = None
        super().resizeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        started = time.perf_counter()
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        visible = self.view.visible(margin_px=20)
        self._draw_base(p)
        if self.heat is not None or self._heat_cells is not None:
            self._draw_heat(p)
        if self.show_cameras:
            self._draw_cameras(p)
        if self.show_cases:
            self._draw_cases(p)
        if self.show_labels:  # over the markers: a name half hidden read as another name
            self._draw_labels(p, visible)
        self._draw_marks(p)
        self._draw_legend(p)
        self._draw_scale(p)
        p.end()
        self.painted.emit((time.perf_counter() - started) * 1000)

    def set_heat(self, category: str | None, on: bool = True) -> None:
        """A heat layer of the last day's reports, of one category or all (None); off."""
        self.heat = (category,) if on else None
        self._heat_cells = None
        self.update()

    def set_heat_cells(self, cells: list[list[float]]) -> None:
        """The backend's heat over a longer period: [lon, lat, reports] per cell."""
        lon = np.array([c[0] for c in cells], np.float64)
        lat = np.array([c[1] for c in cells], np.float64)
        x, y = mercator(lon, lat)
        self._heat_cells = (x, y, np.array([c[2] for c in cells], np.float64))
        self.update()

    def _draw_heat(self, p: QPainter) -> None:
        if self._heat_cells is not None:
            draw_heat(p, self.view, *self._heat_cells)
        elif self.heat is not None:
            x, y = self.layers.heat_points(self.heat[0], time.time() - HEAT_HOURS * 3600)
            draw_heat(p, self.view, x, y)

    def _draw_labels(self, p: QPainter, visible: Box) -> None:
        """Grid names where each fits inside its grid as drawn now; village names otherwise
        (the whole township in view): never a heap of overlapping names."""
        grids = self._label_table(self.layers.grids)
        villages = self._label_table(self.layers.villages)
        fitting = grids.where(visible, self.view.metres_per_px, 1.6)
        shown = int(grids.inside(visible).sum())
        if shown and len(fitting) * 2 >= shown:
            p.setFont(self._font)
            table, chosen, bold, colour = grids, fitting, False, QColor("#d6e4f0")
        else:
            p.setFont(self._bold)
            chosen = villages.where(visible, self.view.metres_per_px, 1.1, bold=True)
            table, bold, colour = villages, True, QColor("#eef5fb")
        markers = self.clusters if self.show_cases else None
        draw_names(p, self.view, table, chosen, bold, colour, markers, self.marker_px())

    def _label_table(self, areas: list[Area]) -> LabelTable:
        table = self._labels.get(id(areas))
        if table is None or table.areas is not areas:
            table = self._labels[id(areas)] = LabelTable(areas, self._font, self._bold)
        return table

    def _draw_cameras(self, p: QPainter) -> None:
        draw_cameras(p, self.view, self.layers, max(5.0, self._font.pointSizeF() * 0.6))

    def groups(self) -> Clusters:
        """The cases as markers at this view (kept until the view or the cases change)."""
        v = self.view
        cases = self.layers.cases
        now = time.time()
        key = (v.cx, v.cy, v.metres_per_px, v.width, v.height, len(cases.x), int(now))
        if self._cluster_key == key and self.clusters is not None:
            return self.clusters
        sx, sy = v.to_screen(cases.x, cases.y)
        cell_px = max(CELL_PX, self._font.pointSizeF() * 4.5)  # the wall's larger markers
        keep = np.flatnonzero(
            (sx > -cell_px) & (sx < v.width + cell_px) & (sy > -cell_px) & (sy < v.height + cell_px)
        )
        cell = 0.0 if v.metres_per_px < UNGROUPED_BELOW else cell_px
        found = cluster(sx[keep], sy[keep], cases.rank[keep], cases.overdue(now)[keep], cell)
        if cell:  # neighbouring cells' groups near their shared edge: one marker, not two
            found = merge_touching(found, self.marker_px())
        # `first` indexes the cases kept; make it index the layer's arrays
        self.clusters = Clusters(found.x, found.y, found.count, found.rank, found.overdue,
                                 keep[found.first] if len(keep) else found.first)  # fmt: skip
        self._cluster_key = key
        return self.clusters

    def marker_px(self) -> float:
        """A lone case's marker radius (groups grow from it: map_geometry.marker_radius)."""
        return max(5.0, self._font.pointSizeF() * 0.7)

    def _draw_cases(self, p: QPainter) -> None:
        ratio = self.devicePixelRatioF()
        if self._markers is None or self._markers.ratio != ratio:
            self._markers = CaseMarkers(self._bold, ratio)
        self._markers.draw(p, self.groups(), self.marker_px())

    def _draw_marks(self, p: QPainter) -> None:
        selected = None if self.selected is None else self.layers.place_of(self.selected)
        for place, colour, grow in (
            (selected, QColor("#ffffff"), 0.0),
            (self._pulse_at, QColor("#ff3030"), self._pulse_phase),
        ):
            if place is None:
                continue
            sx, sy = self.view.to_screen(place[0], place[1])
            r = 12 + 18 * grow
            pen = QPen(colour, 3.0)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(sx, sy), r, r)
        if self.area is not None:
            x0, y0 = self.view.to_screen(self.area.x0, self.area.y1)
            x1, y1 = self.view.to_screen(self.area.x1, self.area.y0)
            pen = QPen(QColor("#ffd24a"), 2.0, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(QColor(255, 210, 74, 30))
            p.drawRect(QRectF(QPointF(x0, y0), QPointF(x1, y1)))
        if self._band is not None:
            p.setPen(QPen(QColor("#ffd24a"), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QColor(255, 210, 74, 40))
            p.drawRect(self._band)

    # --- the mouse and the keys ------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            pos = event.position()
            self.view.zoom_at(pos.x(), pos.y(), 1.25**steps)
            self._cluster_key = None
            self.update()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        pos = event.position()
        delta = pos - self._press
        if not self._dragged and abs(delta.x()) + abs(delta.y()) < 4:
            return
        self._dragged = True
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._band = QRectF(self._press, pos).normalized()
        else:
            self.view.pan(delta.x(), delta.y())
            self._press = pos
            self._cluster_key = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        pos = event.position()
        if self._band is not None and min(self._band.width(), self._band.height()) < MIN_BAND_PX:
            self._band = None  # a slip of the hand, not an area: nothing filtered
        elif self._band is not None:
            band, self._band = self._band, None
            (x0, y0), (x1, y1) = (self.view.to_world(band.left(), band.bottom()),
                                  self.view.to_world(band.right(), band.top()))  # fmt: skip
            self.set_area(Box(x0, y0, x1, y1))
        elif not self._dragged:
            self.click(pos.x(), pos.y())
        self._press = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self.view.zoom_at(pos.x(), pos.y(), 2.0)
        self._cluster_key = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.area is not None:
            self.set_area(None)
        elif event.key() == Qt.Key.Key_Home:
            self.fit()
        else:
            super().keyPressEvent(event)

    def click(self, x: float, y: float) -> None:
        """A case: chosen; a group: closer, around it; a camera: chosen."""
        groups = self.groups() if self.show_cases else None  # as drawn now, never stale
        if groups is not None and len(groups) and self.show_cases:
            d = np.hypot(groups.x - x, groups.y - y)
            k = int(np.argmin(d))
            reach = max(10.0, float(marker_radius(groups.count[k : k + 1], self.marker_px())[0]))
            if d[k] <= reach:
                stacked = self.layers.stacked_at(self.view, float(groups.x[k]),
                                                 float(groups.y[k]), reach)  # fmt: skip
                if len(stacked) > 1:
                    self.stack_menu = offer_stack(self, stacked, QPointF(x, y))
                elif groups.count[k] == 1:
                    slot = int(self.layers.cases.slots[groups.first[k]])
                    incident = self.layers.order.ids[slot]
                    self.choose(incident)
                    self.incident_chosen.emit(incident)
                else:
                    self.view.zoom_at(float(groups.x[k]), float(groups.y[k]), 2.5)
                    self._cluster_key = None
                    self.update()
                return
        for cam in self.layers.cameras:
            sx, sy = self.view.to_screen(cam.x, cam.y)
            if math.hypot(sx - x, sy - y) <= 10:
                self.camera_chosen.emit(cam.code)
                return

    # --- animation -------------------------------------------------------------------------

    def _on_flight(self, value: Any) -> None:
        t = float(value)
        t = t * t * (3 - 2 * t)  # ease in and out
        (x0, y0, m0), (x1, y1, m1) = self._flight_from, self._flight_to
        self.view.cx, self.view.cy = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        self.view.metres_per_px = math.exp(math.log(m0) + (math.log(m1) - math.log(m0)) * t)
        self._cluster_key = None
        self.update()

    def _on_pulse(self) -> None:
        self._pulse_phase = (self._pulse_phase + 0.06) % 1.0
        self.update()
