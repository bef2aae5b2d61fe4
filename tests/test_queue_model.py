"""The queue's Qt model: coalesced flushes, its own sort and filter, a steady selection."""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from console.models.dispatch_queue_model import (
    INCIDENT_ID_ROLE,
    Column,
    DispatchQueueModel,
)
from console.models.queue_order import QueueFilter
from domain.incident import IncidentState, Urgency
from tests.queue_data import TOWNSHIP, changed, incidents


def _model() -> DispatchQueueModel:
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    return model


@pytest.mark.slow
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


class _RoleByRole(DispatchQueueModel):
    """The same model answering the view one role a call, as Qt's default multiData does."""

    def multiData(self, index: Any, roleDataSpan: Any) -> None:  # noqa: N803
        for k in range(roleDataSpan.size()):
            slot = roleDataSpan[k]
            value = self.data(index, slot.role())
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)


def test_all_roles_in_one_call_paint_what_role_by_role_paints(qtbot: QtBot) -> None:
    """multiData answers every role of a cell at once; the pixels must not change for it."""
    rng = random.Random(8)
    # Whole-second deadlines: the countdowns then change only as the clock's second does.
    book = [changed(i, rng) for i in incidents(60, seed=8)]
    book = [dataclasses.replace(i, stage_due=i.stage_due and round(i.stage_due)) for i in book]
    models = []
    for model in (_model(), _RoleByRole()):
        model.set_township(TOWNSHIP)
        model.replace_all(book, seq=60)
        model.set_in_flight(book[0].id, "dispatch")  # italic and "…" on one row
        models.append(model)
    view = QTableView()  # one view, shown once: focus and palette the same for both pictures
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus frame on the first model's cell
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    images: list[QImage] = []
    for _attempt in range(5):  # both within one second of the clock, so the countdowns agree
        second = int(time.time())
        images = []
        for model in models:
            view.setModel(model)
            model.tick()
            qtbot.wait(10)  # the scroll bar comes and the viewport takes its size
            images.append(view.viewport().grab().toImage())
        if int(time.time()) == second:
            break
    assert images[0].size() == images[1].size()
    assert images[0] == images[1]
    # and the picture has the colours the roles give (red or amber countdowns, urgency)
    colours = {images[0].pixel(x, y) for x in range(0, images[0].width(), 7)
               for y in range(0, images[0].height(), 7)}  # fmt: skip
    assert len(colours) > 4


def test_cases_that_left_the_scope_are_gone_and_the_rest_stay_in_order(qtbot: QtBot) -> None:
    """`incident.left` (a case dispatched to another department) takes the row away at once,
    as a new snapshot would; a case the book never had changes nothing."""
    model = _model()
    book = incidents(40, seed=3)
    model.replace_all(book, seq=40)
    before = [model.incident_at(r).id for r in range(model.rowCount())]
    gone = {book[5].id, book[17].id}
    model.remove([*gone, "not-a-case"])
    after = [model.incident_at(r).id for r in range(model.rowCount())]
    assert after == [i for i in before if i not in gone]
    assert model.book.seq == 40
