"""一张图 (issue 22): the real map widget over the real queue model, driven by qtbot; and the desk
window on a real backend, where a click on the map chooses the case and an area filters the
queue."""

from __future__ import annotations

import dataclasses
import math
import time
import uuid
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from shapely.geometry import Point, shape

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.models.dispatch_queue_model import DispatchQueueModel
from console.models.map_layers import Shading
from console.widgets.map_panel import MapPanel
from console.widgets.map_style import (
    BACKGROUND,
    CASE_COLOURS,
    classes_of,
    shade_step,
    step_colour,
)
from domain.incident import URGENCY_RANK, Incident, IncidentState, Urgency
from domain.indicators import IndicatorBook
from domain.map_geometry import Box, Viewport, cluster, mercator, unmercator
from domain.patrol import PatrolBook, PatrolReport
from domain.township import Grid, Township
from tests.helpers import demo_report, wait_live
from tests.processes import BackendProcess
from tests.queue_data import NOW, RULES, TOWNSHIP, incidents
from tests.services import staff_client
from tests.test_indicators import TZ, at
from tests.test_patrol import accepted


def _panel(qtbot: QtBot, township: Township = TOWNSHIP) -> tuple[MapPanel, DispatchQueueModel]:
    model = DispatchQueueModel()
    model.set_township(township)
    panel = MapPanel(model.order)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_township(township)
    model.flushed.connect(lambda _n: panel.map.refresh())
    return panel, model


def _open(cases: list[Incident]) -> list[Incident]:
    return [dataclasses.replace(i, state=IncidentState.ACCEPTED, stage_due=None) for i in cases]


def _pixel(image: QImage, x: float, y: float) -> QColor:
    return image.pixelColor(QPoint(round(x), round(y)))


def _click(widget: QWidget, x: float, y: float) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(widget, left, none, QPoint(round(x), round(y)))


def _rgb(c: QColor) -> tuple[int, int, int]:
    return c.red(), c.green(), c.blue()


def _near(a: QColor, b: QColor, by: int = 12) -> bool:
    return all(abs(p - q) <= by for p, q in zip(_rgb(a), _rgb(b), strict=True))


def test_markers_appear_where_the_cases_are_and_move_with_their_updates(qtbot: QtBot) -> None:
    panel, model = _panel(qtbot)
    the_map = panel.map
    case = _open(incidents(1, seed=1))[0]
    case = dataclasses.replace(case, urgency=Urgency.VERY_URGENT, lat=28.905, lon=119.86)
    model.replace_all([case], seq=1)
    the_map.refresh()
    x, y = mercator(case.lon, case.lat)
    the_map.view.cx, the_map.view.cy, the_map.view.metres_per_px = float(x), float(y), 1.0
    sx, sy = the_map.view.to_screen(x, y)
    image = the_map.grab().toImage()
    assert _near(_pixel(image, sx, sy), CASE_COLOURS[URGENCY_RANK[Urgency.VERY_URGENT]])
    moved = dataclasses.replace(case, version=case.version + 1, lat=28.906)
    with qtbot.waitSignal(model.flushed, timeout=5000):
        model.apply_batch([moved])
    mx, my = the_map.view.to_screen(*mercator(moved.lon, moved.lat))
    assert abs(my - sy) > 50  # 111 m north at 1 m a pixel (projected)
    image = the_map.grab().toImage()
    assert _near(_pixel(image, mx, my), CASE_COLOURS[URGENCY_RANK[Urgency.VERY_URGENT]])
    assert not _near(_pixel(image, sx, sy), CASE_COLOURS[URGENCY_RANK[Urgency.VERY_URGENT]])
    closed = dataclasses.replace(moved, version=moved.version + 1, state=IncidentState.CLOSED)
    with qtbot.waitSignal(model.flushed, timeout=5000):
        model.apply_batch([closed])
    assert len(the_map.layers.cases.x) == 0, "a closed case leaves the map"


