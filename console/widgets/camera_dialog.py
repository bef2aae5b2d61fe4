"""One camera as the administrator edits it: where it is, its streams and their user and
password, and a Test that opens the stream from the backend's machine and shows its first
picture with its codec, size and rate, or the plain reason it will not play."""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.refusal_words import refusal_text
from console.request_port import RequestPort
from domain.camera_urls import split_credentials, with_credentials
from domain.township import Camera, Township
from domain.wire import Message, MsgType


class CameraDialog(QDialog):
    saved = Signal(str)  # the camera's code, once the backend took it

    def __init__(
        self,
        port: RequestPort,
        township: Township,
        camera: Camera | None = None,
        credentials: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.port = port
        self.setWindowTitle(self.tr("Camera") if camera is None else camera.name)
        self.code = QLineEdit(camera.code if camera else "")
        self.code.setReadOnly(camera is not None)
        self.name = QLineEdit(camera.name if camera else "")
        self.village = QComboBox()
        self.village.addItem(self.tr("(none)"), None)
        for v in township.villages.values():
            self.village.addItem(v.name, v.code)
        if camera is not None and camera.village:
            self.village.setCurrentIndex(max(0, self.village.findData(camera.village)))
        self.group = QLineEdit(camera.group if camera else "")
        self.phase = QSpinBox()
        self.phase.setRange(0, 99)
        self.phase.setValue(camera.phase if camera else 1)
        self.lat, self.lon = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value, (lo, hi) in ((self.lat, camera.lat if camera else township.lat, (-90, 90)),
                                     (self.lon, camera.lon if camera else township.lon,
                                      (-180, 180))):  # fmt: skip
            box.setDecimals(6)
            box.setRange(lo, hi)
            box.setValue(value)
        self.direction = QSpinBox()  # -1: not known, or a dome that turns
        self.direction.setRange(-1, 359)
        self.direction.setSuffix("°")
        self.direction.setSpecialValueText(self.tr("not known (a dome)"))
        self.direction.setWrapping(True)
        known = camera.direction if camera is not None else None
        self.direction.setValue(-1 if known is None else round(known) % 360)
        self.camera = camera
        form = self._streams_form(camera, credentials)
        self.picture = QLabel()
        self.picture.setFixedSize(320, 180)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #111; color: #ccc;")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.clicked.connect(self.test)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.picture)
        side.addWidget(self.test_button)
        side.addWidget(self.outcome, 1)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    def _streams_form(
        self, camera: Camera | None, credentials: dict[str, Any] | None
    ) -> QFormLayout:
        known = credentials or {}
        main_user = (known.get("main") or {}).get("user") or ""
        main_password = (known.get("main") or {}).get("password") or ""
        self.main_url = QLineEdit(split_credentials(camera.main_url)[0] if camera else "rtsp://")
        self.sub_url = QLineEdit(split_credentials(camera.sub_url)[0] if camera else "")
        for field in (self.main_url, self.sub_url):
            field.setMinimumWidth(380)  # an NVR's address is long: all of it in view
        self.user = QLineEdit(main_user)
        self.password = QLineEdit(main_password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Tour phase"), self.phase)
        form.addRow(self.tr("Latitude (WGS-84)"), self.lat)
        form.addRow(self.tr("Longitude (WGS-84)"), self.lon)
        form.addRow(self.tr("Looks towards (from north)"), self.direction)
        form.addRow(self.tr("Main stream"), self.main_url)
        form.addRow(self.tr("Sub stream"), self.sub_url)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        return form

    def _address(self, field: QLineEdit) -> str:
        return with_credentials(field.text().strip(), self.user.text() or None,
                                self.password.text() or None)  # fmt: skip

    def camera_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "group": self.group.text().strip() or "其他",
            "phase": self.phase.value(),
            "village": self.village.currentData(),
            "lat": self.lat.value(),
            "lon": self.lon.value(),
            "main_url": self._address(self.main_url),
            "direction": None if self.direction.value() < 0 else float(self.direction.value()),
        }
        if self.camera is not None:  # what the dialog does not show is kept as it was
            body["kind"] = self.camera.kind
            body["coverage_km"] = self.camera.coverage_km
        if self.sub_url.text().strip():
            body["sub_url"] = self._address(self.sub_url)
        return body

    def test(self) -> None:
        """Open the main stream from the backend's machine (a few seconds at most)."""
        self.test_button.setEnabled(False)
        self.outcome.setText(self.tr("Testing…"))
        pending = self.port.request(MsgType.CAMERA_TEST, {"url": self._address(self.main_url)},
                                    timeout=30.0)  # fmt: skip
        pending.answered.connect(self._tested)
        pending.refused.connect(self._refused)

    def _tested(self, reply: Message) -> None:
        self.test_button.setEnabled(True)
        body = reply.body
        if body.get("ok"):
            image = QPixmap()
            image.loadFromData(base64.b64decode(body.get("thumbnail", "")))
            self.picture.setPixmap(image)
            self.outcome.setText(
                self.tr("%1 %2×%3, %4 frames/s (%5 s to the first picture)")
                .replace("%1", str(body["codec"]).upper())
                .replace("%2", str(body["width"]))
                .replace("%3", str(body["height"]))
                .replace("%4", f"{body['fps']:.0f}")
                .replace("%5", f"{body['seconds']:.1f}")
            )  # fmt: skip
            return
        self.picture.clear()
        self.picture.setText(self.tr("No picture"))
        self.outcome.setText(
            f"{self.failure_text(str(body.get('failure')))}\n{body.get('detail', '')}"
        )

    def failure_text(self, failure: str) -> str:
        return {
            "unauthorised": self.tr("Unauthorised: the camera refused the user or password"),
            "no_such_path": self.tr("No such path: the camera has no stream at this address"),
            "unreachable": self.tr("Unreachable: nothing answers at this host and port"),
            "timed_out": self.tr("Timed out: it answers but sends no picture"),
            "bad_url": self.tr("Bad address"),
            "no_video": self.tr("Not a video stream"),
        }.get(failure, failure)

    def _refused(self, code: str, detail: str) -> None:
        self.test_button.setEnabled(True)
        self.outcome.setText(refusal_text(code, detail))

    def save(self) -> None:
        pending = self.port.request(MsgType.CAMERA_SET, {"camera": self.camera_body()})
        pending.answered.connect(lambda _reply: self._saved())
        pending.refused.connect(self._refused)

    def _saved(self) -> None:
        self.saved.emit(self.code.text().strip())
        self.accept()
