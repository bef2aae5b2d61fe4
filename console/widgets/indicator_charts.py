"""The backend's indicators as charts (pyqtgraph), for the wall's pages and the dashboard screen.

Each chart is fed the whole `metric.indicators` body at most once a second, but hands pyqtgraph
new data only for what changed, and only while it is on screen: a chart on a page not shown
keeps the newest figures and draws them when its page comes round. Axes have fixed ranges that
move in steps (`headroom`), so an update repaints the items, not the whole plot.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics

from console.labels import channel_label, stage_label
from console.widgets.chart_base import (
    LEVEL_COLOURS,
    PALETTE,
    THRESHOLDS,
    TOP_N,
    Chart,
    headroom,
    level_of,
)
from console.widgets.history_charts import HistoryChart, OpenAndOverdue24h, Reports30Days
from domain.incident import Channel
from domain.indicators import SLOTS_PER_DAY
from domain.township import Township

__all__ = [
    "LEVEL_COLOURS",
    "Chart",
    "HistoryChart",
    "headroom",
    "level_of",
    "make_charts",
]


def count_step(at_least: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … not below `at_least`."""
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= at_least:
                return m * scale
        scale *= 10


class TodayVsYesterday(Chart):
    """Reports per ten minutes: today so far, and yesterday whole, on one clock."""

    hours = 24

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate(
                "IndicatorCharts", "Reports per 10 min, today and yesterday"
            ),
            text_pt,
        )
        self.setLabel("bottom", QCoreApplication.translate("IndicatorCharts", "hour"))
        self.setXRange(0, 24, padding=0.01)
        self.setYRange(0, headroom(0), padding=0)
        # Top left, over the night's few reports: at the right a narrow chart cut it off.
        self.addLegend(offset=(10, 5), labelTextSize=f"{max(8, text_pt - 3)}pt")
        self._x = np.arange(SLOTS_PER_DAY) / 6 + 1 / 12  # slot centres, in hours
        self.yesterday = self.plot(
            self._x,
            np.zeros(SLOTS_PER_DAY),
            pen=pg.mkPen("#8b949e", width=2, style=Qt.PenStyle.DashLine),
            name=QCoreApplication.translate("IndicatorCharts", "yesterday"),
        )
        self.today = self.plot(
            [],
            [],
            pen=pg.mkPen("#4aa3ff", width=3),
            name=QCoreApplication.translate("IndicatorCharts", "today"),
        )

    def draw(self, figures: dict[str, Any], township: Township) -> None:
        today = np.asarray(figures["today"]["per_slot"], dtype=float)
        yesterday = np.asarray(figures["yesterday"]["per_slot"], dtype=float)
        today = today[: figures["slot"] + 1]  # the township's clock, not this machine's
        if self.changed("yesterday", yesterday):
            self.yesterday.setData(self._x, yesterday)
        if self.changed("today", today):
            self.today.setData(self._x[: len(today)], today)
        self.fit_y(max(today.max(initial=0), yesterday.max(initial=0)))


class ReportsByPlatformPerHour(Chart):
    """Today's reports per hour, each bar stacked by platform (四平台 or 1+4)."""

    hours = 23

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Reports per hour by platform"), text_pt
        )
        self.setLabel("bottom", QCoreApplication.translate("IndicatorCharts", "hour"))
        self.setXRange(-0.5, 23.5, padding=0.01)
        self.setYRange(0, headroom(0), padding=0)
        self._legend = self.addLegend(offset=(10, 5), labelTextSize=f"{max(8, text_pt - 3)}pt")
        self._bars: dict[str, pg.BarGraphItem] = {}

    def draw(self, figures: dict[str, Any], township: Township) -> None:
        by_platform = figures["today"]["per_slot_by_platform"]
        hours = np.arange(24)
        bottom = np.zeros(24)
        platforms = [(p.code, p.name) for p in township.platforms]
        known = {code for code, _ in platforms}
        platforms += [(code, code) for code in sorted(by_platform) if code not in known]
        for k, (code, name) in enumerate(platforms):
            per_hour = np.asarray(by_platform.get(code, [0] * SLOTS_PER_DAY), dtype=float)
            per_hour = per_hour.reshape(24, 6).sum(axis=1)
            bars = self._bars.get(code)
            if bars is None:
                colour = PALETTE[k % len(PALETTE)]
                bars = pg.BarGraphItem(x=hours, height=np.zeros(24), width=0.8, brush=colour)
                self._bars[code] = bars
                self.addItem(bars)
                self._legend.addItem(bars, name)
            if self.changed(code, (per_hour, bottom.copy())):
                bars.setOpts(x=hours, y0=bottom.copy(), height=per_hour, width=0.8)
            bottom += per_hour
        self.fit_y(float(bottom.max(initial=0)))


