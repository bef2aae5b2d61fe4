"""The auditor's desk: the newest entries of the audit trail, and whether they hold together.

The console checks the page it shows with the same `domain.audit.verify` as the backend's
`audit verify` command: each entry against its hash and the one before it. The whole trail, and
the heads the backend's log witnessed, are checked on the backend's machine.
"""

from __future__ import annotations

from typing import Any

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
from console.refusal_words import refusal_text
from console.request_port import PendingReply, RequestPort
from domain.audit import AuditEntry, verify
from domain.wire import Message, MsgType

SHOWN = 500
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

    def ask(self) -> None:
        pending = self._asked = self.port.request(MsgType.AUDIT_REQUEST, {"last": SHOWN})
        pending.answered.connect(lambda reply: self._on_answered(pending, reply))
        pending.refused.connect(lambda code, detail: self._on_refused(pending, code, detail))

    def _on_refused(self, pending: PendingReply, code: str, detail: str) -> None:
        if pending is self._asked:
            self.check.setText(refusal_text(code, detail))

    def _on_answered(self, pending: PendingReply, reply: Message) -> None:
        if pending is not self._asked:
            return
        entries = [AuditEntry(**e) for e in reply.body["entries"]]
        self._show(entries)
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

    def _show(self, entries: list[AuditEntry]) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(reversed(entries)):  # newest on top
            values: dict[str, Any] = entry.fields()
            values["at"] = present.when(entry.at, "%m-%d %H:%M:%S")
            for col, name in enumerate(COLUMNS):
                self.table.setItem(row, col, QTableWidgetItem(str(values[name])))
