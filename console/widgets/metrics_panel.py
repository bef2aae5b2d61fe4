"""Key indicators and live charts (pyqtgraph), repainted at most once a second.

In this skeleton the figures are counted from the incidents the console holds; the backend's
incremental indicators replace them with the indicators issue.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.link import LinkState
from console.models.incident_book import IncidentBook
from console.widgets.stale_banner import StaleBanner
from domain.incident import IncidentState, Urgency
from domain.township import Township

MINUTES = 60
AWAITING_TRIAGE = (IncidentState.REPORTED, IncidentState.PASSED_UP)


class KpiTile(QFrame):
    """A big number with its name underneath."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel(name)
        self.name.setObjectName("kpiName")
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.value)
        layout.addWidget(self.name)

    def set_value(self, value: int | str) -> None:
        text = str(value)
        if self.value.text() != text:
            self.value.setText(text)


class MetricsPanel(QWidget):
    def __init__(
        self, book: IncidentBook, text_pt: int = 10, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.book = book
        self._text_pt = text_pt
        self.township: Township | None = None
        self._dirty = True
        self.title = QLabel(self.tr("Key indicators"))
        self.title.setObjectName("panelTitle")
        self.banner = StaleBanner(self.tr("These figures may be out of date: %1"))
        self.reports_today = KpiTile(self.tr("Reports today"))
        self.urgent_today = KpiTile(self.tr("Urgent today"))
        self.awaiting = KpiTile(self.tr("Awaiting triage"))
        self.grids = KpiTile(self.tr("Grids"))
        self.cameras = KpiTile(self.tr("Cameras"))
        self.kpi_tiles = (
            self.reports_today,
            self.urgent_today,
            self.awaiting,
            self.grids,
            self.cameras,
        )
        kpis = QGridLayout()
        for i, tile in enumerate(self.kpi_tiles):
            kpis.addWidget(tile, 0, i)

        self.per_minute = self._plot(self.tr("Reports per minute, last hour"))
        self.per_minute.setMouseEnabled(x=False, y=False)
        self.per_minute.setMenuEnabled(False)
        self.per_minute.setLabel("bottom", self.tr("minutes ago"))
        self.per_minute.showGrid(y=True, alpha=0.3)
        # Bin edges: minute k ago spans [-k-1, -k]; drawn as steps so each minute is a bar.
        self._minute_x = np.arange(-MINUTES, 1, dtype=float)
        self._minute_curve = self.per_minute.plot(
            self._minute_x,
            np.zeros(MINUTES),
            stepMode="center",
            pen=pg.mkPen("#4aa3ff", width=2),
            fillLevel=0,
            brush=(74, 163, 255, 90),
        )

        self.by_platform = self._plot(self.tr("Reports today by platform"))
        self.by_platform.setMouseEnabled(x=False, y=False)
        self.by_platform.setMenuEnabled(False)
        self.by_platform.showGrid(y=True, alpha=0.3)
        self._bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush="#2fbf4f")
        self.by_platform.addItem(self._bars)

        charts = QHBoxLayout()
        charts.addWidget(self.per_minute, 3)
        charts.addWidget(self.by_platform, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(kpis)
        layout.addLayout(charts, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start()

    def _plot(self, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setTitle(title, size=f"{self._text_pt}pt")
        font = QFont()
        font.setPointSize(max(8, self._text_pt - 3))
        for side in ("bottom", "left"):
            plot.getAxis(side).setStyle(tickFont=font)
            plot.getAxis(side).label.setFont(font)
        return plot

    def set_township(self, township: Township) -> None:
        self.township = township
        self.grids.set_value(len(township.grids))
        self.cameras.set_value(len(township.cameras))
        names = [(i, p.name) for i, p in enumerate(township.platforms)]
        self.by_platform.getAxis("bottom").setTicks([names])
        self.mark_dirty()

    def show_link_state(self, state: LinkState, age: float) -> None:
        """Grey the numbers and say why whenever they may not be current."""
        self.banner.show_link_state(state, age)
        for tile in self.kpi_tiles:
            tile.value.setEnabled(state == LinkState.LIVE)

    def mark_dirty(self) -> None:
        """Cheap: called per batch; the repaint waits for the next tick."""
        self._dirty = True

    def _on_tick(self) -> None:
        # The per-minute chart scrolls with the clock, so it is refreshed every tick.
        self.refresh()

    def refresh(self) -> None:
        now = time.time()
        start_of_day = time.mktime((*time.localtime(now)[:3], 0, 0, 0, 0, 0, -1))
        incidents = self.book.all()
        today = [i for i in incidents if i.received_at >= start_of_day]
        self.reports_today.set_value(len(today))
        self.urgent_today.set_value(sum(1 for i in today if i.urgency != Urgency.NORMAL))
        self.awaiting.set_value(sum(1 for i in incidents if i.state in AWAITING_TRIAGE))
        per_minute = np.zeros(MINUTES)
        for i in incidents:
            age = int((now - i.received_at) // 60)
            if 0 <= age < MINUTES:
                per_minute[MINUTES - 1 - age] += 1
        self._minute_curve.setData(self._minute_x, per_minute)
        if self.township is not None and self._dirty:
            platforms = [p.code for p in self.township.platforms]
            counts = np.zeros(len(platforms))
            for i in today:
                category = self.township.categories.get(i.category)
                if category is not None:
                    counts[
                        platforms.index(category.platform_by_set[self.township.platform_set])
                    ] += 1
            self._bars.setOpts(x=np.arange(len(platforms)), height=counts, width=0.6)
        self._dirty = False
