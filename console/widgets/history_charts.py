"""The indicators' history as charts: the backend's stored points (metric.history), then each
ended minute appended (metric.indicators' `minute`), dated in the township's time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from console import present
from console.widgets.chart_base import PALETTE, Chart
from domain.indicator_history import COUNTED
from domain.township import Township


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
