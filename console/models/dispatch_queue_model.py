"""The dispatch queue as a Qt table over the console's incidents, sorted and filtered by itself.

Updates from the link change the book at once and are shown at most 25 times a second: one
flush moves the changed rows into place (QueueOrder) and tells the view in three steps that Qt
allows — new rows appended, one layout change that moves every row where it belongs (the
selection follows its incident), the rows that left removed from the end.
"""

from __future__ import annotations

import time
from dataclasses import replace
from enum import IntEnum
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from console import present
from console.labels import channel_label, level_label, state_label, urgency_label
from console.models.incident_book import IncidentBook
from console.models.queue_order import QueueFilter, QueueOrder, Slots, SortBy
from domain.deadlines import DeadlineRules, DeadlineStatus
from domain.incident import Incident, Urgency
from domain.map_geometry import placer
from domain.township import Township

INCIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DEADLINE_STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
URGENCY_COLOURS = {
    Urgency.URGENT: QColor("#f0a020"),
    Urgency.VERY_URGENT: QColor("#e04040"),
}
DEADLINE_COLOURS = {
    DeadlineStatus.WARNING: (QColor("#f0a020"), QColor("#000000")),
    DeadlineStatus.OVERDUE: (QColor("#d02828"), QColor("#ffffff")),
}
FLUSH_INTERVAL_MS = 40
"""At most 25 repaints a second, however many updates arrive."""

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    RECEIVED = 1
    CATEGORY = 2
    PLACE = 3
    CHANNEL = 4
    URGENCY = 5
    LEVEL = 6
    STATE = 7
    ASSIGNEE = 8
    TIME_LEFT = 9
    REPORTER = 10
    DESCRIPTION = 11


SORT_OF_COLUMN = {
    Column.NUMBER: SortBy.NUMBER,
    Column.RECEIVED: SortBy.RECEIVED,
    Column.CATEGORY: SortBy.CATEGORY,
    Column.PLACE: SortBy.PLACE,
    Column.CHANNEL: SortBy.CHANNEL,
    Column.URGENCY: SortBy.URGENCY,
    Column.LEVEL: SortBy.LEVEL,
    Column.STATE: SortBy.STATE,
    Column.ASSIGNEE: SortBy.ASSIGNEE,
    Column.TIME_LEFT: SortBy.TIME_LEFT,
}