def test_cases_are_grouped_when_zoomed_out_and_counted_whole(qtbot: QtBot) -> None:
    panel, model = _panel(qtbot)
    cases = _open(incidents(2000, seed=2))
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    panel.map.fit()
    groups = panel.map.groups()
    placed = len(panel.map.layers.cases.x)
    assert placed == 2000
    assert len(groups) < placed / 5, "zoomed out: groups, not 2,000 markers"
    assert int(groups.count.sum()) == placed
    big = int(np.argmax(groups.count))
    panel.map.view.zoom_at(float(groups.x[big]), float(groups.y[big]), 8.0)
    closer = panel.map.groups()
    assert len(closer) > 0 and closer.count.max() < groups.count.max()


def test_clicking_a_case_chooses_it_and_clicking_a_group_comes_closer(qtbot: QtBot) -> None:
    panel, model = _panel(qtbot)
    cases = _open(incidents(300, seed=3))
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    groups = panel.map.groups()
    big = int(np.argmax(groups.count))
    before = panel.map.view.metres_per_px
    _click(panel.map, groups.x[big], groups.y[big])
    assert panel.map.view.metres_per_px < before
    panel.map.view.metres_per_px = 0.5  # every case its own marker
    one = cases[0]
    ox, oy = mercator(*panel.map.layers.order.place(one))
    panel.map.view.cx, panel.map.view.cy = float(ox), float(oy)
    panel.map.groups()
    sx, sy = panel.map.view.to_screen(ox, oy)
    with qtbot.waitSignal(panel.map.incident_chosen, timeout=2000) as chosen:
        QTest.mouseClick(
            panel.map,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPoint(round(sx), round(sy)),
        )
    assert chosen.args is not None
    chosen_case = model.book.get(chosen.args[0])
    assert chosen_case is not None
    assert math.hypot(*(np.subtract(mercator(*panel.map.layers.order.place(chosen_case)),
                                    (ox, oy)))) < 15  # fmt: skip


