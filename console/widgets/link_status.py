"""The link's state in the status bar, in words a duty officer reads at a glance."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from console.link_state import LinkState

STATE_COLOURS = {
    LinkState.LIVE: "#2fbf4f",
    LinkState.STALE: "#f0a020",
    LinkState.RESYNCING: "#f0a020",
    LinkState.CONNECTING: "#f0a020",
    LinkState.RECONNECTING: "#e04040",
    LinkState.WAITING: "#e04040",
    LinkState.STARTING: "#f0a020",
    LinkState.REFUSED: "#e04040",
    LinkState.LOGIN_NEEDED: "#f0a020",
}


def link_state_text(state: LinkState, age: float) -> str:
    match state:
        case LinkState.LIVE:
            return QCoreApplication.translate("LinkStatus", "Live")
        case LinkState.STALE:
            n = int(age)
            return QCoreApplication.translate(
                "LinkStatus", "No data from the backend for %n s", "", n
            )
        case LinkState.RESYNCING:
            return QCoreApplication.translate("LinkStatus", "Resynchronising with the backend…")
        case LinkState.CONNECTING:
            return QCoreApplication.translate("LinkStatus", "Connecting to the backend…")
        case LinkState.RECONNECTING:
            return QCoreApplication.translate("LinkStatus", "Backend unreachable: reconnecting…")
        case LinkState.STARTING:
            n = int(age)
            return QCoreApplication.translate(
                "LinkStatus", "Backend starting (loading its data for %n s)…", "", n
            )
        case LinkState.WAITING:
            return QCoreApplication.translate("LinkStatus", "Starting the backend…")
        case LinkState.REFUSED:
            return QCoreApplication.translate(
                "LinkStatus",
                "This console is not enrolled: the backend refuses its key (ask the administrator)",
            )
        case LinkState.LOGIN_NEEDED:
            return QCoreApplication.translate(
                "LinkStatus", "Not logged in: log in to see the cases"
            )


class LinkStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = LinkState.WAITING
        self.show_state(LinkState.WAITING, 0.0)

    def show_state(self, state: LinkState, age: float) -> None:
        self.state = state
        colour = STATE_COLOURS[state]
        self.setText(f'<span style="color:{colour}">●</span> {link_state_text(state, age)}')