_HEADERS = {
    Column.NUMBER: QT_TRANSLATE_NOOP("DispatchQueueModel", "No."),
    Column.RECEIVED: QT_TRANSLATE_NOOP("DispatchQueueModel", "Received"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("DispatchQueueModel", "Category"),
    Column.PLACE: QT_TRANSLATE_NOOP("DispatchQueueModel", "Village / grid"),
    Column.CHANNEL: QT_TRANSLATE_NOOP("DispatchQueueModel", "Channel"),
    Column.URGENCY: QT_TRANSLATE_NOOP("DispatchQueueModel", "Urgency"),
    Column.LEVEL: QT_TRANSLATE_NOOP("DispatchQueueModel", "Level"),
    Column.STATE: QT_TRANSLATE_NOOP("DispatchQueueModel", "State"),
    Column.ASSIGNEE: QT_TRANSLATE_NOOP("DispatchQueueModel", "Assigned to"),
    Column.TIME_LEFT: QT_TRANSLATE_NOOP("DispatchQueueModel", "Time left"),
    Column.REPORTER: QT_TRANSLATE_NOOP("DispatchQueueModel", "Reporter"),
    Column.DESCRIPTION: QT_TRANSLATE_NOOP("DispatchQueueModel", "Description"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DispatchQueueModel", text)


class DispatchQueueModel(QAbstractTableModel):
    flushed = Signal(int)  # how many incidents the flush brought in

    def __init__(
        self, book: IncidentBook | None = None, rules: DeadlineRules | None = None
    ) -> None:
        """`rules`: the township's deadline rules; they come with the township (`set_township`),
        and until then a case's status is only overdue or not."""
        super().__init__()
        self.book = book or IncidentBook()
        self.rules = rules
        self.order = QueueOrder()
        self._rows: Slots = np.zeros(0, dtype=np.int64)  # what the view has been told
        self._township: Township | None = None
        self._pending: dict[str, Incident] = {}
        self.in_flight: dict[str, str] = {}  # incident id -> the action waiting for an answer
        self.updates_applied = 0
        self._status: dict[str, DeadlineStatus | None] = {}  # per incident, until the next tick
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._italic = QFont()
        self._italic.setItalic(True)
        self.held = False
        """Rows keep their places (the mouse is over them): changes show in place, new cases
        join at the end, and the order is brought up to date when released."""
        self.held_new = 0  # cases that came in while held, at the end for now
        self.held_moves = False  # the order changed while held

    # --- feeding it -------------------------------------------------------------------------

    def set_township(self, township: Township, rules: DeadlineRules | None = None) -> None:
        """The township (and its deadline rules, when they came with it)."""
        self.beginResetModel()
        self._township = township
        self.order.place = placer(township)
        if rules is not None:
            self.rules = rules
            self._status.clear()
        self.order.filter = self._with_words(self.order.filter)
        self.order.rebuild(self.book.all())  # the names searched for are the township's
        self._rows = self.order.compute(time.time())
        self.endResetModel()

    def replace_all(self, incidents: list[Incident], seq: int) -> None:
        self.beginResetModel()
        self.book.replace_all(incidents, seq)
        self._pending.clear()
        self.order.rebuild(self.book.all())
        self._rows = self.order.compute(time.time())
        self.endResetModel()

    def remove(self, incident_ids: list[str]) -> None:
        """Cases out of the login's scope now (dispatched to another department): gone from
        the queue, as a new snapshot would have them."""
        gone = set(incident_ids)
        kept = [i for i in self.book.all() if i.id not in gone]
        if len(kept) != len(self.book):
            self.replace_all(kept, self.book.seq)

    def apply_batch(self, incidents: list[Incident]) -> list[Incident]:
        """Take a batch in (cheap); the view hears of it at the next flush. Returns the
        incidents this console had not seen before."""
        result = self.book.apply(incidents)
        for i in (*result.inserted, *result.changed):
            self._pending[i.id] = i
        self.updates_applied += len(incidents)
        if self._pending and not self._flush_timer.isActive():
            self._flush_timer.start()
        return result.inserted

    def set_in_flight(self, incident_id: str, action: str | None) -> None:
        """Mark a case as waiting for the backend's answer to `action` (None: answered)."""
        if action is None:
            self.in_flight.pop(incident_id, None)
        else:
            self.in_flight[incident_id] = action
        row = self.row_of(incident_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def flush(self) -> None:
        if not self._pending:
            return
        started = time.perf_counter()
        pending, self._pending = list(self._pending.values()), {}
        self.order.update(pending)
        self._status.clear()
        moved = self._show(self._in_place(self.order.compute(time.time())))
        if not moved and len(self._rows):  # same rows, new values (a layout change repaints)
            last = self.index(len(self._rows) - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        # A long flush (a huge queue) waits longer for the next: the GUI stays ≥ 80 % free.
        spent_ms = (time.perf_counter() - started) * 1000
        self._flush_timer.setInterval(max(FLUSH_INTERVAL_MS, int(4 * spent_ms)))
        self.flushed.emit(len(pending))

    def hold(self, held: bool) -> None:
        """Keep the rows in their places (True) or bring the order up to date (False)."""
        self.held = held
        if not held:
            self.held_new, self.held_moves = 0, False
            self._show(self.order.compute(time.time()))

    def _in_place(self, rows: Slots) -> Slots:
        """While held: the rows shown stay where they are (even one the filter now leaves
        out), new ones join at the end; how many moves wait is counted for the panel."""
        if not self.held:
            return rows
        old = self._rows
        added = rows[~np.isin(rows, old)]
        self.held_new += len(added)
        self.held_moves = self.held_moves or not np.array_equal(old, rows)
        return np.concatenate([old, added])

    def tick(self) -> None:
        """Each second: the countdowns move, and with "overdue only" rows come and go."""
        self._status.clear()
        if self.order.filter.overdue_only and not self.held:
            self._show(self.order.compute(time.time()))
        if len(self._rows):
            column = Column.TIME_LEFT
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    # --- sorting and filtering (ours, not a proxy's) ----------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        by = SORT_OF_COLUMN.get(Column(column)) if 0 <= column < len(Column) else None
        self.sort_by(by or SortBy.PRIORITY, order == Qt.SortOrder.DescendingOrder)

    def sort_by(self, by: SortBy, descending: bool = False) -> None:
        self.order.sort_by, self.order.descending = by, descending
        self._show(self.order.compute(time.time()))

    def set_filter(self, queue_filter: QueueFilter) -> None:
        self.order.filter = self._with_words(queue_filter)
        self._show(self.order.compute(time.time()))

    @property
    def queue_filter(self) -> QueueFilter:
        return self.order.filter

    def _with_words(self, f: QueueFilter) -> QueueFilter:
        t = self._township
        if t is None:
            return f
        words = {c.code: c.name for c in t.categories.values()}
        words.update({v.code: v.name for v in t.villages.values()})
        words.update({g.code: g.name for g in t.grids.values()})
        words.update({d.code: d.name for d in t.departments.values()})
        return replace(f, words=words)

    def _show(self, rows: Slots) -> bool:
        """Tell the view about the new rows in steps it understands; persistent indexes (the
        selection, the current row) follow their incidents. False when nothing moved."""
        old = self._rows
        if np.array_equal(old, rows):
            return False
        added = rows[~np.isin(rows, old)]
        removed = old[~np.isin(old, rows)]
        if len(added):
            first = len(old)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._rows = np.concatenate([old, added])
            self.endInsertRows()
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        followed = [(int(self._rows[p.row()]), p.column()) for p in persistent]
        self._rows = np.concatenate([rows, removed])
        moved = [self._index_of_slot(slot, column) for slot, column in followed]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        if len(removed):
            self.beginRemoveRows(QModelIndex(), len(rows), len(rows) + len(removed) - 1)
            self._rows = rows
            self.endRemoveRows()
        else:
            self._rows = rows
        return True

    def _index_of_slot(self, slot: int, column: int) -> QModelIndex:
        where = np.flatnonzero(self._rows == slot)
        return self.index(int(where[0]), column) if len(where) else QModelIndex()

    # --- reading it --------------------------------------------------------------------------

    def incident_at(self, row: int) -> Incident:
        incident = self.book.get(self.order.ids[int(self._rows[row])])
        assert incident is not None
        return incident

    def row_of(self, incident_id: str) -> int | None:
        slot = self.order.slot_of(incident_id)
        if slot is None:
            return None
        index = self._index_of_slot(slot, 0)
        return index.row() if index.isValid() else None

    def deadline_status(self, incident: Incident, now: float) -> DeadlineStatus | None:
        """The domain's rule (DeadlineRules.stage_status); before the rules came, overdue or
        on time only."""
        if self.rules is not None:
            return self.rules.stage_status(incident, now)
        if not incident.is_open or incident.stage_due is None:
            return None
        return DeadlineStatus.OVERDUE if now > incident.stage_due else DeadlineStatus.ON_TIME

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return _tr(str(_HEADERS[Column(section)]))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._value(self.incident_at(index.row()), Column(index.column()), role)

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        """Every role of a cell in one call. The view's delegate asks for 7 roles per cell, and
        each call into Python has to take the GIL: while the link thread decodes a burst, that
        wait is up to a switch interval per call, and a repaint of 7 calls a cell took 35-50 ms
        where one a cell takes a seventh of that."""
        span: Any = roleDataSpan  # PySide's stubs know neither len() nor [] on a span
        slots = (
            [span] if isinstance(span, QModelRoleData) else [span[k] for k in range(span.size())]
        )
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            for slot in slots:
                slot.clearData()
            return
        incident, column = self.incident_at(index.row()), Column(index.column())
        for slot in slots:
            value = self._value(incident, column, slot.role())
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)

    def _value(self, incident: Incident, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(incident, column)
        if column == Column.TIME_LEFT and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            DEADLINE_STATUS_ROLE,
        ):
            # Background and foreground ask for it per cell and repaint; once a second will do.
            if incident.id in self._status:
                status = self._status[incident.id]
            else:
                status = self._status[incident.id] = self.deadline_status(incident, time.time())
            if role == DEADLINE_STATUS_ROLE:
                return status
            colours = DEADLINE_COLOURS.get(status) if status else None
            if colours is None:
                return None
            return colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
        if role == Qt.ItemDataRole.ForegroundRole and column in (Column.URGENCY, Column.NUMBER):
            return URGENCY_COLOURS.get(incident.urgency)
        if role == Qt.ItemDataRole.FontRole and incident.id in self.in_flight:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            return incident.description
        if role == INCIDENT_ID_ROLE:
            return incident.id
        return None

    def _display(self, incident: Incident, column: Column) -> str:  # noqa: PLR0912 - a case a column
        t = self._township
        match column:
            case Column.NUMBER:
                return incident.display_number
            case Column.RECEIVED:
                return present.received(incident.received_at, time.time())
            case Column.CATEGORY:
                return present.category_name(t, incident.category)
            case Column.PLACE:
                return present.place_name(t, incident)
            case Column.CHANNEL:
                return channel_label(incident.channel)
            case Column.URGENCY:
                return urgency_label(incident.urgency)
            case Column.LEVEL:
                return level_label(incident.level)
            case Column.STATE:
                text = state_label(incident.state)
                return f"{text} …" if incident.id in self.in_flight else text
            case Column.ASSIGNEE:
                return present.department_name(t, incident.department)
            case Column.TIME_LEFT:
                if not incident.is_open or incident.stage_due is None:
                    return ""
                return present.time_left(incident.stage_due - time.time())
            case Column.REPORTER:
                return incident.reporter
            case Column.DESCRIPTION:
                return incident.description