def _shift_drag(widget: QApplication | object, start: QPointF, end: QPointF) -> None:
    shift = Qt.KeyboardModifier.ShiftModifier
    for kind, pos, buttons in (
        (QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(kind, pos, pos, Qt.MouseButton.LeftButton, buttons, shift)
        QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def test_an_area_dragged_on_the_map_filters_the_queue_to_the_cases_inside(qtbot: QtBot) -> None:
    panel, model = _panel(qtbot)
    cases = _open(incidents(400, seed=4))
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    panel.map.area_chosen.connect(lambda area: model.set_filter(
        dataclasses.replace(model.queue_filter, area=area)))  # fmt: skip
    w, h = panel.map.width(), panel.map.height()
    _shift_drag(panel.map, QPointF(w * 0.3, h * 0.3), QPointF(w * 0.6, h * 0.7))
    assert panel.map.area is not None
    west, south, east, north = panel.map.area.lonlat()
    inside = {i.id for i in cases
              if west <= model.order.place(i)[0] <= east
              and south <= model.order.place(i)[1] <= north}  # fmt: skip
    shown = {model.incident_at(r).id for r in range(model.rowCount())}
    assert 0 < len(inside) < len(cases) and shown == inside
    assert panel.clear_area.isEnabled()
    panel.clear_area.click()
    assert model.rowCount() == len(cases) and panel.map.area is None


def _inside_point(grid: Grid, view: Viewport) -> QPointF:
    """A pixel well inside a grid, away from its edges (and so from the village outlines)."""
    assert grid.boundary is not None
    polygon = shape(grid.boundary)
    inner = polygon.buffer(-3 * view.metres_per_px / 111_000 * 1.2)  # 3 px and more inside
    point = (inner if not inner.is_empty else polygon).representative_point()
    assert polygon.contains(Point(point.x, point.y))
    sx, sy = view.to_screen(*mercator(point.x, point.y))
    return QPointF(sx, sy)


def test_the_grid_shading_is_the_backends_figure_for_each_grid(qtbot: QtBot) -> None:
    panel, model = _panel(qtbot)
    cases = incidents(600, seed=7)
    book = IndicatorBook(RULES.calendar.tz, lambda _c: None)
    for case in cases:
        book.put(case, NOW)
    figures = book.snapshot(NOW)
    by_grid = figures["by"]["grid"]
    model.replace_all(cases, seq=1)
    panel.set_indicators(figures)
    the_map = panel.map
    the_map.show_cases = the_map.show_cameras = the_map.show_labels = False
    the_map.show_layers = False  # the township's roads and water over the shades
    the_map.fit()
    low, high = the_map.layers.shade_range(Shading.OPEN)
    assert high == max(r["open"] for r in by_grid.values())
    image = the_map.grab().toImage()
    checked = 0
    for grid in TOWNSHIP.grids.values():
        expected = float(by_grid.get(grid.code, {}).get("open", 0))
        assert the_map.layers.shade(grid.code, Shading.OPEN) == expected
        where = _inside_point(grid, the_map.view)
        classes = classes_of(Shading.OPEN, high)
        fill = step_colour(shade_step(expected, low, high, classes), classes, Shading.OPEN)
        a, over = fill.alphaF(), zip(_rgb(fill), _rgb(BACKGROUND), strict=True)
        blended = QColor(*(round(c * a + b * (1 - a)) for c, b in over))
        assert _near(_pixel(image, where.x(), where.y()), blended, by=6), grid.code
        checked += 1
    assert checked == len(TOWNSHIP.grids)


def test_grids_not_patrolled_today_are_red_and_the_patrolled_one_is_not(qtbot: QtBot) -> None:
    panel, _model = _panel(qtbot)
    book = PatrolBook(list(TOWNSHIP.grids), TZ)
    patrol = accepted("2026-11-17 08:00", hours=2.0)
    assert book.add(patrol)
    now = at("2026-11-17 12:00")
    panel.set_indicators({"at": now, "by": {}, "patrols": book.figures(now)})
    the_map = panel.map
    the_map.show_cases = the_map.show_cameras = the_map.show_labels = False
    panel.shading.setCurrentIndex(panel.shading.findData(Shading.UNPATROLLED))
    the_map.fit()
    image = the_map.grab().toImage()
    other = next(g for g in TOWNSHIP.grids.values() if g.code != patrol.grid)
    for grid, red in ((TOWNSHIP.grids[patrol.grid], False), (other, True)):
        where = _inside_point(grid, the_map.view)
        colour = _pixel(image, where.x(), where.y())
        assert (colour.red() > colour.green() + 40) == red, grid.code


def test_the_heat_layer_warms_where_the_last_day_s_reports_of_its_category_came(
    qtbot: QtBot,
) -> None:
    panel, model = _panel(qtbot)
    now = time.time()
    base = _open(incidents(40, seed=9))
    here, there = (119.8601, 28.9051), (119.8301, 28.8801)
    cases = [dataclasses.replace(i, category="a" if k < 20 else "b", received_at=now - 3600,
                                 lon=(here if k < 20 else there)[0],
                                 lat=(here if k < 20 else there)[1])
             for k, i in enumerate(base)]  # fmt: skip
    model.replace_all(cases, seq=1)
    the_map = panel.map
    the_map.refresh()
    the_map.show_cases = the_map.show_cameras = the_map.show_labels = False
    the_map.fit()
    before = the_map.grab().toImage()
    panel.heat.setCurrentIndex(panel.heat.findData(None) + 1)  # every category
    the_map.set_heat("a")
    after = the_map.grab().toImage()
    hx, hy = the_map.view.to_screen(*mercator(*here))
    tx, ty = the_map.view.to_screen(*mercator(*there))
    assert _pixel(after, hx, hy).red() > _pixel(before, hx, hy).red() + 40, "warm where 'a' came"
    assert _near(_pixel(after, tx, ty), _pixel(before, tx, ty), by=4), "not where only 'b' did"
    the_map.set_heat(None)
    assert the_map.grab().toImage().pixelColor(round(tx), round(ty)) != _pixel(before, tx, ty)


def test_the_map_follows_a_smaller_snapshot_and_a_click_opens_the_case_drawn(
    qtbot: QtBot,
) -> None:
    """Found by a fresh pair of eyes: a snapshot with fewer cases than the map had (a resync,
    cases leaving the scope) raised on every refresh from then on, left closed cases drawn and
    let a click open another case than the one under it."""
    panel, model = _panel(qtbot)
    cases = _open(incidents(300, seed=12))
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    panel.map.groups()
    kept = cases[150:]
    model.replace_all(kept, seq=2)
    panel.map.refresh()
    assert len(panel.map.layers.cases.x) == len(kept)
    one = kept[0]
    ox, oy = mercator(*panel.map.layers.order.place(one))
    panel.map.view.cx, panel.map.view.cy, panel.map.view.metres_per_px = float(ox), float(oy), 0.3
    sx, sy = panel.map.view.to_screen(ox, oy)
    with qtbot.waitSignal(panel.map.incident_chosen, timeout=2000) as chosen:
        _click(panel.map, sx, sy)
    assert chosen.args is not None and chosen.args[0] in {i.id for i in kept}
    picked = model.book.get(chosen.args[0])
    assert picked is not None
    assert panel.map.layers.order.place(picked) == panel.map.layers.order.place(one)


def test_a_slip_of_the_shift_key_is_not_an_area_and_an_alarm_goes_back_to_the_township(
    qtbot: QtBot,
) -> None:
    panel, model = _panel(qtbot)
    cases = _open(incidents(50, seed=13))
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    _shift_drag(panel.map, QPointF(100, 100), QPointF(103, 102))
    assert panel.map.area is None, "a 3×2 px drag filters nothing"
    whole = panel.map.view.metres_per_px
    urgent = dataclasses.replace(cases[0], urgency=Urgency.VERY_URGENT)
    assert panel.map.fly_to(urgent)
    qtbot.waitUntil(lambda: panel.map.view.metres_per_px < whole / 2, timeout=5000)
    panel.map.acknowledge()
    assert panel.map.view.metres_per_px == pytest.approx(whole)


def test_a_camera_is_green_only_when_this_console_sees_it_live(qtbot: QtBot) -> None:
    panel, _model = _panel(qtbot)
    layers = panel.map.layers
    first, second, third = list(TOWNSHIP.cameras)[:3]
    panel.set_indicators({"at": time.time(), "by": {},
                          "cameras": {"watched": 9, "offline": [{"camera": second}]}})  # fmt: skip
    layers.live_here = {first}
    assert [layers.camera_state(c) for c in (first, second, third)] == [
        "online",
        "offline",
        "unknown",
    ], "watched somewhere is not live: grey unless seen live here"


def test_a_township_without_boundaries_or_layers_still_draws_its_cases(qtbot: QtBot) -> None:
    bare = dataclasses.replace(
        TOWNSHIP,
        grids={c: dataclasses.replace(g, boundary=None) for c, g in TOWNSHIP.grids.items()},
        villages={c: dataclasses.replace(v, boundary=None) for c, v in TOWNSHIP.villages.items()},
    )
    panel, model = _panel(qtbot, bare)
    cases = [dataclasses.replace(i, lat=None, lon=None) for i in _open(incidents(50, seed=8))]
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    panel.map.fit()
    image = panel.map.grab().toImage()
    assert not image.isNull()
    assert len(panel.map.layers.cases.x) == 50, "placed at their grids' centres"
    assert panel.map.layers.bounds is not None


def test_the_projection_round_trips_and_clusters_keep_every_case() -> None:
    lon, lat = np.array([119.86, 0.0, -73.98]), np.array([28.9, 0.0, 40.75])
    back = unmercator(*mercator(lon, lat))
    assert np.allclose(back[0], lon) and np.allclose(back[1], lat)
    view = Viewport(width=800, height=600)
    view.fit(Box(0, 0, 8000, 6000))
    x, y = view.to_world(123.0, 456.0)
    assert np.allclose(view.to_screen(x, y), (123.0, 456.0))
    rng = np.random.default_rng(1)
    sx, sy = rng.uniform(0, 800, 10_000), rng.uniform(0, 600, 10_000)
    rank = rng.integers(0, 3, 10_000)
    groups = cluster(sx, sy, rank, rank == 2, 40)
    assert groups.count.sum() == 10_000 and groups.overdue.sum() == (rank == 2).sum()
    cells = (np.floor(sx / 40) * 1000 + np.floor(sy / 40)).astype(int)
    by_cell = {c: rank[cells == c].min() for c in np.unique(cells)}
    assert len(groups) == len(by_cell)
    assert sorted(groups.rank.tolist()) == sorted(by_cell.values()), "the most urgent colours it"
    alone = cluster(np.array([5.0, 500.0]), np.array([5.0, 500.0]), np.array([2, 0]),
                    np.array([False, True]), 40)  # fmt: skip
    pairs = zip(alone.first.tolist(), alone.rank.tolist(), strict=True)
    assert sorted(pairs) == [(0, 2), (1, 0)]


@pytest.fixture
def desk(qtbot: QtBot, backend: BackendProcess) -> Iterator[Console]:
    console = Console(mode="desk", login=("P0378", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    console.start(backend.router)
    console.window.show()
    wait_live(qtbot, console)
    yield console
    console.shutdown()


def test_at_the_desk_a_case_clicked_on_the_map_is_the_case_shown(
    qtbot: QtBot, backend: BackendProcess, desk: Console
) -> None:
    window = desk.window
    report = dataclasses.replace(demo_report(11), lat=28.9051, lon=119.8601)
    elsewhere = dataclasses.replace(demo_report(12), lat=28.8801, lon=119.8301)
    with staff_client(backend.router) as client:
        client.submit_report(elsewhere)
        client.submit_report(report)
    qtbot.waitUntil(lambda: window.queue_model.row_of(report.id) is not None, timeout=10_000)
    the_map = window.township_map
    window.docks["map"].raise_()
    qtbot.waitUntil(lambda: len(the_map.layers.cases.x) > 0, timeout=10_000)
    x, y = mercator(report.lon, report.lat)
    the_map.view.cx, the_map.view.cy, the_map.view.metres_per_px = float(x), float(y), 0.5
    the_map.groups()
    sx, sy = the_map.view.to_screen(x, y)
    QTest.mouseClick(
        the_map,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(round(sx), round(sy)),
    )
    chosen = window.selected_incident()
    assert chosen is not None and chosen.id == report.id
    assert window.detail.incident is not None and window.detail.incident.id == report.id
    now = time.time()
    walked = ((28.8553, 119.7766, now - 900), (28.8562, 119.7776, now - 600),
              (28.8573, 119.7785, now - 300))  # in its grid, V01G1  # fmt: skip
    with staff_client(backend.router) as client:
        client.submit_patrol(PatrolReport(str(uuid.uuid4()), "P0226", "V01G1", now - 900,
                                          now - 5, 350.0, walked, ()))  # fmt: skip
    window.maps.ask_tracks()
    qtbot.waitUntil(lambda: len(the_map._tracks) == 1, timeout=10_000)
    start = the_map._tracks[0].elementAt(0)
    assert (start.x, start.y) == pytest.approx(tuple(map(float, mercator(119.7766, 28.8553))))
    case_map = window.case_map  # the case panel's small map, on the case
    assert case_map.isVisible() and case_map.selected == report.id
    assert abs(case_map.view.cx - float(x)) < 1 and abs(case_map.view.cy - float(y)) < 1
    the_map.set_area(Box(x - 50, y - 50, x + 50, y + 50))
    ids = {window.queue_model.incident_at(r).id for r in range(window.queue_model.rowCount())}
    assert report.id in ids and len(ids) < len(window.queue_model.book)
    assert window.queue.filters.area_note.isVisible()
    window.queue.filters.area_note.click()
    assert the_map.area is None and window.queue_model.queue_filter.area is None
