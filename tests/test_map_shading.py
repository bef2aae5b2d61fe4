"""The map as a duty officer reads it: classes a legend names, nothing painted as "0 open"
before the figures come, holes left open, names in a grid's main part, stacked cases listed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from console.models.dispatch_queue_model import DispatchQueueModel
from console.models.map_layers import MapLayers, Shading
from console.widgets.map_panel import MapPanel
from console.widgets.map_style import UNSHADED, class_range, classes_of, shade_step
from domain.incident import IncidentState, Urgency
from domain.map_geometry import (
    cluster,
    marker_radius,
    mercator,
    merge_touching,
    rings_of,
    signed_area,
)
from domain.township import Township
from tests.queue_data import TOWNSHIP, incidents

SQUARE = [[119.80, 28.88], [119.84, 28.88], [119.84, 28.92], [119.80, 28.92], [119.80, 28.88]]
HOLE_SAME_WAY = [[119.81, 28.89], [119.83, 28.89], [119.83, 28.91], [119.81, 28.91],
                 [119.81, 28.89]]  # fmt: skip


def _one_grid(boundary: dict[str, Any]) -> Township:
    """The demo township with its first grid given `boundary` and no other boundaries."""
    first = next(iter(TOWNSHIP.grids.values()))
    grids = {c: replace(g, boundary=boundary if c == first.code else None)
             for c, g in TOWNSHIP.grids.items()}  # fmt: skip
    villages = {c: replace(v, boundary=None) for c, v in TOWNSHIP.villages.items()}
    return replace(TOWNSHIP, grids=grids, villages=villages, layers=())


def _panel(qtbot: QtBot, township: Township, model: DispatchQueueModel | None = None) -> MapPanel:
    model = model or DispatchQueueModel()
    model.set_township(township)
    panel = MapPanel(model.order)
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_township(township)
    the_map = panel.map
    the_map.show_cases = the_map.show_cameras = the_map.show_labels = False
    return panel


def _pixel_at(panel: MapPanel, lon: float, lat: float) -> QColor:
    the_map = panel.map
    sx, sy = the_map.view.to_screen(*mercator(lon, lat))
    return the_map.grab().toImage().pixelColor(QPoint(round(float(sx)), round(float(sy))))


def test_the_legend_names_each_class_and_the_grids_fall_in_them() -> None:
    classes = classes_of(Shading.OPEN, 12)
    labels = [class_range(k, 0, 12, classes, share=False) for k in range(classes)]
    assert labels == ["0–2", "3–4", "5–7", "8–9", "10–12"]
    for value in range(13):  # each count in the class whose range names it
        first, _, last = labels[shade_step(value, 0, 12, classes)].partition("–")
        assert int(first) <= value <= int(last or first)
    assert classes_of(Shading.OPEN, 2) == 3  # 0, 1, 2: a class each
    assert [class_range(k, 0, 2, 3, False) for k in range(3)] == ["0", "1", "2"]
    assert class_range(1, 0, 1, 5, share=True) == "20–40%"


def test_no_grid_is_painted_as_none_open_before_the_figures_come(qtbot: QtBot) -> None:
    layers = MapLayers(DispatchQueueModel().order)
    layers.set_township(TOWNSHIP)
    code = next(iter(TOWNSHIP.grids))
    assert layers.shade(code, Shading.OPEN) is None  # not 0: nobody has said yet
    layers.set_indicators({"at": 1.0, "by": {"grid": {}}})
    assert layers.shade(code, Shading.OPEN) == 0.0  # said: none open
    township = _one_grid({"type": "Polygon", "coordinates": [SQUARE]})
    panel = _panel(qtbot, township)
    shown = _pixel_at(panel, 119.805, 28.885)
    unshaded = panel.map._fills()[0][0]
    assert unshaded == UNSHADED
    assert shown != QColor("#0f1a24")  # the grid is drawn, in the unshaded colour


@pytest.mark.parametrize("hole", [HOLE_SAME_WAY, HOLE_SAME_WAY[::-1]])
def test_a_hole_is_a_hole_whichever_way_it_runs(qtbot: QtBot, hole: list[list[float]]) -> None:
    geometry = {"type": "Polygon", "coordinates": [SQUARE, hole]}
    outer, inner = rings_of(geometry)
    assert signed_area(outer) > 0 > signed_area(inner)
    panel = _panel(qtbot, _one_grid(geometry))
    panel.set_indicators({"at": 1.0, "by": {"grid": {next(iter(TOWNSHIP.grids)): {"open": 5}}}})
    in_grid, in_hole = _pixel_at(panel, 119.805, 28.885), _pixel_at(panel, 119.82, 28.90)
    assert in_grid != in_hole
    assert in_hole == QColor("#0f1a24")  # the background, not the grid's shade


def test_a_multipolygon_grid_is_named_in_its_largest_part(qtbot: QtBot) -> None:
    small = [[119.70, 28.80], [119.701, 28.80], [119.701, 28.801], [119.70, 28.801],
             [119.70, 28.80]]  # fmt: skip
    township = _one_grid({"type": "MultiPolygon", "coordinates": [[small], [SQUARE]]})
    layers = MapLayers(DispatchQueueModel().order)
    layers.set_township(township)
    area = next(a for a in layers.grids if a.rings)
    x0, y0 = mercator(119.80, 28.88)
    x1, y1 = mercator(119.84, 28.92)
    assert x0 < area.label[0] < x1 and y0 < area.label[1] < y1


def test_cases_stacked_on_one_place_are_offered_as_a_list(qtbot: QtBot) -> None:
    """Three reports from one doorway: no zoom parts them, so a click lists them (the most
    urgent first) and the one chosen is the case chosen."""
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    panel = MapPanel(model.order)
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_township(TOWNSHIP)
    model.flushed.connect(lambda _n: panel.map.refresh())
    urgencies = (Urgency.NORMAL, Urgency.VERY_URGENT, Urgency.URGENT)
    cases = [replace(i, state=IncidentState.ACCEPTED, stage_due=None, urgency=u,
                     lat=28.9001, lon=119.8201)
             for i, u in zip(incidents(3, seed=4), urgencies, strict=True)]  # fmt: skip
    model.replace_all(cases, seq=1)  # synchronous; the map is told by refresh
    the_map = panel.map
    the_map.refresh()
    the_map.show_labels = the_map.show_cameras = False
    sx, sy = the_map.view.to_screen(*mercator(119.8201, 28.9001))
    chosen: list[str] = []
    the_map.incident_chosen.connect(chosen.append)
    the_map.click(float(sx), float(sy))
    menu = the_map.stack_menu
    assert menu is not None and chosen == []  # not zoomed in for ever: listed
    actions = menu.actions()
    assert [a.text().split()[0] for a in actions] == [
        cases[1].display_number,
        cases[2].display_number,
        cases[0].display_number,
    ]
    actions[1].trigger()
    assert chosen == [cases[2].id] and the_map.selected == cases[2].id
    menu.close()


def test_a_case_placed_far_outside_the_township_is_counted_apart(qtbot: QtBot) -> None:
    """A phone's fix in Hangzhou (or lat and lon swapped) is not "on the township's map"."""
    model = DispatchQueueModel()
    panel = _panel(qtbot, TOWNSHIP, model)
    places = [(28.9001, 119.8201), (30.27, 120.15), (28.91, 119.83)]
    cases = [replace(i, state=IncidentState.ACCEPTED, stage_due=None, lat=lat, lon=lon)
             for i, (lat, lon) in zip(incidents(3, seed=5), places, strict=True)]  # fmt: skip
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    assert panel.map.layers.cases.far == 1
    panel._say()
    assert "2" in panel.status.text() and "outside the township" in panel.status.text()


def test_groups_whose_markers_would_touch_are_one_marker() -> None:
    """Two cells' groups either side of their shared edge: one marker with both counts, at
    their members' mean, the more urgent colour; a group apart stays apart."""
    xs = np.array([44.0, 45.0, 47.0, 48.0, 300.0])
    ys = np.array([20.0, 21.0, 20.0, 22.0, 20.0])
    rank = np.array([2, 2, 0, 2, 2])
    late = np.array([False, False, True, False, False])
    cells = cluster(xs, ys, rank, late, 46.0)
    assert sorted(cells.count.tolist()) == [1, 2, 2]  # the cell's edge at 46 splits them
    merged = merge_touching(cells, 7.0)
    assert sorted(merged.count.tolist()) == [1, 4]
    big = int(np.argmax(merged.count))
    assert merged.rank[big] == 0 and merged.overdue[big] == 1
    assert merged.x[big] == pytest.approx(46.0)
    gaps = np.hypot(merged.x[:, None] - merged.x[None, :], merged.y[:, None] - merged.y[None, :])
    radii = marker_radius(merged.count, 7.0)
    apart = gaps + np.eye(len(merged)) * 1e9 >= (radii[:, None] + radii[None, :]) * 0.9
    assert apart.all()
