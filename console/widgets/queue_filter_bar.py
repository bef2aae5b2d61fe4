"""The supervisor's filters over the dispatch queue: one row of combos, two checks and a search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from console.labels import level_label, state_label, urgency_label
from console.models.queue_order import QueueFilter
from domain.incident import IncidentState, Level, Urgency
from domain.township import Township

_OPEN = "open"
_ALL = "all"


class QueueFilterBar(QWidget):
    filter_changed = Signal(object)  # QueueFilter
    area_cleared = Signal()  # the map's area, cleared here: the map forgets it too

    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.state = QComboBox()
        self.state.addItem(self.tr("Open cases"), _OPEN)
        self.state.addItem(self.tr("All states"), _ALL)
        for s in IncidentState:
            self.state.addItem(state_label(s), s)
        self.urgency = self._combo(self.tr("Any urgency"), [(urgency_label(u), u) for u in Urgency])
        self.level = self._combo(self.tr("Any level"), [(level_label(v), v) for v in Level])
        self.platform = self._combo(self.tr("Any platform"), [])
        self.department = self._combo(self.tr("Any department"), [])
        self.category = self._combo(self.tr("Any category"), [])
        self.village = self._combo(self.tr("Any village"), [])
        self.overdue = QCheckBox(self.tr("Overdue"))
        self.mine = QCheckBox(self.tr("Mine"))
        self.mine.setToolTip(
            self.tr("Cases whose latest change was made by %1").replace("%1", user)
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search number, text, place, reporter…"))
        self.search.setClearButtonEnabled(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.state, self.urgency, self.level, self.platform, self.department,
            self.category, self.village, self.overdue, self.mine,
        ):  # fmt: skip
            layout.addWidget(w)
        layout.addWidget(self.search, 1)
        for combo in self.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self.mine.toggled.connect(self._emit)
        self.search.textChanged.connect(self._emit)
        self.area: tuple[float, float, float, float] | None = None
        """The map's chosen area (west, south, east, north), cleared there."""
        self.area_note = QPushButton(self.tr("Map area ✕"))
        self.area_note.setToolTip(self.tr("Only the cases in the area chosen on the map"))
        self.area_note.setVisible(False)
        self.area_note.clicked.connect(self._clear_area)
        layout.insertWidget(layout.count() - 1, self.area_note)

    def set_area(self, area: tuple[float, float, float, float] | None) -> None:
        if area == self.area:
            return
        self.area = area
        self.area_note.setVisible(area is not None)
        self._emit()

    def _clear_area(self) -> None:
        self.set_area(None)
        self.area_cleared.emit()

    def _combo(self, any_text: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def set_township(self, township: Township) -> None:
        for combo, items in (
            (self.platform, [(p.name, p.code) for p in township.platforms]),
            (self.department, [(d.name, d.code) for d in township.departments.values()]),
            (self.category, [(c.name, c.code) for c in township.categories.values()]),
            (self.village, [(v.name, v.code) for v in township.villages.values()]),
        ):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, code in items:
                combo.addItem(text, code)
            combo.blockSignals(False)

    def current(self) -> QueueFilter:
        state = self.state.currentData()
        states = (
            None
            if state == _OPEN
            else frozenset(IncidentState)
            if state == _ALL
            else frozenset({IncidentState(state)})
        )
        return QueueFilter(
            states=states,
            platform=self.platform.currentData(),
            department=self.department.currentData(),
            village=self.village.currentData(),
            category=self.category.currentData(),
            urgency=self.urgency.currentData(),
            level=self.level.currentData(),
            overdue_only=self.overdue.isChecked(),
            mine=self.user if self.mine.isChecked() else None,
            text=self.search.text().strip(),
            area=self.area,
        )

    def _emit(self) -> None:
        self.filter_changed.emit(self.current())