class RankedBars(Chart):
    """Horizontal bars, the largest at the top, named on the left axis: as many of the top `n`
    as the chart's height can name legibly (a name per text line), never fewer than
    `MIN_ROWS`."""

    percent = False
    keep_lowest = False
    """Which rows stay when not all fit: the largest (load), or the lowest (on-time rates:
    the wall must show who is falling behind)."""
    MIN_ROWS = 3
    EMPTY = QT_TRANSLATE_NOOP("IndicatorCharts", "None yet")
    """Said in the middle of a chart with no rows: an empty axis looks like a broken chart."""

    def __init__(self, title: str, text_pt: int, n: int = TOP_N) -> None:
        super().__init__(title, text_pt)
        self.n = n
        self.fit = n
        """How many rows are shown, as the height allows."""
        self._line_px = QFontMetrics(self.font_).height() + 2
        self._last: tuple[dict[str, Any], Township] | None = None
        self.showGrid(x=True, y=False, alpha=0.3)
        # Eight characters (综合行政执法中队); a longer name is elided, never dropped: pyqtgraph
        # leaves out a tick label wider than its axis, and the weakest row is the one that matters.
        metrics = QFontMetrics(self.font_)
        self._name_px = metrics.horizontalAdvance("综合行政执法中队")
        self._elide = metrics.elidedText
        self.getAxis("left").setWidth(self._name_px + 16)
        self.setYRange(-0.5, n - 0.5, padding=0.02)
        self._ticks_each = 4  # bottom-axis steps: four, or two on a narrow chart
        self._set_x_top(1 if self.percent else headroom(0))
        self._bars = pg.BarGraphItem(x0=0, y=[], width=[], height=0.6, brush=PALETTE[0])
        self.addItem(self._bars)
        self._empty = pg.TextItem("", color="#8fa3b8", anchor=(0.5, 0.5))
        self._empty.setFont(self.font_)
        self.addItem(self._empty)
        self.getViewBox().sigResized.connect(self._on_resized)

    def _set_x_top(self, top: float) -> None:
        """The bottom axis in even steps, labelled by us: pyqtgraph's own ticks ran into each
        other on a chart 100 px wide."""
        self.setXRange(0, top, padding=0)
        steps = self._ticks_each
        if self.percent:
            ticks = [(top * k / steps, f"{100 * k // steps}%") for k in range(steps + 1)]
        else:  # counts: whole numbers in steps of 1, 2, 5, 10 … (not 1.25, 2.5, 3.75)
            step = count_step(top / steps)
            ticks = [(v, str(v)) for v in range(0, int(top) + 1, step)]
        self.getAxis("bottom").setTicks([ticks])

    def _on_resized(self) -> None:
        box = self.getViewBox()
        each = 4 if box.width() >= 45 * 4 else 2
        if each != self._ticks_each:
            self._ticks_each = each
            self._set_x_top(self.viewRange()[0][1])
        rows = int(box.height() // self._line_px)
        fit = max(self.MIN_ROWS, min(self.n, rows))
        if fit == self.fit:
            return
        self.fit = fit
        self.setYRange(-0.5, fit - 0.5, padding=0.02)
        if self._last is not None and self._pending is None:
            self._pending = self._last[0]  # drawn now if shown, else when its page comes round
            if self.isVisible():
                self._draw_pending()

    def rows(self, figures: dict[str, Any], township: Township) -> list[tuple[str, float]]:
        raise NotImplementedError

    def draw(self, figures: dict[str, Any], township: Township) -> None:
        self._last = (figures, township)
        n = self.fit
        rows = sorted(self.rows(figures, township), key=lambda r: (-r[1], r[0]))
        rows = rows[-n:] if self.keep_lowest else rows[:n]
        if not self.changed("rows", (n, rows)):
            return
        y = np.arange(n - 1, n - 1 - len(rows), -1, dtype=float)  # the first on top
        values = np.asarray([v for _, v in rows], dtype=float)
        brushes = [self.brush_of(v) for v in values]
        self._bars.setOpts(x0=0, y=y, width=values, height=0.6, brushes=brushes)
        names = [self._elide(name, Qt.TextElideMode.ElideMiddle, self._name_px) for name, _ in rows]
        self.getAxis("left").setTicks([list(zip(y.tolist(), names, strict=True))])
        if not self.percent:
            top = headroom(float(values.max(initial=0)))
            if self.viewRange()[0][1] != top:
                self._set_x_top(top)
        empty = QCoreApplication.translate("IndicatorCharts", str(self.EMPTY))
        self._empty.setText("" if rows else empty)
        self.getAxis("left").setWidth(self._name_px + 16 if rows else 8)  # the room to say it
        self._empty.setPos(self.viewRange()[0][1] / 2, (n - 1) / 2)

    def brush_of(self, _value: float) -> str:
        return PALETTE[0]


class OnTimeByDepartment(RankedBars):
    """按期结案率 this month, per department with cases due; the weakest at the bottom, and
    kept when not all fit."""

    percent = True
    keep_lowest = True
    EMPTY = QT_TRANSLATE_NOOP("IndicatorCharts", "No case due yet this month")

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "On-time rate by department, month"),
            text_pt,
        )

    def rows(self, figures: dict[str, Any], township: Township) -> list[tuple[str, float]]:
        out = []
        for code, row in figures["by"]["department"].items():
            if row["on_time_rate"] is not None:
                d = township.departments.get(code)
                out.append((d.name if d else code, float(row["on_time_rate"])))
        return out

    def brush_of(self, value: float) -> str:
        return LEVEL_COLOURS[level_of("on_time_rate", value, THRESHOLDS)]


