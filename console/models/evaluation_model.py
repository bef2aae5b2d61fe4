"""One evaluation (metric.evaluation) as a table: a row per department, platform, village, grid
or grid worker, sortable by any column (numbers sort as numbers, "no cases due" last). Villages,
grids and grid workers also have their patrol columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SERIES_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str  # text, count, rate, hours, score, series


COLUMNS = (
    Column("name", str(QT_TRANSLATE_NOOP("Evaluation", "Name")), "text"),
    Column("received", str(QT_TRANSLATE_NOOP("Evaluation", "Reports")), "count"),
    Column("due", str(QT_TRANSLATE_NOOP("Evaluation", "Due to close")), "count"),
    Column("closed", str(QT_TRANSLATE_NOOP("Evaluation", "Closed")), "count"),
    Column("on_time", str(QT_TRANSLATE_NOOP("Evaluation", "On time")), "count"),
    Column("closure_rate", str(QT_TRANSLATE_NOOP("Evaluation", "Closure rate")), "rate"),
    Column("on_time_rate", str(QT_TRANSLATE_NOOP("Evaluation", "On-time rate")), "rate"),
    Column("avg_hours_to_close", str(QT_TRANSLATE_NOOP("Evaluation", "Hours to close")), "hours"),
    Column("overdue", str(QT_TRANSLATE_NOOP("Evaluation", "Overdue stages")), "count"),
    Column("urged", str(QT_TRANSLATE_NOOP("Evaluation", "Urged")), "count"),
    Column("satisfaction", str(QT_TRANSLATE_NOOP("Evaluation", "Satisfaction")), "score"),
    Column("evaluations", str(QT_TRANSLATE_NOOP("Evaluation", "Evaluations")), "count"),
    Column("daily_closed", str(QT_TRANSLATE_NOOP("Evaluation", "Closed per day")), "series"),
)
PATROL_COLUMNS = (
    Column("patrols", str(QT_TRANSLATE_NOOP("Evaluation", "Patrols")), "count"),
    Column("patrol_days", str(QT_TRANSLATE_NOOP("Evaluation", "Days patrolled")), "count"),
    Column("patrol_day_rate", str(QT_TRANSLATE_NOOP("Evaluation", "Patrol day rate")), "rate"),
    Column("patrol_hours", str(QT_TRANSLATE_NOOP("Evaluation", "Patrol hours")), "hours"),
    Column("patrol_km", str(QT_TRANSLATE_NOOP("Evaluation", "Patrol km")), "hours"),
    Column("found_on_patrol", str(QT_TRANSLATE_NOOP("Evaluation", "Found on patrol")), "count"),
)


def columns_of(figures: dict[str, Any]) -> tuple[Column, ...]:
    """The patrol columns go before the per-day chart, which stays last, when rows have them."""
    rows = figures.get("rows") or []
    if rows and "patrols" in rows[0]:
        return COLUMNS[:-1] + PATROL_COLUMNS + COLUMNS[-1:]
    return COLUMNS


def title_of(column: Column) -> str:
    return QCoreApplication.translate("Evaluation", column.title)


def shown(value: Any, kind: str) -> str:
    """A cell as text (the table and the CSV say the same)."""
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.1%}"
    if kind in ("hours", "score"):
        return f"{value:.1f}"
    return str(value)


class EvaluationModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.figures: dict[str, Any] = {}
        self.columns: tuple[Column, ...] = COLUMNS

    def show_evaluation(self, figures: dict[str, Any], name_of: Callable[[str], str]) -> None:
        self.beginResetModel()
        self.figures = figures
        self.columns = columns_of(figures)
        self.rows = [{**row, "name": name_of(row["value"])} for row in figures["rows"]]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return title_of(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self.rows[index.row()].get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.kind == "series" else shown(value, column.kind)
        if role == SORT_ROLE:
            if column.kind == "text":
                return str(value)
            if column.kind == "series":
                return float(sum(value or []))
            return float("-inf") if value is None else float(value)
        if role == SERIES_ROLE and column.kind == "series":
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def table(self) -> tuple[tuple[Column, ...], list[str], list[list[Any]]]:
        """Columns, headers and raw values for export (rates as fractions, the series as its
        sum)."""
        headers = [title_of(c) for c in self.columns]
        out = []
        for row in self.rows:
            values = [row.get(c.key) for c in self.columns]
            values[-1] = sum(values[-1] or [])
            out.append(values)
        return self.columns, headers, out
