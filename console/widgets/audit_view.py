"""The auditor's desk: the newest entries of the audit trail, and whether they hold together.

The console checks the page it shows with the same `domain.audit.verify` as the backend's
`audit verify` command: each entry against its hash and the one before it. The whole trail, and
the heads the backend's log witnessed, are checked on the backend's machine.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.audit_words import (
    console_words,
    result_words,
    role_words,
    what_words,
    who_words,
)
from console.refusal_words import refusal_text
from console.request_port import PendingReply, RequestPort
from domain.audit import AuditEntry, verify
from domain.incident import case_number
from domain.wire import Message, MsgType

SHOWN = 500
POLL_MS = 10_000
COLUMNS = ("seq", "at", "who", "role", "console", "what", "subject", "result")


class AuditView(QWidget):
    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self._asked: PendingReply | None = None
        """The newest question: an older one's answer is not shown."""
        headers = [
            self.tr("No."), self.tr("Time"), self.tr("Who"), self.tr("Role"),
            self.tr("Console"), self.tr("Action"), self.tr("Subject"), self.tr("Result"),
        ]  # fmt: skip
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.check = QLabel()
        self.check.setWordWrap(True)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.ask)
        row = QHBoxLayout()
        row.addWidget(self.check, 1)
        row.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self._head = -1  # the newest seq shown
        self.township_names: dict[str, str] = {}
        """A township's code -> its name (the subject of a township's files applied)."""
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._refresh_if_reading_the_newest)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._poll.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll.stop()

    def _refresh_if_reading_the_newest(self) -> None:
        """The trail refreshes by itself while the auditor reads its top (the newest), and
        stays put while they read further down."""
        if self._asked is None and self.table.verticalScrollBar().value() == 0:
            self.ask()

    def ask(self) -> None:
        pending = self._asked = self.port.request(MsgType.AUDIT_REQUEST, {"last": SHOWN})
        pending.answered.connect(lambda reply: self._on_answered(pending, reply))
        pending.refused.connect(lambda code, detail: self._on_refused(pending, code, detail))

    def _on_refused(self, pending: PendingReply, code: str, detail: str) -> None:
        if pending is self._asked:
            self._asked = None
            self.check.setText(refusal_text(code, detail))

    def _on_answered(self, pending: PendingReply, reply: Message) -> None:
        if pending is not self._asked:
            return
        self._asked = None
        if reply.body["head"] == self._head:
            return  # nothing new: the table stays as the auditor sees it
        self._head = int(reply.body["head"])
        entries = [AuditEntry(**e) for e in reply.body["entries"]]
        self._show(entries, {str(k): int(v) for k, v in reply.body.get("numbers", {}).items()})
        breaks = verify(entries)
        if breaks:
            lines = "; ".join(f"{b.seq}: {b.why}" for b in breaks[:5])
            self.check.setText(self.tr("BROKEN: %1").replace("%1", lines))
            self.check.setStyleSheet("color: #e04040; font-weight: bold")
        else:
            self.check.setText(
                self.tr("The newest %1 entries hold together (hash chain checked here).").replace(
                    "%1", str(len(entries))
                )
            )
            self.check.setStyleSheet("color: #2fbf4f")

    def _show(self, entries: list[AuditEntry], numbers: dict[str, int]) -> None:
        """In words: roles, consoles, actions and results by name, a case by its number (the
        codes and the id stay in each cell's tooltip)."""
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(reversed(entries)):  # newest on top
            raw: dict[str, Any] = entry.fields()
            number = numbers.get(entry.subject)
            shown = {
                **raw,
                "at": present.when(entry.at, "%m-%d %H:%M:%S"),
                "who": who_words(entry.who),
                "role": role_words(entry.role),
                "console": console_words(entry.console),
                "what": what_words(entry.what),
                "subject": case_number(number)
                if number is not None
                else self.township_names.get(entry.subject, entry.subject),
                "result": result_words(entry.result),
            }
            for col, name in enumerate(COLUMNS):
                item = QTableWidgetItem(str(shown[name]))
                if shown[name] != raw[name]:
                    item.setToolTip(str(raw[name]))
                self.table.setItem(row, col, item)
