"""The map with what a supervisor switches: the shading, the layers, the whole township, the
area the queue is filtered to. On the wall only the map, its legend and its status line."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.models.map_layers import MapLayers, Shading
from console.models.queue_order import QueueOrder
from console.widgets.map_tiles import TileLayer
from console.widgets.township_map import TownshipMap
from domain.township import Township

REFRESH_MS = 200
"""The cases' places again at most this often (the queue flushes up to 25 times a second)."""


HEAT_AGAIN_MS = 10 * 60_000
"""A longer period's heat is asked for again this often while shown."""


class MapPanel(QWidget):
    heat_asked = Signal(float, float, object)  # start, end, category or None: the backend's

    def __init__(
        self, order: QueueOrder, wall: bool = False, text_pt: float = 9.0,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.map = TownshipMap(MapLayers(order), text_pt=text_pt)
        self.shading = QComboBox()
        for text, value in (
            (self.tr("Shade grids by open cases"), Shading.OPEN),
            (self.tr("Shade grids by overdue share"), Shading.OVERDUE_SHARE),
            (self.tr("Shade grids by on-time rate"), Shading.ON_TIME_RATE),
            (self.tr("Grids not patrolled today"), Shading.UNPATROLLED),
            (self.tr("No shading"), Shading.NONE),
        ):
            self.shading.addItem(text, value)
        self.shading.currentIndexChanged.connect(
            lambda _i: self.map.set_shading(Shading(self.shading.currentData()))
        )
        self.cases = QCheckBox(self.tr("Cases"))
        self.cameras = QCheckBox(self.tr("Cameras"))
        self.tracks = QCheckBox(self.tr("Patrol tracks"))
        self.own_layers = QCheckBox(self.tr("Roads and water"))
        self.own_layers.setToolTip(self.tr("The township's own map layers, from its files"))
        switches = ((self.cases, "show_cases"), (self.cameras, "show_cameras"),
                    (self.tracks, "show_tracks"), (self.own_layers, "show_layers"))  # fmt: skip
        for box, attr in switches:
            box.setChecked(True)
            box.toggled.connect(lambda on, a=attr: self._show(a, on))
        self.heat = QComboBox()
        self.heat.addItem(self.tr("No heat layer"), None)
        self.heat.addItem(self.tr("Heat: all reports"), "")
        self.heat.currentIndexChanged.connect(self._heat_chosen)
        self.heat_days = QComboBox()
        for days, text in (
            (1, self.tr("the last day")),
            (7, self.tr("the last 7 days")),
            (30, self.tr("the last 30 days")),
            (90, self.tr("the last 90 days")),
        ):
            self.heat_days.addItem(text, days)  # fmt: skip
        self.heat_days.setEnabled(False)
        self.heat_days.currentIndexChanged.connect(self._heat_chosen)
        self.whole = QPushButton(self.tr("Whole township"))
        self.whole.clicked.connect(self.map.fit)
        self.clear_area = QPushButton(self.tr("Clear the area"))
        self.clear_area.setToolTip(self.tr("Shift+drag on the map: filter the queue to an area"))
        self.clear_area.clicked.connect(lambda: self.map.set_area(None))
        self.clear_area.setEnabled(False)
        self.map.area_chosen.connect(lambda area: self.clear_area.setEnabled(area is not None))
        self.status = QLabel()
        self.status.setObjectName("mapStatus")
        tools = QWidget()
        row = QHBoxLayout(tools)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.shading, self.cases, self.cameras, self.tracks, self.own_layers,
                  self.heat, self.heat_days, self.whole, self.clear_area):  # fmt: skip
            row.addWidget(w)
        row.addStretch(1)
        tools.setVisible(not wall)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(tools)
        layout.addWidget(self.map, 1)
        layout.addWidget(self.status)
        if wall:
            font = self.status.font()
            font.setPointSizeF(text_pt)
            self.status.setFont(font)
        self._start_timers()

    def _start_timers(self) -> None:
        self.heat_note = ""
        """What the heat layer shows over a longer period, or that it is being asked for."""
        self._heat_asked: tuple[float, float, str | None] | None = None
        self._heat_at: float | None = None
        """When the longer period's heat shown was asked for (its age is said)."""
        self._heat_again = QTimer(self)
        self._heat_again.setInterval(HEAT_AGAIN_MS)
        self._heat_again.timeout.connect(self._ask_heat)
        self._stale = False
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._refresh_now)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._say)
        self._clock.start()

    def _heat_chosen(self, _index: int) -> None:
        """The last day's from what this console holds; a longer period asked of the backend
        (`heat_asked`; the answer comes to `show_heat`)."""
        chosen = self.heat.currentData()
        days = int(self.heat_days.currentData())
        self.heat_days.setEnabled(chosen is not None)
        self.heat_note, self._heat_asked, self._heat_at = "", None, None
        self._heat_again.stop()
        if chosen is None or days == 1:
            self.map.set_heat(chosen or None, on=chosen is not None)
        else:
            self.map.set_heat(None, on=False)
            self.heat_note = self.tr("heat: asking for %1").replace(
                "%1", self.heat_days.currentText()
            )
            self._ask_heat()
            self._heat_again.start()
        self._say()

    def _ask_heat(self) -> None:
        """The chosen period up to now (again every HEAT_AGAIN_MS: new reports come)."""
        chosen, days = self.heat.currentData(), int(self.heat_days.currentData())
        end = time.time()
        self._heat_asked = (end - days * 86_400, end, chosen or None)
        self.heat_asked.emit(*self._heat_asked)

    def show_heat(self, answer: dict[str, Any]) -> None:
        """The backend's cells for the period and category chosen (if still chosen)."""
        asked = self._heat_asked
        said = (answer.get("start"), answer.get("end"), answer.get("category"))
        if asked is None or said != asked:  # an answer to an earlier choice: not this one
            return
        self._heat_at = asked[1]
        cells = [c for c in answer.get("cells") or [] if isinstance(c, list) and len(c) == 3]
        self.map.set_heat_cells(cells)
        self.heat_note = self.tr("heat: %n report(s), %1", "", int(answer.get("reports") or 0))
        self.heat_note = self.heat_note.replace("%1", self.heat_days.currentText())
        self._say()

    def heat_refused(self, detail: str) -> None:
        if self._heat_asked is None:  # switched off or to the last day since: nothing to say
            return
        self.heat_note = self.tr("heat not available: %1").replace("%1", detail)
        self._say()

    def _show(self, attr: str, on: bool) -> None:
        setattr(self.map, attr, on)
        self.map._render_base_again()  # tracks are in the rendered layer

    def set_township(self, township: Township) -> None:
        self.map.set_township(township)
        self.own_layers.setVisible(bool(township.layers))
        self.heat.blockSignals(True)
        while self.heat.count() > 2:
            self.heat.removeItem(2)
        for category in township.categories.values():
            self.heat.addItem(self.tr("Heat: %1").replace("%1", category.name), category.code)
        self.heat.blockSignals(False)
        self._stale = True
        self._refresh_now()

    def refresh(self) -> None:
        """The queue flushed: the map follows at most five times a second, and a hidden map
        (a tab behind another) when it is shown again."""
        if not self._refresh.isActive():
            self._refresh.start()

    def _refresh_now(self) -> None:
        if not self.map.isVisible():
            self._stale = True
            return
        self._stale = False
        self.map.refresh()
        self._say()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_now()

    def use_tiles(self, tiles: TileLayer) -> None:
        self.map.set_tiles(tiles)
        self._say()

    def set_indicators(self, figures: dict[str, Any]) -> None:
        self.map.set_indicators(figures)
        self._say()

    def _say(self) -> None:
        """How many cases are drawn, how many have no place, how old the grid figures are."""
        layers = self.map.layers
        cases = len(layers.cases.x) - layers.cases.far
        parts = [self.tr("%n open case(s) on the map", "", cases)]
        if layers.cases.far:
            parts.append(self.tr("%n placed outside the township", "", layers.cases.far))
        if layers.cases.unplaced:
            parts.append(self.tr("%n without a place", "", layers.cases.unplaced))
        if layers.figures_at is None:
            parts.append(self.tr("grid figures not yet received"))
        else:
            age = max(0, int(time.time() - float(layers.figures_at)))
            if age >= 15:
                parts.append(self.tr("grid figures %1 s old").replace("%1", str(age)))
        if self.map.tiles is not None:
            info = self.map.tiles.package.info
            parts.append(self.tr("base map %1 (%2)").replace("%1", info.name)
                         .replace("%2", info.system.value))  # fmt: skip
            if why := getattr(self.map.tiles.package, "last_error", ""):
                words = {"refused": self.tr("connection refused"),
                         "timed out": self.tr("timed out"),
                         "unreachable": self.tr("unreachable"),
                         "not an image": self.tr("its answers are not pictures"),
                         "too big": self.tr("its answers are too big")}  # fmt: skip
                parts.append(self.tr("base map server failing (%1): only the tiles kept before")
                             .replace("%1", words.get(why, why)))  # fmt: skip
        if self.heat_note:
            age = 0 if self._heat_at is None else int(time.time() - self._heat_at) // 60
            parts.append(self.heat_note if age < 2 else self.tr("%1 (%2 min ago)").replace(
                "%1", self.heat_note).replace("%2", str(age)))  # fmt: skip
        self.status.setText(" · ".join(parts))
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft)
