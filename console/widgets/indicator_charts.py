"""The backend's indicators as charts (pyqtgraph), for the wall's pages and the dashboard screen.

Each chart is fed the whole `metric.indicators` body at most once a second, but hands pyqtgraph
new data only for what changed, and only while it is on screen: a chart on a page not shown
keeps the newest figures and draws them when its page comes round. Axes have fixed ranges that
move in steps (`headroom`), so an update repaints the items, not the whole plot.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from console import present
from console.labels import channel_label, stage_label
from domain.incident import Channel
from domain.indicator_history import COUNTED
from domain.indicators import SLOTS_PER_DAY
from domain.resources import load_json
from domain.township import Township

PALETTE = ("#4aa3ff", "#2fbf4f", "#f0b429", "#e5484d", "#a371f7", "#39c5cf", "#ff8a3d", "#8b949e")
TOP_N = 8
THRESHOLDS = load_json("indicator_thresholds.json")


def headroom(peak: float) -> float:
    """A y-axis top above `peak` that moves in steps, so that the axis is not redrawn for
    every new incident: 5, 10, 20, 50, 100, 200, …"""
    top = 5.0
    while top < peak * 1.1:
        top *= 2.5 if str(int(top)).startswith("2") else 2
    return top


LEVEL_COLOURS = {"good": "#2fbf4f", "warn": "#f0b429", "bad": "#e5484d"}


def level_of(name: str, value: float | None, thresholds: dict[str, Any]) -> str:
    """Green, amber or red by `resources/indicator_thresholds.json`."""
    rule = thresholds.get(name)
    if rule is None or value is None:
        return ""
    good, warn = float(rule["good"]), float(rule["warn"])
    if rule.get("higher_is_better", True):
        return "good" if value >= good else "bad" if value < warn else "warn"
    return "good" if value <= good else "bad" if value > warn else "warn"


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A fixed, read-only plot that draws the newest figures when it is on screen."""

    def __init__(self, title: str, text_pt: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Laid out by the page, not by pyqtgraph's hints: a long title or axis must not push
        # the page wider than its screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(160, 120)
        self.setTitle(title, size=f"{max(8, text_pt - 2)}pt")
        # Over the whole chart, not only over the plot area: pyqtgraph's title sits over the
        # plot, so a narrow chart needed the axis's width plus the title's, and was cut off.
        item = self.getPlotItem()
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 0, 1, 3)
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.disableAutoRange()
        self.showGrid(y=True, alpha=0.3)
        self.font_ = QFont()
        self.font_.setPointSize(max(8, text_pt - 3))
        for side in ("bottom", "left"):
            self.getAxis(side).setStyle(tickFont=self.font_)
            self.getAxis(side).label.setFont(self.font_)
        self.township: Township | None = None
        self._pending: dict[str, Any] | None = None
        self._shown: dict[str, object] = {}
        self.draws = 0
        """How many times pyqtgraph was given new data (for tests and the bench)."""

    def show_figures(self, figures: dict[str, Any], township: Township | None) -> None:
        self.township = township
        self._pending = figures
        if self.isVisible():
            self._draw_pending()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw_pending()

    def _draw_pending(self) -> None:
        figures, self._pending = self._pending, None
        if figures is not None and self.township is not None:
            self.draw(figures, self.township)

    def draw(self, figures: dict[str, Any], township: Township) -> None:
        raise NotImplementedError

    def changed(self, key: str, value: object) -> bool:
        """True (and remembered) if `value` differs from what `key` last showed."""
        if key in self._shown and _equal(self._shown[key], value):
            return False
        self._shown[key] = value
        self.draws += 1
        return True

    def fit_y(self, peak: float) -> None:
        top = headroom(peak)
        if self.viewRange()[1][1] != top:
            self.setYRange(0, top, padding=0)


def _equal(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b


class TodayVsYesterday(Chart):
    """Reports per ten minutes: today so far, and yesterday whole, on one clock."""

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
        self.getAxis("bottom").setTicks([[(h, str(h)) for h in range(0, 25, 3)]])
        self.addLegend(offset=(-10, 5), labelTextSize=f"{max(8, text_pt - 3)}pt")
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

    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Reports per hour by platform"), text_pt
        )
        self.setLabel("bottom", QCoreApplication.translate("IndicatorCharts", "hour"))
        self.setXRange(-0.5, 23.5, padding=0.01)
        self.setYRange(0, headroom(0), padding=0)
        self.getAxis("bottom").setTicks([[(h, str(h)) for h in range(0, 24, 3)]])
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
        self.getViewBox().sigResized.connect(self._on_resized)

    def _set_x_top(self, top: float) -> None:
        """The bottom axis in even steps, labelled by us: pyqtgraph's own ticks ran into each
        other on a chart 100 px wide."""
        self.setXRange(0, top, padding=0)
        steps = self._ticks_each
        self.getAxis("bottom").setTicks(
            [[(top * k / steps, f"{100 * k // steps}%" if self.percent else f"{top * k / steps:g}")
              for k in range(steps + 1)]]
        )  # fmt: skip

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

    def brush_of(self, _value: float) -> str:
        return PALETTE[0]


class OnTimeByDepartment(RankedBars):
    """按期结案率 this month, per department with cases due; the weakest at the bottom, and
    kept when not all fit."""

    percent = True
    keep_lowest = True

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


# --- history (metric.history, then metric.indicators' `minute` appended) ------------------------


