"""What every indicator chart shares: a fixed plot that draws only when on screen and only
what changed, axis tops that move in steps, and the thresholds' colours.

(GUI thread, like all widgets.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

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


HOUR_LABEL_PX = 30
"""Room an hour's label needs on the axis at the chart's type size (two digits and a gap)."""


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A fixed, read-only plot that draws the newest figures when it is on screen."""

    hours: int | None = None
    """A chart over the hours of a day labels its axis every 3 hours, or 6 where that is too
    close for the labels (four charts side by side on a 1080p wall ran "12151821" together)."""

    def __init__(self, title: str, text_pt: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Laid out by the page, not by pyqtgraph's hints: a long title or axis must not push
        # the page wider than its screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(160, 120)
        self._title, self._title_pt = title, max(8, text_pt - 2)
        self.setTitle(title, size=f"{self._title_pt}pt")
        self.setToolTip(title)
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
        self._no_data: pg.TextItem | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The title elided to the chart's width rather than cut off mid-character, and an
        hour axis as dense as its labels allow."""
        super().resizeEvent(event)
        item = self.getPlotItem()
        if item is None or "_title_pt" not in self.__dict__:  # before set up, or after closed
            return
        font = QFont()
        font.setPointSize(self._title_pt)
        shown = QFontMetrics(font).elidedText(
            self._title, Qt.TextElideMode.ElideRight, max(40, self.width() - 12)
        )
        if shown != item.titleLabel.text:
            self.setTitle(shown, size=f"{self._title_pt}pt")
        if self.hours is not None:
            room = self.width() - 2 * HOUR_LABEL_PX  # less the value axis
            step = 3 if room >= (self.hours // 3 + 1) * HOUR_LABEL_PX else 6
            ticks = [(h, str(h)) for h in range(0, self.hours + 1, step)]
            self.getAxis("bottom").setTicks([ticks])

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
        self._say_empty(peak <= 0)

    def _say_empty(self, empty: bool) -> None:
        """ "No data yet" in the middle of a chart with nothing above zero: an empty axis
        looks like a broken chart."""
        if self._no_data is None:
            if not empty:
                return
            text = QCoreApplication.translate("Chart", "No data yet")
            self._no_data = pg.TextItem(text, color="#8fa3b8", anchor=(0.5, 0.5))
            self._no_data.setFont(self.font_)
            self.addItem(self._no_data, ignoreBounds=True)
        (x0, x1), (y0, y1) = self.viewRange()
        self._no_data.setPos((x0 + x1) / 2, (y0 + y1) / 2)
        self._no_data.setVisible(empty)


def _equal(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b
