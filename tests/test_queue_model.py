"""The queue's Qt model: coalesced flushes, its own sort and filter, a steady selection."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from console.models.dispatch_queue_model import (
    INCIDENT_ID_ROLE,
    Column,
    DispatchQueueModel,
    format_time_left,
)
from console.models.queue_order import QueueFilter
from domain.incident import IncidentState, Urgency
from tests.queue_data import TOWNSHIP, changed, incidents


def _model() -> DispatchQueueModel:
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    return model


def test_the_model_tester_passes_through_bursts_sorts_and_filters(
    qtbot: QtBot, qtmodeltester: Any
) -> None:
    model = _model()
    rng = random.Random(5)
    book = incidents(200, seed=5)
    model.replace_all(book[:100], seq=100)
    qtmodeltester.check(model, force_py=True)
    for k in range(10):  # inserts, changes, rows leaving the default (open) queue
        batch = [changed(i, rng) for i in rng.sample(model.book.all(), 20)]
        batch += book[100 + 10 * k : 110 + 10 * k]
        model.apply_batch(batch)
        model.flush()
    model.sort(Column.URGENCY, Qt.SortOrder.DescendingOrder)
    model.set_filter(QueueFilter(states=frozenset(IncidentState)))
    model.set_filter(QueueFilter(urgency=Urgency.URGENT))
    model.set_filter(QueueFilter(states=frozenset(IncidentState), text="SJ0000"))
    model.tick()
    assert model.rowCount() > 0


def test_a_burst_is_one_flush_and_every_update_reaches_the_model(qtbot: QtBot) -> None:
    model = _model()
    model.replace_all([], seq=0)
    flushes: list[int] = []
    model.flushed.connect(flushes.append)
    fresh = incidents(2000, seed=6)
    for k in range(0, 2000, 50):
        model.apply_batch(fresh[k : k + 50])
    assert flushes == [] and model.rowCount() == 0  # nothing painted yet
    qtbot.waitUntil(lambda: flushes != [], timeout=2000)
    assert flushes == [2000]
    assert model.rowCount() == 2000 and model.updates_applied == 2000


def test_the_selection_follows_its_incident_while_rows_move(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTableView

    model = _model()
    rng = random.Random(7)
    model.replace_all(incidents(300, seed=7), seq=300)
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    row = 150
    chosen = model.index(row, 0).data(INCIDENT_ID_ROLE)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.selectionModel().setCurrentIndex(model.index(row, 0), flags)
    for _ in range(5):
        others = [i for i in model.book.all() if i.id != chosen]
        model.apply_batch([changed(i, rng) for i in rng.sample(others, 40)])
        model.flush()
        current = view.selectionModel().currentIndex()
        assert current.isValid() and current.data(INCIDENT_ID_ROLE) == chosen
        selected = view.selectionModel().selectedRows()
        assert [i.data(INCIDENT_ID_ROLE) for i in selected] == [chosen]
    assert model.row_of(chosen) != row  # it did move, and the selection went with it


def test_time_left_counts_down_and_says_overdue() -> None:
    assert format_time_left(3725) == "1:02:05"
    assert format_time_left(-65) == "overdue 0:01:05"
    assert format_time_left(2 * 86400 + 3 * 3600 + 5) == "2d 3h"
