"""The dispatch queue panel: filters (desk), the urgent-case alert, the table, and a banner
whenever it may be out of date. On the wall it scrolls by itself when longer than the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.labels import channel_label, level_label, state_label, urgency_label
from console.link_state import LinkState
from console.models.dispatch_queue_model import Column, DispatchQueueModel
from console.models.wall_pages import WallPages
from console.widgets.queue_filter_bar import QueueFilterBar
from console.widgets.stale_banner import StaleBanner
from console.widgets.urgent_alert import UrgentAlert
from domain.incident import Channel, IncidentState, Level, Urgency

COLUMN_SAMPLES = {
    Column.NUMBER: "SJ000000",
    Column.RECEIVED: "12-03 00:00",  # 昨天 or the date before an earlier day's time
    Column.CATEGORY: "出租房消防隐患",
    Column.PLACE: "王坞村 / 第二网格",
    Column.REPORTER: "群众陈某某",
    Column.ASSIGNEE: "综合行政执法队",
    Column.TIME_LEFT: "超时 0:00:00",
}
WALL_SCROLL_MS = 6000
"""On the wall, a page of the queue stays this long before the next one scrolls in."""


class DispatchQueuePanel(QWidget):
    def __init__(
        self,
        model: DispatchQueueModel,
        wall: bool = False,
        user: str = "",
        sound: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.wall = wall
        self.filters = QueueFilterBar(user)
        self.filters.filter_changed.connect(model.set_filter)
        self.filters.setVisible(not wall)
        self.alert = UrgentAlert(sound=sound)
        self.title = QLabel(self.tr("Dispatch queue"))
        self.title.setObjectName("panelTitle")
        self.banner = StaleBanner(self.tr("The queue may be out of date: %1"))
        self.table = QTableView()
        self.pages = WallPages(model) if wall else None
        self.table.setModel(self.pages or model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Fixed row heights: otherwise, after some layout changes, the hidden row header asks
        # the model for every row's header (380,000 calls, 0.6 s with 100,000 incidents).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSortingEnabled(not wall)  # the model sorts itself; the wall keeps priority
        if not wall:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
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
        self.hold_note = QLabel()
        self.hold_note.setObjectName("holdNote")
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.hold_note)  # beside the title: showing it moves no row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(heading)
        layout.addWidget(self.filters)
        layout.addWidget(self.alert)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        self._scroll_timer = QTimer(self)
        self._scroll_timer.timeout.connect(self.scroll_a_page)
        if self.pages is not None:
            self._scroll_timer.start(WALL_SCROLL_MS)
            self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            # No keyboard focus on the wall: its first row read as chosen on every page.
            self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.pages.paged.connect(self._show_page)
            self.table.viewport().installEventFilter(self)  # its height sets the page's rows
        else:
            # Rows stay still under the mouse (a click landed on the case that had just moved
            # into its place), and the chosen case stays in view when the order changes.
            self.table.viewport().installEventFilter(self)
            model.layoutChanged.connect(lambda: QTimer.singleShot(0, self._keep_current_in_view))
            model.flushed.connect(lambda _n: self._show_hold())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.pages is not None:
            if event.type() == QEvent.Type.Resize:
                self._fit_page()
        elif event.type() == QEvent.Type.Enter:
            self.model.hold(True)
            self._show_hold()
        elif event.type() == QEvent.Type.Leave:
            self.model.hold(False)
            self._show_hold()
        return super().eventFilter(watched, event)

    def _show_hold(self) -> None:
        m = self.model
        if not m.held or not (m.held_new or m.held_moves):
            self.hold_note.clear()
        elif m.held_new:
            text = self.tr("Order paused under the mouse: %n new at the end", "", m.held_new)
            self.hold_note.setText(text)
        else:
            self.hold_note.setText(self.tr("Order paused under the mouse"))

    def _keep_current_in_view(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def show_row(self, row: int) -> None:
        """Make a row of the queue model the current one (a case chosen on the map); on the
        wall, whose pages turn by themselves, nothing is chosen."""
        if self.pages is not None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def source_row(self, row: int) -> int:
        """The queue model's row of a row of the table (on the wall, of the page shown)."""
        return row if self.pages is None else self.pages.source_row(row)

    def scroll_a_page(self) -> None:
        """The next page of the queue, the first after the last: the whole queue passes on
        the wall, however long it is, its 特急 cases on every page."""
        if self.pages is not None:
            self._fit_page()
            self.pages.next_page()

    def _fit_page(self) -> None:
        """As many whole rows as the table shows: none cut in half at the bottom."""
        if self.pages is None:
            return
        row = self.table.verticalHeader().defaultSectionSize()
        self.pages.set_rows_per_page(self.table.viewport().height() // max(1, row))

    def _show_page(self) -> None:
        pages = self.pages
        if pages is None or pages.pages <= 1:
            self.hold_note.clear()
            return
        text = self.tr("Page %1 of %2").replace("%1", str(pages.page + 1))
        self.hold_note.setText(text.replace("%2", str(pages.pages)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()
        self._fit_page()

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
            Column.LEVEL: max(map(level_label, Level), key=metrics.horizontalAdvance),
        }
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), header_metrics.horizontalAdvance(title))
            header.resizeSection(column, width + 24)

    def show_link_state(self, state: LinkState, age: float) -> None:
        self.banner.show_link_state(state, age)
