"""A banner over a panel whenever what it shows may not be current."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from console.link_state import LinkState
from console.widgets.link_status import link_state_text


class StaleBanner(QLabel):
    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        """`what` is the panel's sentence with %1 for the reason, already translated."""
        super().__init__(parent)
        self._what = what
        self.setObjectName("staleBanner")
        self.setWordWrap(True)
        self.hide()

    def show_link_state(self, state: LinkState, age: float) -> None:
        if state == LinkState.LIVE:
            self.hide()
            return
        self.setText(self._what.replace("%1", link_state_text(state, age)))
        self.show()
