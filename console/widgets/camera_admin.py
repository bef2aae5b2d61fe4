"""The administrator's cameras: every camera of the township, added, edited, tested and taken
off while the room runs. A change is a new township version: every console's wall and camera
tree follow it at once (docs/onboarding.md)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.refusal_words import refusal_text
from console.request_port import RequestPort
from console.widgets.camera_dialog import CameraDialog
from domain.camera_urls import split_credentials
from domain.township import Township
from domain.wire import MsgType

CODE_ROLE = Qt.ItemDataRole.UserRole


class CameraAdmin(QWidget):
    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.township: Township | None = None
        self.credentials: dict[str, Any] = {}
        self.confirm = True
        """Tests turn the confirmation off."""
        self.dialog: CameraDialog | None = None
        headers = [self.tr("Code"), self.tr("Name"), self.tr("Village"), self.tr("Group"),
                   self.tr("Phase"), self.tr("Main stream")]  # fmt: skip
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(partial(self.edit, False))
        add, edit, remove = (QPushButton(self.tr("Add")), QPushButton(self.tr("Edit / test")),
                             QPushButton(self.tr("Take off")))  # fmt: skip
        add.clicked.connect(partial(self.edit, True))
        edit.clicked.connect(partial(self.edit, False))
        remove.clicked.connect(self.remove)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (add, edit, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def ask(self) -> None:
        """On every connection: the cameras come with the township; nothing to ask."""

    def set_township(self, township: Township) -> None:
        self.township = township
        cameras = sorted(township.cameras.values(), key=lambda c: (c.phase, c.code))
        self.table.setRowCount(len(cameras))
        for row, c in enumerate(cameras):
            cells = (c.code, c.name, present.village_name(township, c.village), c.group,
                     str(c.phase), split_credentials(c.main_url)[0])  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(CODE_ROLE, c.code)
                self.table.setItem(row, col, item)

    def set_credentials(self, cameras: dict[str, Any]) -> None:
        self.credentials = dict(cameras)

    def _selected(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(CODE_ROLE)) if items else None

    def edit(self, new: bool = False) -> CameraDialog | None:
        if self.township is None:
            return None
        code = None if new else self._selected()
        if not new and code is None:
            return None
        camera = self.township.cameras.get(code) if code else None
        self.dialog = CameraDialog(
            self.port, self.township, camera, self.credentials.get(code or ""), self
        )
        self.dialog.saved.connect(
            lambda c: self.status.setText(
                self.tr("Saved %1: every wall has it now").replace("%1", c)
            )
        )
        self.dialog.open()
        return self.dialog

    def remove(self) -> None:
        code = self._selected()
        if code is None:
            return
        if self.confirm:
            question = self.tr("Take camera %1 off every wall?").replace("%1", code)
            if QMessageBox.question(self, self.tr("Cameras"), question) != (
                QMessageBox.StandardButton.Yes
            ):
                return
        pending = self.port.request(MsgType.CAMERA_REMOVE, {"camera": code})
        pending.answered.connect(
            lambda _r: self.status.setText(self.tr("Taken off: %1").replace("%1", code))
        )
        pending.refused.connect(lambda c, detail: self.status.setText(refusal_text(c, detail)))
