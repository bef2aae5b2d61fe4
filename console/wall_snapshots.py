"""A video tile's picture: saved as a PNG, or attached (JPEG) to the selected case.

The window's strings keep the window's translation context. (GUI thread.)
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QObject,
    QStandardPaths,
    Signal,
)
from PySide6.QtGui import QImage

from console import present
from console.request_port import RequestPort
from domain.incident import Incident
from domain.wire import MsgType


class WallSnapshots(QObject):
    """Takes the video wall's `snapshot_taken`; says what became of it in `told`."""

    told = Signal(str)  # a line for the status bar
    attached = Signal()  # the selected case has a new photo (or was refused one)

    def __init__(
        self,
        port: RequestPort,
        selected: Callable[[], Incident | None],
        parent: QObject | None = None,
    ) -> None:
        """`selected`: the case a snapshot is attached to, asked when one is taken."""
        super().__init__(parent)
        self.port = port
        self.selected = selected

    def take(self, image: QImage, camera: str, attach: bool) -> None:
        """Save a tile's picture as a PNG, or attach it (JPEG) to the selected case."""
        if not attach:
            self._save(image, camera)
            return
        incident = self.selected()
        if incident is None:
            self.told.emit(
                QCoreApplication.translate("MainWindow", "Select a case first, then attach")
            )
            return
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", 85)  # type: ignore[call-overload]  # stubs say bytes; str works
        body = {
            "incident": incident.id,
            "media_type": "image/jpeg",
            "data": base64.b64encode(bytes(data.data())).decode(),
        }
        pending = self.port.request(MsgType.ATTACHMENT_ADD, body)
        number = incident.display_number
        pending.answered.connect(lambda _reply: self._on_attached(number, ""))
        pending.refused.connect(lambda code, detail: self._on_attached(number, detail or code))
        self.told.emit(
            QCoreApplication.translate("MainWindow", "Attaching the snapshot to %1…").replace(
                "%1", number
            )
        )

    def _save(self, image: QImage, camera: str) -> None:
        pictures = QStandardPaths.StandardLocation.PicturesLocation
        folder = Path(QStandardPaths.writableLocation(pictures) or ".") / "township-snapshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{present.stamp(time.time())}-{camera}.png"
        saved = image.save(str(path), "PNG")  # type: ignore[call-overload]  # as above
        text = (
            QCoreApplication.translate("MainWindow", "Snapshot saved: %1")
            if saved
            else QCoreApplication.translate("MainWindow", "Could not save %1")
        )
        self.told.emit(text.replace("%1", str(path)))

    def _on_attached(self, number: str, refusal: str) -> None:
        if not refusal:
            text = QCoreApplication.translate("MainWindow", "Snapshot attached to %1").replace(
                "%1", number
            )
        else:
            text = QCoreApplication.translate(
                "MainWindow", "The snapshot was not attached to %1: %2"
            ).replace("%1", number)
            text = text.replace("%2", refusal)
        self.told.emit(text)
        self.attached.emit()
