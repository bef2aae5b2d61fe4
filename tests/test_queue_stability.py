"""Rows stay still under the mouse and the chosen case stays in view (issue 20, item 3): a
click once landed on SJ000003 instead of SJ000002 as the live re-sort and the urgent bar
pushed rows down, and after 受理 the chosen row jumped out of view."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPointF
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.models.dispatch_queue_model import DispatchQueueModel
from console.widgets.dispatch_queue import DispatchQueuePanel
from domain.incident import Incident, Urgency
from tests.queue_data import NOW, TOWNSHIP, incidents


@pytest.fixture
def panel(qtbot: QtBot) -> DispatchQueuePanel:
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    cases = [dataclasses.replace(i, urgency=Urgency.NORMAL) for i in incidents(60, seed=8)]
    model.replace_all(cases, seq=60)
    panel = DispatchQueuePanel(model)
    panel.alert.township = TOWNSHIP
    qtbot.addWidget(panel)
    panel.resize(1200, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _choose(panel: DispatchQueuePanel, row: int) -> Incident:
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    panel.table.selectionModel().setCurrentIndex(panel.model.index(row, 0), flags)
    return panel.model.incident_at(row)


def _chosen(panel: DispatchQueuePanel) -> Incident:
    return panel.model.incident_at(panel.table.currentIndex().row())


def _mouse(panel: DispatchQueuePanel, inside: bool) -> None:
    viewport = panel.table.viewport()
    if inside:
        QApplication.sendEvent(viewport, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    else:
        QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))


def _in_view(panel: DispatchQueuePanel) -> bool:
    rect = panel.table.visualRect(panel.table.currentIndex())
    return rect.isValid() and panel.table.viewport().rect().contains(rect)


def _urgent_newcomer(number: int) -> Incident:
    (fresh,) = incidents(1, seed=99, start=number)
    return dataclasses.replace(fresh, urgency=Urgency.VERY_URGENT, received_at=NOW)


def test_rows_keep_their_places_under_the_mouse(qtbot: QtBot, panel: DispatchQueuePanel) -> None:
    model = panel.model
    chosen = _choose(panel, 2)
    before = [model.incident_at(r).id for r in range(model.rowCount())]
    _mouse(panel, inside=True)
    newcomer = _urgent_newcomer(61)  # sorts first: it would push every row down
    model.apply_batch([newcomer])
    model.flush()
    assert [model.incident_at(r).id for r in range(len(before))] == before
    assert model.row_of(newcomer.id) == len(before), "a new case waits at the end"
    assert _chosen(panel).id == chosen.id and panel.hold_note.text()
    _mouse(panel, inside=False)
    assert model.row_of(newcomer.id) == 0, "the order is brought up to date on leaving"
    assert _chosen(panel).id == chosen.id and not panel.hold_note.text()


def test_the_chosen_case_stays_in_view_when_it_moves(
    qtbot: QtBot, panel: DispatchQueuePanel
) -> None:
    model = panel.model
    chosen = _choose(panel, 1)
    assert _in_view(panel)
    later = dataclasses.replace(chosen, version=chosen.version + 1, stage_due=NOW + 30 * 86_400)
    model.apply_batch([later])  # its deadline moved far: it sorts to the bottom
    model.flush()
    assert (model.row_of(chosen.id) or 0) > 40
    qtbot.waitUntil(lambda: _in_view(panel), timeout=3000)
    assert _chosen(panel).id == chosen.id


def test_an_urgent_bar_moves_no_row_and_keeps_to_one_line(
    qtbot: QtBot, panel: DispatchQueuePanel
) -> None:
    table_top = panel.table.mapTo(panel, panel.table.rect().topLeft()).y()
    bar_height = panel.alert.height()
    panel.alert.notify([_urgent_newcomer(100 + k) for k in range(14)])
    qtbot.waitUntil(lambda: panel.alert.active, timeout=1000)
    QApplication.processEvents()
    assert panel.table.mapTo(panel, panel.table.rect().topLeft()).y() == table_top
    assert panel.alert.height() == bar_height
    text = panel.alert.text.text()
    metrics = panel.alert.text.fontMetrics()
    assert metrics.horizontalAdvance(text) <= panel.alert.text.width(), "one line"
    assert "SJ" in text
