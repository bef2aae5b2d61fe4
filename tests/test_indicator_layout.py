"""The indicator charts and tiles in the room the wall's main screen gives them: a strip under
the tiles, 1600×900 in all. Every bar drawn is named, nothing runs past the chart's edge."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from console.widgets.indicator_charts import (
    OnTimeByDepartment,
    OnTimeByPlatform,
    OpenByVillage,
    TodayVsYesterday,
)
from console.widgets.indicator_pages import ChartGrid
from console.widgets.metrics_panel import KpiTile
from domain.township import load_demo_township

TOWNSHIP = load_demo_township()
WEAKEST = "综合行政执法中队"  # the longest name, and the one the wall must not leave out


def _figures() -> dict[str, Any]:
    return {
        "by": {
            "department": {
                code: {"on_time_rate": 0.2 if d.name == WEAKEST else 0.5 + k / 40}
                for k, (code, d) in enumerate(TOWNSHIP.departments.items())
            },
            "village": {code: {"open": 10 + k} for k, code in enumerate(TOWNSHIP.villages)},
            "platform": {p.code: {"on_time_rate": 0.8} for p in TOWNSHIP.platforms},
        }
    }


def _shown(qtbot: QtBot, width: int, height: int) -> tuple[ChartGrid, list[Any]]:
    charts = [OnTimeByDepartment(14), OpenByVillage(14), OnTimeByPlatform(14)]
    grid = ChartGrid(*charts)
    qtbot.addWidget(grid)
    grid.resize(width, height)
    grid.show()
    qtbot.waitExposed(grid)
    for chart in charts:
        chart.show_figures(_figures(), TOWNSHIP)
    return grid, charts


def test_a_short_wide_strip_stands_the_charts_side_by_side_each_naming_what_it_draws(
    qtbot: QtBot,
) -> None:
    grid, charts = _shown(qtbot, 780, 270)  # the 考核 page on the wall's main screen
    assert grid.columns == 3
    department, village, _platform = charts
    qtbot.waitUntil(lambda: department.fit < department.n)  # 18 departments do not fit
    for chart in (department, village):
        bars = len(chart._bars.opts["y"])
        names = chart.getAxis("left")._tickLevels[0]
        assert bars == chart.fit == len(names) >= chart.MIN_ROWS
        assert all(name for _, name in names)
    # Rates: the weakest departments stay when not all fit, the weakest at the bottom, named.
    shown = [name for _, name in sorted(names_of(department), reverse=True)]
    assert shown[-1] == WEAKEST
    best = [d.name for d in TOWNSHIP.departments.values() if d.name != WEAKEST][-1]
    assert len(shown) < len(TOWNSHIP.departments) and best not in shown
    # Loads: the largest stay.
    assert names_of(village)[0][1] == list(TOWNSHIP.villages.values())[-1].name
    for chart in charts:  # nothing laid out past the chart's right edge
        assert chart.getPlotItem().geometry().right() <= chart.width() + 1


def names_of(chart: Any) -> list[tuple[float, str]]:
    return list(chart.getAxis("left")._tickLevels[0])


def test_a_tall_page_keeps_two_columns_and_shows_more_rows(qtbot: QtBot) -> None:
    grid, charts = _shown(qtbot, 900, 700)  # the desk's tab
    assert grid.columns == 2
    qtbot.waitUntil(lambda: charts[1].fit == charts[1].n)


def test_a_figure_too_wide_for_its_tile_is_drawn_smaller_not_cut(qtbot: QtBot) -> None:
    tile = KpiTile("今日受理用时(P90)")
    qtbot.addWidget(tile)
    tile.setStyleSheet("QLabel#kpiValue { font-size: 26pt; }")
    tile.resize(110, 90)
    tile.show()
    qtbot.waitExposed(tile)
    tile.set_value("12")
    assert tile.value_pt == 26
    tile.set_value("3507 分钟 ↑")
    assert 8 <= tile.value_pt < 26
    tile.resize(600, 90)
    qtbot.waitUntil(lambda: tile.value_pt == 26)


def test_a_chart_with_nothing_to_draw_says_so_and_stops_saying_it_when_rows_come(
    qtbot: QtBot,
) -> None:
    _grid, charts = _shown(qtbot, 780, 270)
    department, village, platform = charts
    empty: dict[str, Any] = {"by": {"department": {}, "village": {}, "platform": {}}}
    for chart in charts:
        chart.show_figures(empty, TOWNSHIP)
    assert department._empty.toPlainText() == "No case due yet this month"
    assert village._empty.toPlainText() == "No open case"
    assert platform._empty.toPlainText() == "No case due yet this month"
    for chart in charts:  # in the middle of the plot, not off its edge
        x, y = chart._empty.pos().x(), chart._empty.pos().y()
        (x0, x1), (y0, y1) = chart.viewRange()
        assert x0 < x < x1 and y0 < y < y1
        chart.show_figures(_figures(), TOWNSHIP)
        assert chart._empty.toPlainText() == ""


def test_a_narrow_hour_chart_elides_its_title_and_labels_every_six_hours(qtbot: QtBot) -> None:
    """Four charts side by side on a 1080p wall: titles were cut mid-character and the hour
    labels ran together. Wide, the same chart labels every three hours, its title whole."""
    chart = TodayVsYesterday(14)
    qtbot.addWidget(chart)
    chart.resize(170, 200)
    chart.show()
    qtbot.waitExposed(chart)
    title = chart.getPlotItem().titleLabel.text
    assert title.endswith("…") and title[:-1] in chart.toolTip()
    assert [h for h, _ in chart.getAxis("bottom")._tickLevels[0]] == [0, 6, 12, 18, 24]
    chart.resize(900, 300)
    qtbot.waitUntil(lambda: len(chart.getAxis("bottom")._tickLevels[0]) == 9)
    assert chart.getPlotItem().titleLabel.text == chart.toolTip()
