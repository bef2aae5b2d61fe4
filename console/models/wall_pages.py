"""The wall's view of the queue: its 特急 cases always at the top, the rest a page at a time.

Scrolling the whole queue put the most urgent cases off the screen on every page but the first;
a page here holds as many whole rows as the table shows (none cut in half), and says which
page it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from console.models.dispatch_queue_model import DispatchQueueModel
from domain.incident import Urgency

_Index = QModelIndex | QPersistentModelIndex
PINNED = frozenset({Urgency.VERY_URGENT})


class WallPages(QAbstractTableModel):
    paged = Signal()  # the page, the page count or the pinned rows changed

    def __init__(self, source: DispatchQueueModel) -> None:
        super().__init__()
        self.source = source
        self.rows_per_page = 10
        self.page = 0
        self.pages = 1
        self.pinned = 0
        self._map: list[int] = []  # our row -> the source's
        source.modelReset.connect(self._remap)
        source.layoutChanged.connect(self._remap)
        source.rowsInserted.connect(self._remap)
        source.rowsRemoved.connect(self._remap)
        source.dataChanged.connect(self._on_data_changed)
        source.headerDataChanged.connect(self.headerDataChanged)

    def set_rows_per_page(self, rows: int) -> None:
        rows = max(1, rows)
        if rows != self.rows_per_page:
            self.rows_per_page = rows
            self._remap()

    def next_page(self) -> None:
        self.page = (self.page + 1) % self.pages
        self._remap()

    def _remap(self) -> None:
        """The pinned cases first (at most half a page: a flood of them still leaves room for
        the rest to pass), then the page's share of the others. The wall's order puts open
        cases first by urgency, so the pinned ones lead: read until the first that is not."""
        n = self.source.rowCount()
        most = max(0, self.rows_per_page // 2)
        pinned = 0
        while pinned < min(n, most) and self.source.incident_at(pinned).urgency in PINNED:
            pinned += 1
        each = max(1, self.rows_per_page - pinned)
        self.pages = max(1, -(-(n - pinned) // each))
        self.page = min(self.page, self.pages - 1)
        first = pinned + self.page * each
        shown = [*range(pinned), *range(first, min(n, first + each))]
        if shown != self._map or pinned != self.pinned:
            self.beginResetModel()  # a wall has no selection to keep: a reset is plain
            self._map, self.pinned = shown, pinned
            self.endResetModel()
        self.paged.emit()

    def _on_data_changed(self) -> None:
        if self._map:
            last = self.index(len(self._map) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._map)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return self.source.columnCount()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self.source.headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._map):
            return None
        return self.source.data(self.source.index(self._map[index.row()], index.column()), role)

    def source_row(self, row: int) -> int:
        return self._map[row]
