"""The map's heat layer over a week or a quarter: asked of a real backend (a console holds
only the last day's closed cases), answered in cells, drawn where the reports came from."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from backend.service.handlers.heat import CELL_DEG
from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.widgets.township_map import TownshipMap
from domain.map_geometry import mercator
from domain.wire import MsgType
from tests.helpers import demo_report, wait_live
from tests.processes import BackendProcess
from tests.services import staff_client

HERE = (28.9333, 119.7777)  # one doorway, four reports


def _cells(the_map: TownshipMap) -> object:
    return the_map._heat_cells


@pytest.fixture
def desk(qtbot: QtBot, backend: BackendProcess) -> Iterator[Console]:
    console = Console(mode="desk", login=("P0378", DEMO_PASSWORD))  # a supervisor
    qtbot.addWidget(console.window)
    console.start(backend.router)
    console.window.show()
    wait_live(qtbot, console)
    yield console
    console.shutdown()


def test_the_heat_over_a_week_is_the_backends_cells_of_the_reports(
    qtbot: QtBot, backend: BackendProcess, desk: Console
) -> None:
    first = demo_report(31)
    same = [dataclasses.replace(demo_report(32 + k), category=first.category, lat=HERE[0],
                                lon=HERE[1]) for k in range(3)]  # fmt: skip
    township = desk.window.township
    assert township is not None
    other = next(c for c in township.categories if c != first.category)
    elsewhere = dataclasses.replace(demo_report(40), category=other, lat=28.87, lon=119.86)
    with staff_client(backend.router) as client:
        for report in (*same, dataclasses.replace(first, lat=HERE[0], lon=HERE[1]), elsewhere):
            client.submit_report(report)
        answer = client.request(MsgType.HEAT_REQUEST, {"start": 0.0, "end": 86_400.0})
        assert answer.type == MsgType.HEAT and answer.body["reports"] == 0  # 1970: none
    panel = desk.window.map_panel
    desk.window.docks["map"].raise_()
    panel.heat.setCurrentIndex(1)  # all reports
    panel.heat_days.setCurrentIndex(1)  # the last 7 days: asked of the backend
    qtbot.waitUntil(lambda: panel.map._heat_cells is not None, timeout=10_000)
    assert panel.map._heat_cells is not None
    x, y, weights = panel.map._heat_cells
    hx, hy = mercator(HERE[1], HERE[0])
    at_door = np.hypot(x - hx, y - hy) < CELL_DEG * 111_000 * 1.5
    assert weights[at_door].sum() == 4 and weights.sum() == 5
    assert "5" in panel.status.text()
    index = panel.heat.findData(other)  # one category: only its report
    panel.heat.setCurrentIndex(index)
    qtbot.waitUntil(
        lambda: panel.map._heat_cells is not None and panel.map._heat_cells[2].sum() == 1,
        timeout=10_000,
    )
    panel.heat_days.setCurrentIndex(0)  # the last day: from what the console holds
    assert _cells(panel.map) is None and panel.map.heat == (other,)
