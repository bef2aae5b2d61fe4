"""Key indicators and live charts (pyqtgraph), repainted at most once a second.

The figures are counted with numpy over the queue's columns (under 1 ms for 100,000 incidents;
a Python pass over the incidents cost 10-100 ms each second). The charts set their own ranges
and are given new data only when it changed: with auto-range each change painted every plot
twice, 5-20 ms a time, in the same second as a burst of updates.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.link_state import LinkState
from console.models.queue_order import STATE_RANK, QueueOrder
from console.widgets.indicator_charts import LEVEL_COLOURS, headroom, level_of
from console.widgets.indicator_pages import IndicatorPages
from console.widgets.stale_banner import StaleBanner
from domain.incident import URGENCY_RANK, IncidentState, Urgency
from domain.resources import load_json
from domain.township import Township

MINUTES = 60
BURST_UPDATES_PER_S = 500
BURST_CHART_PERIOD_S = 5.0
AWAITING_TRIAGE = [STATE_RANK[IncidentState.REPORTED], STATE_RANK[IncidentState.PASSED_UP]]


class KpiTile(QFrame):
    """A big number with its name underneath. A figure too wide for its tile is drawn smaller
    (never cut, never widening the panel past the screen's edge)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.value.setMinimumWidth(60)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel(name)
        self.name.setObjectName("kpiName")
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.value)
        layout.addWidget(self.name)
        self._level = ""
        self._base_pt = 0.0  # the theme's size, read once the style sheet has applied
        self._name_pt = 0.0
        self.value_pt = 0.0
        """The size the figure is drawn at: the theme's, or less when it does not fit."""

    def set_value(self, value: int | str, level: str = "") -> None:
        """`level`: good, warn or bad (green, amber, red), or "" for no judgement."""
        text = str(value)
        if self.value.text() != text:
            self.value.setText(text)
            self._fit()
        if self._level != level:
            self._level = level
            self.setProperty("level", level)
            self._restyle()

    def set_name(self, name: str) -> None:
        if self.name.text() != name:
            self.name.setText(name)
            self._fit_name()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        self._fit_name()

    def _fit_name(self) -> None:
        """The name too, smaller rather than cut ("ettled in the village, toda" in English, a
        long Chinese name on a narrow wall tile)."""
        if not self._name_pt:
            self.name.ensurePolished()
            self._name_pt = self.name.font().pointSizeF()
        font = QFont(self.name.font())
        font.setPointSizeF(self._name_pt)
        need = QFontMetrics(font).horizontalAdvance(self.name.text()) + 6
        have = self.name.width()
        pt = self._name_pt if need <= have else max(7.0, self._name_pt * have / need)
        self.name.setStyleSheet("" if pt == self._name_pt else f"font-size: {pt:.1f}pt;")

    def _fit(self) -> None:
        if not self._base_pt:
            self.value.ensurePolished()
            self._base_pt = self.value.font().pointSizeF()
        font = QFont(self.value.font())
        font.setPointSizeF(self._base_pt)
        need = QFontMetrics(font).horizontalAdvance(self.value.text()) + 6
        have = self.value.width()
        pt = self._base_pt if need <= have else max(8.0, int(self._base_pt * have / need))
        if pt != self.value_pt:
            self.value_pt = pt
            self._restyle()

    def _restyle(self) -> None:
        colour = f"color: {LEVEL_COLOURS[self._level]};" if self._level else ""
        size = f"font-size: {self.value_pt:g}pt;" if self.value_pt != self._base_pt else ""
        self.value.setStyleSheet(colour + size)


def trend(now: float | None, before: float | None) -> str:
    if now is None or before is None or abs(now - before) < 1e-9:
        return ""
    return " ↑" if now > before else " ↓"


INDICATORS_OLD_AFTER = 8.0
"""Seconds: the backend sends its figures at least every 5 s, so older ones are shown aged."""


