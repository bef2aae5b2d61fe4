"""A red bar for new urgent cases that stays until a duty officer acknowledges it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from console import present
from console.labels import urgency_label
from domain.incident import Incident, Urgency
from domain.township import Township

ALERTING = frozenset({Urgency.URGENT, Urgency.VERY_URGENT})
SHOWN = 4
"""Cases named in the bar; more are counted."""


class UrgentAlert(QFrame):
    acknowledged = Signal(list)  # the incident ids acknowledged

    def __init__(self, sound: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgentAlert")
        self.sound = sound
        self.township: Township | None = None
        self.waiting: list[Incident] = []
        self.text = QLabel()
        self.text.setObjectName("urgentAlertText")
        self.text.setWordWrap(True)
        self.button = QPushButton(self.tr("Acknowledge"))
        self.button.clicked.connect(self.acknowledge)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def notify(self, new: list[Incident]) -> None:
        """Called with newly reported incidents; the urgent ones raise the alert."""
        urgent = [i for i in new if i.urgency in ALERTING]
        if not urgent:
            return
        self.waiting += urgent
        self._show()
        if self.sound:
            QApplication.beep()

    def acknowledge(self) -> None:
        ids = [i.id for i in self.waiting]
        self.waiting = []
        self.hide()
        self.acknowledged.emit(ids)

    def _show(self) -> None:
        t = self.township
        names = []
        for i in self.waiting[-SHOWN:][::-1]:
            category = present.category_name(t, i.category)
            place = present.place_name(t, i)
            names.append(f"{i.display_number} {urgency_label(i.urgency)} {category} · {place}")
        more = len(self.waiting) - len(names)
        text = self.tr("New urgent cases: %1").replace("%1", "；".join(names))
        if more > 0:
            text += " " + self.tr("and %1 more").replace("%1", str(more))
        self.text.setText(text)
        self.show()
