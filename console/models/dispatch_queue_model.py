"""The dispatch queue as a Qt table: a thin adapter over IncidentBook, newest first.

A batch from the link becomes one beginInsertRows/endInsertRows pair, never one per incident.
"""

from __future__ import annotations

import time
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from console.labels import channel_label, state_label, urgency_label
from console.models.incident_book import IncidentBook
from domain.incident import Incident, Urgency
from domain.township import Township

INCIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
URGENCY_COLOURS = {
    Urgency.URGENT: QColor("#f0a020"),
    Urgency.VERY_URGENT: QColor("#e04040"),
}

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    RECEIVED = 1
    CATEGORY = 2
    PLACE = 3
    CHANNEL = 4
    URGENCY = 5
    STATE = 6
    REPORTER = 7
    DESCRIPTION = 8


_HEADERS = {
    Column.NUMBER: QT_TRANSLATE_NOOP("DispatchQueueModel", "No."),
    Column.RECEIVED: QT_TRANSLATE_NOOP("DispatchQueueModel", "Received"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("DispatchQueueModel", "Category"),
    Column.PLACE: QT_TRANSLATE_NOOP("DispatchQueueModel", "Village / grid"),
    Column.CHANNEL: QT_TRANSLATE_NOOP("DispatchQueueModel", "Channel"),
    Column.URGENCY: QT_TRANSLATE_NOOP("DispatchQueueModel", "Urgency"),
    Column.STATE: QT_TRANSLATE_NOOP("DispatchQueueModel", "State"),
    Column.REPORTER: QT_TRANSLATE_NOOP("DispatchQueueModel", "Reporter"),
    Column.DESCRIPTION: QT_TRANSLATE_NOOP("DispatchQueueModel", "Description"),
}


class DispatchQueueModel(QAbstractTableModel):
    def __init__(self, book: IncidentBook | None = None) -> None:
        super().__init__()
        self.book = book or IncidentBook()
        self._township: Township | None = None

    def set_township(self, township: Township) -> None:
        self.beginResetModel()
        self._township = township
        self.endResetModel()

    def replace_all(self, incidents: list[Incident], seq: int) -> None:
        self.beginResetModel()
        self.book.replace_all(incidents, seq)
        self.endResetModel()

    def apply_batch(self, incidents: list[Incident]) -> None:
        seen: set[str] = set()
        new = 0
        for i in incidents:
            if self.book.get(i.id) is None and i.id not in seen:
                seen.add(i.id)
                new += 1
        if new:
            self.beginInsertRows(QModelIndex(), 0, new - 1)
        result = self.book.apply(incidents)
        if new:
            self.endInsertRows()
        if result.changed:  # one signal per batch, spanning the rows that changed
            rows = [self._row_of(i.id) for i in result.changed]
            last_column = len(Column) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last_column))

    def incident_at(self, row: int) -> Incident:
        return self.book.at(len(self.book) - 1 - row)

    def _row_of(self, incident_id: str) -> int:
        return len(self.book) - 1 - self.book.index_of(incident_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.book)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return QCoreApplication.translate("DispatchQueueModel", str(_HEADERS[Column(section)]))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.book):
            return None
        incident = self.incident_at(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(incident, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (Column.URGENCY, Column.NUMBER):
            return URGENCY_COLOURS.get(incident.urgency)
        if role == Qt.ItemDataRole.ToolTipRole:
            return incident.description
        if role == INCIDENT_ID_ROLE:
            return incident.id
        return None

    def _display(self, incident: Incident, column: Column) -> str:
        t = self._township
        match column:
            case Column.NUMBER:
                return incident.display_number
            case Column.RECEIVED:
                return time.strftime("%H:%M:%S", time.localtime(incident.received_at))
            case Column.CATEGORY:
                cat = t.categories.get(incident.category) if t else None
                return cat.name if cat else incident.category
            case Column.PLACE:
                return self._place(incident)
            case Column.CHANNEL:
                return channel_label(incident.channel)
            case Column.URGENCY:
                return urgency_label(incident.urgency)
            case Column.STATE:
                return state_label(incident.state)
            case Column.REPORTER:
                return incident.reporter
            case Column.DESCRIPTION:
                return incident.description

    def _place(self, incident: Incident) -> str:
        t = self._township
        if t is None:
            return incident.village
        village = t.villages.get(incident.village)
        grid = t.grids.get(incident.grid) if incident.grid else None
        name = village.name if village else incident.village
        return f"{name} / {grid.name.removeprefix(name)}" if grid else name
