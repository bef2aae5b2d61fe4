"""The township's own files brought in from the administrator's desk: a folder chosen, checked
on the backend's machine (every problem with its file, sheet, row and column), what it would
change shown, and applied as one new version that every console takes in at once. What is
applied is exactly what was checked (the same package, over the same version)."""

from __future__ import annotations

import base64
import contextlib
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.township_package import PackageError, pack
from console.request_port import RequestPort
from domain.wire import Message, MsgType

TIMEOUT_S = 180.0
"""A township's check and apply run on the backend's machine; a big one takes a while."""


class TownshipFilesDialog(QDialog):
    applied = Signal(int)  # the new version
    packed = Signal(object, str)  # the zip (or None), why not: from the packing thread

    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.confirm = True
        """Tests turn the confirmation off."""
        self.package: bytes | None = None
        self.version: int | None = None
        self.setWindowTitle(self.tr("Township files"))
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("The folder with township.xlsx and its boundaries"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.clicked.connect(self.check)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.packed.connect(self._send_check)
        self.summary = QLabel(self.tr("Choose the folder, then Check."))
        self.summary.setWordWrap(True)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.report.setFont(QFont("monospace"))
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Township files"),
                                                  self.folder.text())  # fmt: skip
        if folder:
            self.folder.setText(folder)
            self.check()

    def check(self) -> None:
        """The folder zipped off the GUI thread (a big boundary file takes a while), then sent."""
        self.apply_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.package = None
        self.report.clear()
        self.summary.setText(self.tr("Checking on the backend's machine…"))
        folder = Path(self.folder.text().strip() or ".")
        threading.Thread(target=self._pack, args=(folder,), daemon=True).start()

    def _pack(self, folder: Path) -> None:
        try:
            package, why = pack(folder), ""
        except (PackageError, OSError) as e:
            package, why = None, str(e)
        with contextlib.suppress(RuntimeError):  # the dialog went while the folder was zipped
            self.packed.emit(package, why)

    def _send_check(self, package: bytes | None, why: str) -> None:
        if package is None:
            self.check_button.setEnabled(True)
            self.summary.setText(why)
            return
        pending = self.port.request(MsgType.TOWNSHIP_CHECK, self._body(package), timeout=TIMEOUT_S)
        pending.answered.connect(lambda reply: self._checked(package, reply))
        pending.refused.connect(self._refused)

    def _body(self, package: bytes) -> dict[str, Any]:
        return {"package": base64.b64encode(package).decode("ascii")}

    def _checked(self, package: bytes, reply: Message) -> None:
        self.check_button.setEnabled(True)
        body = reply.body
        t = body.get("township")
        head = "" if not t else self.tr(
            "%1 (%2): %3 villages, %4 grids, %5 people, %6 cameras, %7 categories"
        ).replace("%1", t["name"]).replace("%2", t["code"]).replace("%3", str(t["villages"])) \
            .replace("%4", str(t["grids"])).replace("%5", str(t["people"])) \
            .replace("%6", str(t["cameras"])).replace("%7", str(t["categories"]))  # fmt: skip
        if body.get("refusal"):
            self.summary.setText(f"{head}\n{body['refusal']}")
            return
        if not body.get("ok"):
            count = int(body.get("problem_count", 0))
            self.summary.setText(
                self.tr("%1 problems: nothing can be applied until they are mended.")
                .replace("%1", str(count))
            )  # fmt: skip
            lines = [f"{p['place']}: {p['zh']} / {p['en']}" for p in body.get("problems", [])]
            if count > len(lines):
                lines.append(self.tr("… and %1 more").replace("%1", str(count - len(lines))))
            self.report.setPlainText("\n".join(lines))
            return
        changes = [str(line) for line in body.get("changes", [])]
        self.report.setPlainText("\n".join(changes))
        if changes == ["无变化 / no changes"]:
            self.summary.setText(head + "\n" + self.tr("No problems; nothing to change."))
            return
        self.package, self.version = package, int(body.get("version", 0))
        self.apply_button.setEnabled(True)
        self.summary.setText(
            head + "\n" + self.tr("No problems. Applying makes these changes on every console:")
        )

    def apply(self) -> None:
        if self.package is None:
            return
        if self.confirm:
            question = self.tr("Apply these files as the township's new version, on every "
                               "console at once?")  # fmt: skip
            if QMessageBox.question(self, self.tr("Township files"), question) != (
                QMessageBox.StandardButton.Yes
            ):
                return
        self.apply_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.summary.setText(self.tr("Applying…"))
        body = {**self._body(self.package), "version": self.version}
        pending = self.port.request(MsgType.TOWNSHIP_APPLY, body, timeout=TIMEOUT_S)
        pending.answered.connect(self._applied)
        pending.refused.connect(self._refused)

    def _applied(self, reply: Message) -> None:
        self.check_button.setEnabled(True)
        self.package = None
        version = reply.body.get("version")
        self.report.setPlainText("\n".join(str(x) for x in reply.body.get("changes", [])))
        if version is None:
            self.summary.setText(self.tr("Nothing to change."))
            return
        self.summary.setText(
            self.tr("Applied as version %1: every console is taking it in now.")
            .replace("%1", str(version))
        )  # fmt: skip
        self.applied.emit(int(version))

    def _refused(self, code: str, detail: str) -> None:
        self.check_button.setEnabled(True)
        self.apply_button.setEnabled(False)
        self.package = None
        if code == "stale_version":
            detail = self.tr("Another version was applied since this check: check again.") + (
                f"\n{detail}"
            )
        self.summary.setText(detail)
