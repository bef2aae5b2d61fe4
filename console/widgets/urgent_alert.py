"""A red bar for new urgent cases that stays until a duty officer acknowledges it.

Its line is always there, calm when nothing waits: a bar that appeared pushed the queue's rows
down under the mouse. One line, however many wait: the newest named, the rest counted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from console import present
from console.labels import urgency_label
from domain.incident import Incident, Urgency
from domain.township import Township

ALERTING = frozenset({Urgency.URGENT, Urgency.VERY_URGENT})
SHOWN = 3
"""Cases named in the bar at most (as many as its one line holds); more are counted."""


class UrgentAlert(QFrame):
    acknowledged = Signal(list)  # the incident ids acknowledged

    def __init__(self, sound: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgentAlert")
        self.sound = sound
        self.township: Township | None = None
        self.waiting: list[Incident] = []
        self._names: list[str] = []  # the waiting cases in words, newest first
        self.text = QLabel()
        self.text.setObjectName("urgentAlertText")
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton(self.tr("Acknowledge"))
        self.button.clicked.connect(self.acknowledge)
        keep = self.button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.button.setSizePolicy(keep)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self._calm()

    @property
    def active(self) -> bool:
        return bool(self.waiting)

    def _calm(self) -> None:
        self.setProperty("active", False)
        self.text.setText(self.tr("No new urgent case waiting"))
        self.text.setToolTip("")
        self.button.hide()
        self._restyle()

    def _restyle(self) -> None:
        for w in (self, self.text):
            w.style().unpolish(w)
            w.style().polish(w)

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
        self._calm()
        self.acknowledged.emit(ids)

    def _show(self) -> None:
        t = self.township
        names = []
        for i in self.waiting[-SHOWN:][::-1]:
            category = present.category_name(t, i.category)
            place = present.place_name(t, i)
            names.append(f"{i.display_number} {urgency_label(i.urgency)} {category} · {place}")
        self._names = names
        self.setProperty("active", True)
        self.button.show()
        self._fit()
        self._restyle()

    def _fit(self) -> None:
        """As many of the newest as the line holds, the rest counted: never a second line."""
        names = self._names
        room = max(0, self.text.width())
        metrics = self.text.fontMetrics()
        text = ""
        for shown in range(len(names), 0, -1):
            text = self.tr("New urgent cases: %1").replace("%1", "；".join(names[:shown]))
            more = len(self.waiting) - shown
            if more > 0:
                text += " " + self.tr("and %1 more").replace("%1", str(more))
            if metrics.horizontalAdvance(text) <= room:
                break
        self.text.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, room))
        self.text.setToolTip("\n".join(names))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.waiting:
            self._fit()