class OnTimeByPlatform(OnTimeByDepartment):
    def __init__(self, text_pt: int) -> None:
        RankedBars.__init__(
            self,
            QCoreApplication.translate("IndicatorCharts", "On-time rate by platform, month"),
            text_pt,
            n=5,
        )

    def rows(self, figures: dict[str, Any], township: Township) -> list[tuple[str, float]]:
        names = {p.code: p.name for p in township.platforms}
        return [
            (names.get(code, code), float(row["on_time_rate"]))
            for code, row in figures["by"]["platform"].items()
            if row["on_time_rate"] is not None
        ]


class OpenByVillage(RankedBars):
    EMPTY = QT_TRANSLATE_NOOP("IndicatorCharts", "No open case")

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Most open cases by village"), text_pt
        )

    def rows(self, figures: dict[str, Any], township: Township) -> list[tuple[str, float]]:
        out = []
        for code, row in figures["by"]["village"].items():
            if row["open"]:
                v = township.villages.get(code)
                out.append((v.name if v else code, float(row["open"])))
        return out


class OverdueByStage(RankedBars):
    EMPTY = QT_TRANSLATE_NOOP("IndicatorCharts", "Nothing overdue")

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Overdue now by stage"), text_pt, n=5
        )

    def rows(self, figures: dict[str, Any], _township: Township) -> list[tuple[str, float]]:
        stages = figures["now"]["overdue_by_stage"]
        return [(stage_label(stage), float(n)) for stage, n in stages.items()]

    def brush_of(self, _value: float) -> str:
        return PALETTE[3]


class ReportsByChannel(RankedBars):
    EMPTY = QT_TRANSLATE_NOOP("IndicatorCharts", "No report yet today")

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Reports today by channel"), text_pt, n=6
        )

    def rows(self, figures: dict[str, Any], _township: Township) -> list[tuple[str, float]]:
        out = []
        for code, n in figures["today"]["by_channel"].items():
            try:
                name = channel_label(Channel(code))
            except ValueError:
                name = code
            out.append((name, float(n)))
        return out


def make_charts(text_pt: int) -> dict[str, Chart]:
    """Every indicator chart, by name: the wall's pages and the dashboard screen each make
    their own set."""
    return {
        "today_vs_yesterday": TodayVsYesterday(text_pt),
        "platform_per_hour": ReportsByPlatformPerHour(text_pt),
        "overdue_by_stage": OverdueByStage(text_pt),
        "by_channel": ReportsByChannel(text_pt),
        "on_time_by_department": OnTimeByDepartment(text_pt),
        "on_time_by_platform": OnTimeByPlatform(text_pt),
        "open_by_village": OpenByVillage(text_pt),
        "open_overdue_24h": OpenAndOverdue24h(text_pt),
        "reports_30d": Reports30Days(text_pt),
    }