class MetricsPanel(QWidget):
    def __init__(  # noqa: PLR0915 - the panel's parts, laid out top to bottom
        self,
        order: QueueOrder,
        text_pt: int = 10,
        rotate_s: float = 0.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.order = order
        self._text_pt = text_pt
        self.township: Township | None = None
        self._dirty = True
        self.title = QLabel(self.tr("Key indicators"))
        self.title.setObjectName("panelTitle")
        self.banner = StaleBanner(self.tr("These figures may be out of date: %1"))
        self.reports_today = KpiTile(self.tr("Reports today"))
        self.urgent_today = KpiTile(self.tr("Urgent today"))
        self.awaiting = KpiTile(self.tr("Awaiting triage"))
        self.grids_patrolled = KpiTile(self.tr("Grids patrolled today"))
        self.cameras = KpiTile(self.tr("Cameras online"))
        self.kpi_tiles = (
            self.reports_today,
            self.urgent_today,
            self.awaiting,
            self.grids_patrolled,
            self.cameras,
        )
        kpis = QGridLayout()
        for i, tile in enumerate(self.kpi_tiles):
            kpis.addWidget(tile, 0, i)
        self._add_indicator_tiles(kpis)

        self.per_minute = self._plot(self.tr("Reports per minute, last hour"))
        self.per_minute.setMouseEnabled(x=False, y=False)
        self.per_minute.setMenuEnabled(False)
        self.per_minute.setLabel("bottom", self.tr("minutes ago"))
        self.per_minute.showGrid(y=True, alpha=0.3)
        self.per_minute.disableAutoRange()
        self.per_minute.setXRange(-MINUTES, 0, padding=0.02)
        self.per_minute.setYRange(0, headroom(0), padding=0)
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
        self.by_platform.disableAutoRange()
        self.by_platform.setYRange(0, headroom(0), padding=0)
        self._shown: dict[str, npt.NDArray[np.float64]] = {}
        self._charts_at = 0.0  # monotonic time of the last chart refresh
        self._updates_since_charts = 0
        self._bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush="#2fbf4f")
        self.by_platform.addItem(self._bars)

        live = QWidget()
        charts = QHBoxLayout(live)
        charts.setContentsMargins(0, 0, 0, 0)
        charts.addWidget(self.per_minute, 3)
        charts.addWidget(self.by_platform, 2)
        self.pages = IndicatorPages(live, text_pt, rotate_s)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(kpis)
        layout.addWidget(self.indicators_age)
        layout.addWidget(self.pages, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_tick)
        # Half a second out of step with the window's clock, which repaints every countdown:
        # the charts and the queue then never paint in the same pass.
        QTimer.singleShot(500, self._timer.start)

    def _plot(self, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setTitle(title, size=f"{self._text_pt}pt")
        font = QFont()
        font.setPointSize(max(8, self._text_pt - 3))
        for side in ("bottom", "left"):
            plot.getAxis(side).setStyle(tickFont=font)
            plot.getAxis(side).label.setFont(font)
        # Wide enough for "5000" from the start: an axis that widens relayouts the whole plot.
        plot.getAxis("left").setWidth(QFontMetrics(font).horizontalAdvance("00000") + 8)
        return plot

    def set_township(self, township: Township) -> None:
        self.township = township
        self.grids_patrolled.set_value(f"–/{len(township.grids)}")
        self.cameras.set_value(f"–/{len(township.cameras)}")
        names = [(i, p.name) for i, p in enumerate(township.platforms)]
        self.by_platform.getAxis("bottom").setTicks([names])
        self.by_platform.setXRange(-0.5, len(names) - 0.5, padding=0.02)
        self.mark_dirty()

    def show_link_state(self, state: LinkState, age: float) -> None:
        """Grey the numbers and say why whenever they may not be current."""
        self.banner.show_link_state(state, age)
        for tile in self.kpi_tiles:
            tile.value.setEnabled(state == LinkState.LIVE)

    def mark_dirty(self, updates: int = 0) -> None:
        """Cheap: called per batch; the repaint waits for the next tick."""
        self._dirty = True
        self._updates_since_charts += updates

    def _add_indicator_tiles(self, kpis: QGridLayout) -> None:
        """The backend's own figures (domain.indicators), published once a second on change."""
        self.thresholds = load_json("indicator_thresholds.json")
        self.closure_rate = KpiTile(self.tr("Closure rate, month"))
        self.on_time_rate = KpiTile(self.tr("On-time closure, month"))
        self.overdue_now = KpiTile(self.tr("Overdue now"))
        self.village_share = KpiTile(self.tr("Settled in the village, today"))
        self.to_accept = KpiTile(self.tr("Time to accept, p90 today"))
        self.satisfaction = KpiTile(self.tr("Satisfaction, month"))
        self.indicator_tiles: tuple[KpiTile, ...] = (
            self.closure_rate,
            self.on_time_rate,
            self.overdue_now,
            self.village_share,
            self.to_accept,
            self.satisfaction,
        )
        for i, tile in enumerate(self.indicator_tiles):
            kpis.addWidget(tile, 1, i)
        # The first row's sixth place (it stood empty beside five tiles).
        self.closed_today = KpiTile(self.tr("Closed today"))
        kpis.addWidget(self.closed_today, 0, len(self.kpi_tiles))
        self.indicator_tiles += (self.closed_today,)
        self.indicators_age = QLabel("")
        self.indicators_age.setObjectName("staleAge")
        self.figures: dict[str, Any] | None = None
        self._figures_at = 0.0  # monotonic time the figures came

    def _show_indicators_age(self) -> None:
        if self.figures is None:
            return
        age = time.monotonic() - self._figures_at
        text = (
            self.tr("Indicators from %1 s ago").replace("%1", f"{age:.0f}")
            if age > INDICATORS_OLD_AFTER
            else ""
        )
        if self.indicators_age.text() != text:
            self.indicators_age.setText(text)
        for tile in self.indicator_tiles:
            tile.setEnabled(age <= INDICATORS_OLD_AFTER)

    def _on_tick(self) -> None:
        self._show_indicators_age()
        # The per-minute chart scrolls with the clock, so it is refreshed every tick; but in a
        # burst (the queue repainting many times a second) the charts wait a few seconds: their
        # repaint is the one that pushed the GUI thread past 50 ms (docs/benchmarks.md).
        now = time.monotonic()
        rate = self._updates_since_charts / max(now - self._charts_at, 1.0)
        burst = rate > BURST_UPDATES_PER_S
        charts = now - self._charts_at >= (BURST_CHART_PERIOD_S if burst else 1.0) - 0.1
        self.refresh(charts=charts)
        if charts:
            self._charts_at, self._updates_since_charts = now, 0

    def show_indicators(self, figures: dict[str, Any]) -> None:
        """The backend's figures: threshold colours, and a trend against yesterday where a
        day's figure has one."""
        self.figures = figures
        self._figures_at = time.monotonic()
        t = self.thresholds
        month, today, yesterday = figures["this_month"], figures["today"], figures["yesterday"]
        closure = month["closure"]
        for tile, name, value in (
            (self.closure_rate, "closure_rate", closure["closure_rate"]),
            (self.on_time_rate, "on_time_rate", closure["on_time_rate"]),
        ):
            tile.set_value("–" if value is None else f"{value:.0%}", level_of(name, value, t))
        overdue = figures["now"]["overdue"]
        self.overdue_now.set_value(overdue, level_of("overdue", overdue, t))
        done = today["actions"].get("closed", 0) + today["actions"].get("settled_in_village", 0)
        self.closed_today.set_value(done)  # with the village's; no arrow: a whole yesterday
        # against a morning would always point down
        share = today["village_share"]
        self.village_share.set_value(
            "–" if share is None else f"{share:.0%}{trend(share, yesterday['village_share'])}",
            level_of("village_share", share, t),
        )
        p90, before = today["to_accept"]["p90"], yesterday["to_accept"]["p90"]
        self.to_accept.set_value(
            "–" if p90 is None else self.duration(p90) + trend(p90, before),
            level_of("to_accept_p90", p90, t),
        )
        score = month["satisfaction"]
        self.satisfaction.set_value(
            "–" if score is None else f"{score:.1f}", level_of("satisfaction", score, t)
        )
        self.indicators_age.setText("")
        health = figures.get("cameras")
        if health:
            # Of all the township's cameras: "12/12" read as all of them while 40 exist. The
            # colour is the rate among those watched (the others' state is not known).
            rate, total = health["online_rate"], health.get("total", health["watched"])
            self.cameras.set_value(
                f"{health['online']}/{total}", level_of("camera_online_rate", rate, t)
            )
            watched = self.tr("Cameras online (%1 watched)").replace("%1", str(health["watched"]))
            self.cameras.set_name(watched)
        patrols = figures.get("patrols")
        if patrols:
            # No colour: a morning's figure is low by nature; the arrow says whether it is low
            # for the time of day, against yesterday by the same time.
            done, before = patrols["grids_patrolled"], patrols["grids_patrolled_yesterday_by_now"]
            self.grids_patrolled.set_value(f"{done}/{patrols['grids']}{trend(done, before)}")
        self.pages.show_figures(figures, self.township)

    def duration(self, seconds: float) -> str:
        """Short enough for a tile: tenths of a minute below ten ("0 min" said nothing), then
        minutes, hours from two hours, days from two days."""
        if seconds < 600:
            return self.tr("%1 min").replace("%1", f"{seconds / 60:.1f}")
        if seconds < 7200:
            return self.tr("%1 min").replace("%1", f"{seconds / 60:.0f}")
        if seconds < 2 * 86_400:
            return self.tr("%1 h").replace("%1", f"{seconds / 3600:.0f}")
        return self.tr("%1 days").replace("%1", f"{seconds / 86_400:.1f}")

    def refresh(self, now: float | None = None, charts: bool = True) -> None:
        now = time.time() if now is None else now
        # The township's day, as the backend counts it: not this machine's, which a console
        # set to UTC would start eight hours late (seen against a replayed day's store).
        start_of_day = present.start_of_day(now)
        received = self.order.column("received")
        today = received >= start_of_day
        self.reports_today.set_value(int(np.count_nonzero(today)))
        urgent = self.order.column("urgency") != URGENCY_RANK[Urgency.NORMAL]
        self.urgent_today.set_value(int(np.count_nonzero(today & urgent)))
        awaiting = np.isin(self.order.column("state"), AWAITING_TRIAGE)
        self.awaiting.set_value(int(np.count_nonzero(awaiting)))
        if not charts:
            return
        # Minute k ago is bin MINUTES-1-k; anything older or in the future falls outside.
        ages = ((now - received) // 60).astype(np.int64)
        recent = ages[(ages >= 0) & (ages < MINUTES)]
        per_minute = np.bincount(MINUTES - 1 - recent, minlength=MINUTES).astype(float)
        if self._changed("per_minute", per_minute):
            self._minute_curve.setData(self._minute_x, per_minute)
            self._fit(self.per_minute, per_minute)
        if self.township is not None and self._dirty:
            counts = self._today_by_platform(today)
            if self._changed("by_platform", counts):
                self._bars.setOpts(x=np.arange(len(counts)), height=counts, width=0.6)
                self._fit(self.by_platform, counts)
        self._dirty = False

    def _today_by_platform(self, today: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        """Reports today per platform of their category (in the township's platform set)."""
        assert self.township is not None
        platforms = [p.code for p in self.township.platforms]
        category = self.order.column("category").astype(np.int64)[today]
        lookup = np.full(int(category.max(initial=0)) + 1, len(platforms))  # unknown: dropped
        for c in self.township.categories.values():
            code = self.order.code_of(c.code)
            if 0 <= code < len(lookup):
                lookup[code] = platforms.index(c.platform_by_set[self.township.platform_set])
        counts = np.bincount(lookup[category], minlength=len(platforms) + 1)
        return counts[: len(platforms)].astype(float)

    def _changed(self, name: str, values: npt.NDArray[np.float64]) -> bool:
        before = self._shown.get(name)
        if before is not None and np.array_equal(before, values):
            return False
        self._shown[name] = values
        return True

    @staticmethod
    def _fit(plot: pg.PlotWidget, values: npt.NDArray[np.float64]) -> None:
        top = headroom(float(values.max(initial=0)))
        if plot.viewRange()[1][1] != top:
            plot.setYRange(0, top, padding=0)
