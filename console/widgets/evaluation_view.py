"""The desk's evaluation view (考核): pick who (departments, platforms, villages, grid workers)
and when (a day, a week, a month, or any dates), read a sortable table with a small chart of
each row's closings per day, and export it for the monthly assessment meeting.

The backend computes the figures for the period on request (metric.evaluation); the view
never counts incidents itself, so the desk and the meeting read the same numbers.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.evaluation_export import export
from console.models.evaluation_model import COLUMNS, SERIES_ROLE, SORT_ROLE, EvaluationModel
from console.refusal_words import refusal_text
from console.request_port import PendingReply, RequestPort
from domain.township import Township
from domain.wire import Message, MsgType

PERIODS = ("day", "week", "month", "last_month", "custom")
EVALUATION_TIMEOUT_S = 30.0


def period_bounds(
    kind: str, today: dt.date, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date]:
    """The first day and the day after the last of a period containing `today` (or the
    custom `first`..`last`, both included)."""
    if kind == "day":
        return today, today + dt.timedelta(days=1)
    if kind == "week":  # Monday to Sunday
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if kind == "month":
        start = today.replace(day=1)
        return start, (start + dt.timedelta(days=32)).replace(day=1)
    if kind == "last_month":
        end = today.replace(day=1)
        return (end - dt.timedelta(days=1)).replace(day=1), end
    if kind == "custom":
        return min(first, last), max(first, last) + dt.timedelta(days=1)
    raise ValueError(kind)


class DailyBars(QStyledItemDelegate):
    """A row's closings per day as small bars in its cell: the chart per row."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        series = index.data(SERIES_ROLE)
        if not series:
            return
        top = max(series) or 1
        rect = QRectF(option.rect).adjusted(3, 3, -3, -3)
        width = rect.width() / len(series)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#4aa3ff"))
        for k, n in enumerate(series):
            h = rect.height() * n / top
            painter.drawRect(
                QRectF(rect.left() + k * width, rect.bottom() - h, max(1.0, width - 1), h)
            )
        painter.restore()


