"""The indicator charts in pages: tabs at the desk, turning on a timer at the wall; and the
whole dashboard on a screen of its own when the wall has several screens.

The wall's key numbers never turn away (they sit above the pages); only the charts do, one page
every `rotate_s` seconds, so that a duty officer across the room sees each in turn.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from console import present
from console.widgets.indicator_charts import Chart, HistoryChart, make_charts
from domain.township import Township

ROTATE_S = 20.0
OFFLINE_LISTED = 8


class OfflineCameras(QLabel):
    """The cameras offline now, the longest down first, with how long."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("offlineCameras")
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWordWrap(True)
        self.setText(
            QCoreApplication.translate(
                "IndicatorPages", "Cameras offline: no console has reported yet"
            )
        )

    def show_cameras(self, health: dict[str, Any] | None, township: Township | None) -> None:
        if not health or township is None:
            return
        now = time.time()
        lines = [
            QCoreApplication.translate(
                "IndicatorPages", "Cameras online: %1 of %2 watched (%3 in all)"
            )
            .replace("%1", str(health["online"]))
            .replace("%2", str(health["watched"]))
            .replace("%3", str(health["total"]))
        ]
        for entry in health["offline"][:OFFLINE_LISTED]:
            camera = township.cameras.get(entry["camera"])
            minutes = max(0, int((now - entry["since"]) // 60))
            since = present.when(entry["since"], "%H:%M")
            lines.append(
                QCoreApplication.translate("IndicatorPages", "● %1 offline since %2 (%3 min)")
                .replace("%1", camera.name if camera else entry["camera"])
                .replace("%2", since)
                .replace("%3", str(minutes))
            )
        more = len(health["offline"]) - OFFLINE_LISTED
        if more > 0:
            lines.append(
                QCoreApplication.translate("IndicatorPages", "and %1 more").replace("%1", str(more))
            )
        text = "\n".join(lines)
        if self.text() != text:
            self.setText(text)


class ChartGrid(QWidget):
    """Charts in a grid that reflows with its shape: two columns where there is height, one
    row where the page is wide and short (the wall's main screen gives the pages a strip under
    the tiles, where two rows left each chart too short to name its bars)."""

    WIDE = 2.4
    """Width over height beyond which the charts stand side by side."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.widgets = widgets
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.columns = 0
        self._place(2)

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for w in self.widgets:
            self._grid.removeWidget(w)
        for k, w in enumerate(self.widgets):
            self._grid.addWidget(w, k // columns, k % columns)
        for k in range(len(self.widgets)):
            self._grid.setColumnStretch(k, 1 if k < columns else 0)
            self._grid.setRowStretch(k, 1 if k < -(-len(self.widgets) // columns) else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        wide = size.width() > self.WIDE * max(1, size.height())
        self._place(len(self.widgets) if wide else 2)
        super().resizeEvent(event)


class FigureSink:
    """What the pages and the dashboard screen share: charts fed the figures and the history."""

    charts: dict[str, Chart]
    offline: OfflineCameras

    def show_figures(self, figures: dict[str, Any], township: Township | None) -> None:
        for chart in self.charts.values():
            chart.show_figures(figures, township)
        self.offline.show_cameras(figures.get("cameras"), township)

    def show_history(self, body: dict[str, Any]) -> None:
        """A `metric.history` answer: loaded into the charts of its step."""
        for chart in self.charts.values():
            if isinstance(chart, HistoryChart) and chart.step_min * 60 == body["step"]:
                chart.load(body)

    def history_wanted(self) -> list[tuple[int, int]]:
        """(step in minutes, days) of each history this set of charts shows."""
        return sorted(
            {(c.step_min, int(c.days)) for c in self.charts.values() if isinstance(c, HistoryChart)}
        )


class IndicatorPages(QTabWidget, FigureSink):
    def __init__(
        self, live_page: QWidget, text_pt: int, rotate_s: float = 0.0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorPages")
        self.charts = make_charts(text_pt)
        c = self.charts
        self.offline = OfflineCameras()
        self.addTab(live_page, QCoreApplication.translate("IndicatorPages", "Live"))
        self.addTab(
            ChartGrid(c["today_vs_yesterday"], c["platform_per_hour"], c["overdue_by_stage"],
                  c["by_channel"]),
            QCoreApplication.translate("IndicatorPages", "Today"),
        )  # fmt: skip
        self.addTab(
            ChartGrid(c["on_time_by_department"], c["open_by_village"], c["on_time_by_platform"]),
            QCoreApplication.translate("IndicatorPages", "Accountability"),
        )
        trend = QWidget()
        column = QVBoxLayout(trend)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(c["open_overdue_24h"], 3)
        column.addWidget(c["reports_30d"], 3)
        column.addWidget(self.offline, 1)
        self.addTab(trend, QCoreApplication.translate("IndicatorPages", "Trend and cameras"))
        self.rotation = QTimer(self)
        self.rotation.timeout.connect(self.turn)
        if rotate_s > 0:
            self.rotation.start(int(rotate_s * 1000))

    def turn(self) -> None:
        self.setCurrentIndex((self.currentIndex() + 1) % self.count())


class DashboardScreen(QWidget, FigureSink):
    """Every chart at once, for a screen of the wall given over to the indicators."""

    def __init__(self, text_pt: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardScreen")
        self.charts = make_charts(text_pt)
        self.offline = OfflineCameras()
        title = QLabel(QCoreApplication.translate("IndicatorPages", "Key indicators"))
        title.setObjectName("panelTitle")
        grid = QGridLayout()
        shown: list[QWidget] = [*self.charts.values(), self.offline]
        for k, chart in enumerate(shown):
            grid.addWidget(chart, k // 4, k % 4)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid, 1)
