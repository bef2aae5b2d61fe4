"""The dispatch queue panel: the incident table, and a banner whenever it may be out of date."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.labels import channel_label, state_label, urgency_label
from console.link import LinkState
from console.models.dispatch_queue_model import Column, DispatchQueueModel
from console.widgets.stale_banner import StaleBanner
from domain.incident import Channel, IncidentState, Urgency

COLUMN_SAMPLES = {
    Column.NUMBER: "SJ000000",
    Column.RECEIVED: "00:00:00",
    Column.CATEGORY: "出租房消防隐患",
    Column.PLACE: "王坞村 / 第二网格",
    Column.REPORTER: "群众陈某某",
}


class DispatchQueuePanel(QWidget):
    def __init__(self, model: DispatchQueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.title = QLabel(self.tr("Dispatch queue"))
        self.title.setObjectName("panelTitle")
        self.banner = StaleBanner(self.tr("The queue may be out of date: %1"))
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Widths from the font in use (the wall's is large) and a typical value, not from the
        rows: ResizeToContents would measure every row on every change."""
        self.table.ensurePolished()
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header_metrics = header.fontMetrics()
        samples = {
            **COLUMN_SAMPLES,
            Column.CHANNEL: max(map(channel_label, Channel), key=metrics.horizontalAdvance),
            Column.URGENCY: max(map(urgency_label, Urgency), key=metrics.horizontalAdvance),
            Column.STATE: max(map(state_label, IncidentState), key=metrics.horizontalAdvance),
        }
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), header_metrics.horizontalAdvance(title))
            header.resizeSection(column, width + 24)

    def show_link_state(self, state: LinkState, age: float) -> None:
        self.banner.show_link_state(state, age)