class EvaluationView(QWidget):
    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.township: Township | None = None
        self.dimension = QComboBox()
        for key, text in (
            ("department", self.tr("Departments")),
            ("platform", self.tr("Platforms")),
            ("village", self.tr("Villages")),
            ("grid", self.tr("Grids")),
            ("grid_worker", self.tr("Grid workers")),
        ):
            self.dimension.addItem(text, key)
        self.period = QComboBox()
        for key, text in zip(
            PERIODS,
            (self.tr("Today"), self.tr("This week"), self.tr("This month"), self.tr("Last month"),
             self.tr("Dates…")),
            strict=True,
        ):  # fmt: skip
            self.period.addItem(text, key)
        self.period.setCurrentIndex(PERIODS.index("month"))
        today = present.today(time.time())  # the township's day, not this machine's
        week_ago = today - dt.timedelta(days=6)
        self.first = QDateEdit(QDate(week_ago.year, week_ago.month, week_ago.day))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.query = QPushButton(self.tr("Show"))
        self.to_csv = QPushButton(self.tr("Export CSV"))
        self.to_xlsx = QPushButton(self.tr("Export XLSX"))
        self.status = QLabel("")
        self.status.setObjectName("evaluationStatus")
        self._build_table()
        pickers = QHBoxLayout()
        for w in (self.dimension, self.period, self.first, QLabel("–"), self.last, self.query):
            pickers.addWidget(w)
        pickers.addStretch(1)
        pickers.addWidget(self.to_csv)
        pickers.addWidget(self.to_xlsx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(pickers)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

        self._asked: PendingReply | None = None
        """The newest question: an answer overtaken by a newer question is not shown."""
        self.title = ""
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.query.clicked.connect(self.ask)
        self.dimension.currentIndexChanged.connect(self.ask)
        self.to_csv.clicked.connect(lambda: self._ask_export(".csv"))
        self.to_xlsx.clicked.connect(lambda: self._ask_export(".xlsx"))
        self.setEnabled(False)  # until a login that may ask is in (the window says so)
        self._on_period_changed()
        self._enable_export()

    def _build_table(self) -> None:
        self.model = EvaluationModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index(next(c for c in COLUMNS if c.key == "on_time_rate")),
                                Qt.SortOrder.AscendingOrder)  # fmt: skip
        self._daily_bars = DailyBars(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)

    def set_township(self, township: Township) -> None:
        self.township = township

    def _on_period_changed(self) -> None:
        """The date fields always show the period asked for (they read a week while the
        label said this month)."""
        custom = self.period.currentData() == "custom"
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)
        if not custom:
            first, after = self.bounds()
            last = after - dt.timedelta(days=1)
            for edit, day in ((self.first, first), (self.last, last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
            self.ask()

    def changeEvent(self, event: QEvent) -> None:
        """Asked as soon as a login may ask: the dock read "0 rows" until 查询 was pressed."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange and self.isEnabled():
            self.ask()

    def bounds(self) -> tuple[dt.date, dt.date]:
        return period_bounds(
            str(self.period.currentData()),
            present.today(time.time()),
            self.first.date().toPython(),  # type: ignore[arg-type]
            self.last.date().toPython(),  # type: ignore[arg-type]
        )

    def ask(self) -> None:
        if not self.isEnabled():  # not the login's to ask (a handler's desk): nothing is sent
            return
        first, after = self.bounds()
        body = {
            "dimension": self.dimension.currentData(),
            "start": present.day_start(first),
            "end": present.day_start(after),
        }
        last = after - dt.timedelta(days=1)
        days = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
        self.title = f"{self.dimension.currentText()} · {days}"
        pending = self._asked = self.port.request(
            MsgType.EVALUATION_REQUEST, body, timeout=EVALUATION_TIMEOUT_S
        )
        pending.answered.connect(lambda reply: self._on_answered(pending, reply))
        pending.refused.connect(lambda code, detail: self._on_refused(pending, code, detail))
        self.status.setText(self.tr("Asking the backend for %1…").replace("%1", self.title))

    def _on_refused(self, pending: PendingReply, code: str, detail: str) -> None:
        if pending is self._asked:
            self._asked = None
            self.status.setText(
                self.tr("Not evaluated: %1").replace("%1", refusal_text(code, detail))
            )

    def _on_answered(self, pending: PendingReply, reply: Message) -> None:
        if pending is not self._asked:
            return  # overtaken by a newer question
        self._asked = None
        self.model.show_evaluation(reply.body, self._name_of(str(reply.body["dimension"])))
        for k in range(self.model.columnCount()):  # the per-day chart is last, wherever that is
            last = k == self.model.columnCount() - 1
            self.table.setItemDelegateForColumn(k, self._daily_bars if last else None)  # type: ignore[arg-type]
        self.table.resizeColumnsToContents()
        rows = self.model.rowCount()
        text = self.tr("%1: %2 rows") if rows else self.tr("%1: nothing in this period yet")
        self.status.setText(text.replace("%1", self.title).replace("%2", str(rows)))
        self._enable_export()

    def _name_of(self, dim: str) -> Any:
        t = self.township

        def name(code: str) -> str:
            if t is None:
                return code
            if dim == "department" and code in t.departments:
                return t.departments[code].name
            if dim == "village" and code in t.villages:
                return t.villages[code].name
            if dim == "grid" and code in t.grids:
                return t.grids[code].name
            if dim == "platform":
                return next((p.name for p in t.platforms if p.code == code), code)
            return code

        return name

    def _enable_export(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.to_csv.setEnabled(has_rows)
        self.to_xlsx.setEnabled(has_rows)

    def export(self, path: Path) -> None:
        columns, headers, rows = self.model.table()
        export(path, self.title, columns, headers, rows)
        self.status.setText(self.tr("Saved %1").replace("%1", str(path)))

    def _ask_export(self, suffix: str) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"考核-{self.title.replace(' · ', '-').replace(' – ', '-')}{suffix}"
        kind = "Excel (*.xlsx)" if suffix == ".xlsx" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export"), str(Path(folder) / name), kind
        )
        if not path:
            return
        try:
            self.export(Path(path))
        except (OSError, ValueError) as e:
            self.status.setText(self.tr("Not saved: %1").replace("%1", str(e)))
