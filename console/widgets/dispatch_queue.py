"""The dispatch queue panel: the incident table, and a banner whenever it may be out of date."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.link import LinkState
from console.models.dispatch_queue_model import Column, DispatchQueueModel
from console.widgets.link_status import link_state_text


class DispatchQueuePanel(QWidget):
    def __init__(self, model: DispatchQueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.title = QLabel(self.tr("Dispatch queue"))
        self.title.setObjectName("panelTitle")
        self.banner = QLabel()
        self.banner.setObjectName("staleBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (Column.NUMBER, 90),
            (Column.RECEIVED, 80),
            (Column.CATEGORY, 110),
            (Column.PLACE, 170),
            (Column.CHANNEL, 90),
            (Column.URGENCY, 70),
            (Column.STATE, 70),
            (Column.REPORTER, 80),
        ):
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)

    def show_link_state(self, state: LinkState, age: float) -> None:
        """Say so over the table whenever what it shows may not be current."""
        if state == LinkState.LIVE:
            self.banner.hide()
            return
        self.banner.setText(
            self.tr("The queue may be out of date: %1").replace("%1", link_state_text(state, age))
        )
        self.banner.show()