class SteppedSeries:
    """One history series at a fixed step: given the backend's stored points, then each ended
    minute as it comes (added into its step's point), kept in arrays that grow by doubling."""

    def __init__(self, step: float, keep: float, summed: bool) -> None:
        self.step, self.keep, self.summed = step, keep, summed
        self.x: npt.NDArray[np.float64] = np.zeros(0)
        self.y: npt.NDArray[np.float64] = np.zeros(0)
        self.n = 0

    def load(self, start: float, step: float, values: Sequence[float | None]) -> None:
        assert step == self.step, (step, self.step)
        n = len(values)
        self.x = start + step * np.arange(max(n, 16), dtype=float)
        self.y = np.full(max(n, 16), np.nan)
        self.y[:n] = [np.nan if v is None else v for v in values]
        self.n = n

    def add(self, at: float, value: float | None) -> None:
        if value is None or self.n == 0:
            return
        start = at // self.step * self.step
        last = self.x[self.n - 1]
        if start < last:
            return  # before the last point: already in the stored history
        if start == last:
            before = self.y[self.n - 1]
            before = 0.0 if np.isnan(before) else before
            self.y[self.n - 1] = before + value if self.summed else max(before, value)
            return
        if self.n == len(self.x):
            self.x = np.concatenate([self.x, np.zeros(len(self.x))])
            self.y = np.concatenate([self.y, np.full(len(self.y), np.nan)])
        self.x[self.n], self.y[self.n] = start, value
        self.n += 1

    def view(self, now: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        first = int(np.searchsorted(self.x[: self.n], now - self.keep))
        return self.x[first : self.n], self.y[first : self.n]


class TownshipDateAxis(pg.DateAxisItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Dates in the township's time (not this machine's: a console set to UTC put midnight at
    08:00), written in numbers, which read the same in Chinese and English (pyqtgraph's own
    labels are English: "Tue 24", "Nov")."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom", utcOffset=-present.utc_offset_s())

    def tickValues(self, minVal: float, maxVal: float, size: float) -> Any:  # noqa: N803
        self.utcOffset = -present.utc_offset_s()  # the township's, which may have come since
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        short_view = self.range[1] - self.range[0] < 90 * 86_400
        for v in values:
            t = present.local(v)
            if spacing >= 28 * 86_400:
                # Over a month or so the days say it; a month's label ran into the days'.
                out.append("" if short_view else t.strftime("%Y-%m"))
            elif spacing >= 86_400 or (t.hour, t.minute) == (0, 0):
                out.append(t.strftime("%m-%d"))
            else:
                out.append(t.strftime("%H:%M"))
        return out


class HistoryChart(Chart):
    """A long series (24 h at a minute, 30 days at ten minutes): pyqtgraph draws only what is
    in view and at most a point per pixel column (peak downsampling keeps the spikes)."""

    def __init__(
        self, title: str, text_pt: int, step_min: int, days: float, lines: dict[str, str]
    ) -> None:
        super().__init__(title, text_pt)
        self.step_min, self.days = step_min, days
        self.setAxisItems({"bottom": TownshipDateAxis()})
        self.getAxis("bottom").setStyle(tickFont=self.font_)
        self.addLegend(offset=(10, 5), labelTextSize=f"{max(8, text_pt - 3)}pt")
        self.series: dict[str, SteppedSeries] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        for k, (name, label) in enumerate(lines.items()):
            self.series[name] = SteppedSeries(step_min * 60.0, days * 86_400, name in COUNTED)
            pen = pg.mkPen(PALETTE[(k * 3) % len(PALETTE)], width=2)
            curve = self.plot([], [], pen=pen, name=label)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves[name] = curve
        self.loaded = False
        self._through = 0.0
        """Minutes before this are in the series already (a minute row comes in many updates)."""

    def load(self, body: dict[str, Any]) -> None:
        """A `metric.history` answer for this chart's step."""
        for name, s in self.series.items():
            s.load(float(body["start"]), float(body["step"]), body["series"][name])
        self.loaded = True
        self._through = float(body["until"])
        self._shown.clear()
        self.show_figures({"at": time.time(), "minute": None}, self.township)

    def draw(self, figures: dict[str, Any], township: Township) -> None:
        minute = figures.get("minute")
        now = float(figures["at"])
        if not self.loaded:
            return
        peak = 0.0
        if minute is not None and float(minute["at"]) < self._through:
            minute = None  # in the series already
        for name, s in self.series.items():
            if minute is not None:
                s.add(float(minute["at"]), minute.get(name))
            x, y = s.view(now)
            if self.changed(name, (s.n, float(x[0]) if len(x) else 0.0, _last(y))):
                self.curves[name].setData(x, y, connect="finite")
            peak = max(peak, float(np.nanmax(y, initial=0)) if len(y) else 0.0)
        if minute is not None:
            self._through = float(minute["at"]) + 60
        start = now - self.days * 86_400
        if self.changed("x", int(now // (self.step_min * 60))):
            self.setXRange(start, now, padding=0)
        self.fit_y(peak)


def _last(y: npt.NDArray[np.float64]) -> float | None:
    return None if len(y) == 0 or np.isnan(y[-1]) else float(y[-1])


class OpenAndOverdue24h(HistoryChart):
    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Open and overdue, 24 h"),
            text_pt,
            step_min=1,
            days=1,
            lines={
                "open": QCoreApplication.translate("IndicatorCharts", "open"),
                "overdue": QCoreApplication.translate("IndicatorCharts", "overdue"),
            },
        )


class Reports30Days(HistoryChart):
    def __init__(self, text_pt: int) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorCharts", "Reports and closings, 30 days"),
            text_pt,
            step_min=10,
            days=30,
            lines={
                "received": QCoreApplication.translate("IndicatorCharts", "reports"),
                "closed": QCoreApplication.translate("IndicatorCharts", "closed"),
            },
        )


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
