"""The whole case beside the queue: what, where, deadlines, the timeline, photos, cameras near it.

The incident itself comes from the console's live state; its action log and photos are asked of
the backend when the selection changes or the incident gets a new version. A resident
reporter's contact shows masked; a role that calls residents back may ask to see it whole, one
case at a time, which the backend records in the audit trail.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.labels import (
    action_label,
    channel_label,
    level_label,
    role_label,
    stage_label,
    state_label,
    urgency_label,
)
from console.refusal_words import refusal_text
from console.request_port import PendingReply, RequestPort
from domain.incident import Channel, Incident
from domain.township import Role, Township
from domain.wire import Message, MsgType

CHANNELS = {c.value for c in Channel}

THUMBNAIL_PX = 120


class IncidentDetail(QScrollArea):
    open_cameras = Signal(object)  # Incident: put its cameras on the video wall

    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.township: Township | None = None
        self.incident: Incident | None = None
        self._detail_request: PendingReply | None = None
        self._photo_requests: set[PendingReply] = set()
        self._photo_ids: set[int] = set()  # asked for or shown, for the case on screen
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        self.heading = QLabel(self.tr("Select a case in the queue"))
        self.heading.setObjectName("panelTitle")
        self.heading.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("refusal")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._build_fields()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cameras = QLabel()
        self.cameras.setWordWrap(True)
        self.open_cameras_button = QPushButton(self.tr("Open on the video wall"))
        self.open_cameras_button.setEnabled(False)
        self.open_cameras_button.clicked.connect(
            lambda: self.open_cameras.emit(self.incident) if self.incident else None
        )
        self.timeline = QListWidget()
        self.timeline.setMinimumHeight(120)
        self.photos = QHBoxLayout()
        self.photos.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addLayout(self.fields)
        layout.addWidget(self._section(self.tr("Description")))
        layout.addWidget(self.description)
        layout.addWidget(self._section(self.tr("Photos")))
        layout.addLayout(self.photos)
        layout.addWidget(self._section(self.tr("Nearest cameras")))
        layout.addWidget(self.cameras)
        layout.addWidget(self.open_cameras_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._section(self.tr("Timeline")))
        layout.addWidget(self.timeline, 1)

    def _build_fields(self) -> None:
        self.fields = QFormLayout()
        self._build_contact()
        self._values: dict[str, QLabel] = {}
        for key, title in (
            ("state", self.tr("State")),
            ("place", self.tr("Place")),
            ("position", self.tr("Position")),
            ("reported", self.tr("Reported")),
            ("contact", self.tr("Reporter's contact")),
            ("assignee", self.tr("Assigned to")),
            ("assisting", self.tr("Assisting")),
            ("stage", self.tr("Current stage")),
            ("case_due", self.tr("Whole case due")),
            ("extension", self.tr("Extension")),
            ("urged", self.tr("Urged")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            if key == "contact":
                row = QHBoxLayout()
                row.addWidget(value, 1)
                row.addWidget(self.reveal_button)
                self.fields.addRow(title, row)
            else:
                self.fields.addRow(title, value)

    def _build_contact(self) -> None:
        self.may_reveal = False
        """The logged-in role may see a reporter's whole contact (domain.access)."""
        self.reveal_button = QPushButton(self.tr("Show in full"))
        self.reveal_button.setToolTip(self.tr("Seeing it is recorded in the audit trail"))
        self.reveal_button.clicked.connect(self._reveal)
        self.reveal_button.hide()
        self._reveal_request: PendingReply | None = None
        self._revealed: dict[str, Any] | None = None

    def _section(self, title: str) -> QLabel:
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        return label

    def set_township(self, township: Township) -> None:
        self.township = township

    def show_incident(self, incident: Incident | None, pending: str | None = None) -> None:
        self.open_cameras_button.setEnabled(False)  # until a position is shown
        """Show this incident (None: nothing selected); ask for its log when it is new to us or
        has a new version."""
        before = self.incident
        self.incident = incident
        if incident is None:
            self.heading.setText(self.tr("Select a case in the queue"))
            return
        self._fill(incident, pending)
        if before is None or before.id != incident.id or before.version != incident.version:
            if before is None or before.id != incident.id:
                self.timeline.clear()
                self._clear_photos()
                self.notice.hide()
                self._revealed = None
                self._fill(incident, pending)
            asked = self._detail_request = self.port.request(
                MsgType.DETAIL_REQUEST, {"incident": incident.id}
            )
            asked.answered.connect(lambda reply: self._on_detail(asked, reply))
            asked.refused.connect(lambda code, detail: self._on_detail_refused(asked, code, detail))

    def show_notice(self, text: str) -> None:
        """A refusal or a failure, in plain words, until the next case is chosen."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _fill(self, i: Incident, pending: str | None) -> None:
        t = self.township
        category = present.category_name(t, i.category)
        heading = f"{i.display_number}  {category}  {urgency_label(i.urgency)}"
        if pending:
            heading += "  " + self.tr("(waiting for the backend: %1)").replace("%1", pending)
        self.heading.setText(heading)
        v = self._values
        v["state"].setText(f"{state_label(i.state)} · {level_label(i.level)}")
        v["place"].setText(present.place_name(t, i))
        v["position"].setText("" if i.lat is None or i.lon is None else f"{i.lat:.5f}, {i.lon:.5f}")
        reported = present.when(i.received_at)
        v["reported"].setText(f"{reported} · {i.reporter} · {channel_label(i.channel)}")
        self.show_contact(i)
        v["assignee"].setText(present.department_name(t, i.department, "—"))
        assisting = [c for c in (i.assisting or "").split(",") if c]
        v["assisting"].setText("、".join(present.department_name(t, c) for c in assisting) or "—")
        if i.stage_due is not None:
            left = present.time_left(i.stage_due - time.time())
            due = present.when(i.stage_due)
            v["stage"].setText(f"{stage_label(i.stage or '')} · {due} · {left}")
        else:
            v["stage"].setText("—")
        v["case_due"].setText(present.when(i.case_due) or "—")
        asked = i.extension_requested
        v["extension"].setText(present.duration(asked) if asked else "—")
        v["urged"].setText(self.tr("%n time(s)", "", i.urged) if i.urged else "—")
        self.description.setText(i.description)
        if t is not None and i.lat is not None and i.lon is not None:
            near = t.nearest_cameras(i.lat, i.lon, 3)
            self.cameras.setText("\n".join(f"{c.name} · {d:.0f} m" for c, d in near))
            self.open_cameras_button.setEnabled(True)
        else:
            self.cameras.setText(self.tr("No position reported"))
            self.open_cameras_button.setEnabled(False)

    def show_contact(self, i: Incident) -> None:
        shown = self._revealed if self._revealed and self._revealed["incident"] == i.id else None
        source: Any = shown or {
            "reporter": i.reporter,
            "reporter_phone": i.reporter_phone,
            "reporter_id_number": i.reporter_id_number,
        }
        parts = [source["reporter_phone"], source["reporter_id_number"]]
        text = " · ".join(p for p in parts if p) or "—"
        if shown:
            text = f"{shown['reporter']} · {text}  " + self.tr("(seen in full: recorded)")
        self._values["contact"].setText(text)
        self.reveal_button.setVisible(self.may_reveal and any(parts) and not shown)

    def set_may_reveal(self, may: bool) -> None:
        self.may_reveal = may
        if self.incident is not None:
            self.show_contact(self.incident)

    def _reveal(self) -> None:
        if self.incident is not None:
            pending = self._reveal_request = self.port.request(
                MsgType.REVEAL_REQUEST, {"incident": self.incident.id}
            )
            pending.answered.connect(lambda reply: self._on_revealed(pending, reply))
            pending.refused.connect(
                lambda code, detail: self._on_reveal_refused(pending, code, detail)
            )

    def _on_revealed(self, pending: PendingReply, reply: Message) -> None:
        if pending is self._reveal_request:
            self._revealed = reply.body
            if self.incident is not None:
                self.show_contact(self.incident)

    def _on_reveal_refused(self, pending: PendingReply, code: str, detail: str) -> None:
        if pending is self._reveal_request:
            self.show_notice(refusal_text(code, detail))

    def _on_detail(self, pending: PendingReply, reply: Message) -> None:
        if pending is self._detail_request:  # not one overtaken by another case or version
            self._fill_log(reply.body)

    def _on_detail_refused(self, pending: PendingReply, code: str, detail: str) -> None:
        if pending is self._detail_request:
            text = self.tr("The case's history could not be loaded: %1")
            self.show_notice(text.replace("%1", refusal_text(code, detail)))

    def _on_photo(self, pending: PendingReply, reply: Message) -> None:
        if pending in self._photo_requests:  # still the case on screen
            self._photo_requests.discard(pending)
            self._add_photo(base64.b64decode(reply.body["data"]))

    def _fill_log(self, body: dict[str, Any]) -> None:
        self.timeline.clear()
        for change in reversed(body["changes"]):  # newest on top
            self.timeline.addItem(self._log_line(change))
        for attachment in body["attachments"]:  # attachments are only ever added: fetch new ones
            if attachment["id"] not in self._photo_ids:
                self._photo_ids.add(attachment["id"])
                pending = self.port.request(MsgType.ATTACHMENT_REQUEST, {"id": attachment["id"]})
                pending.answered.connect(lambda reply, p=pending: self._on_photo(p, reply))
                pending.refused.connect(lambda _c, _d, p=pending: self._photo_requests.discard(p))
                self._photo_requests.add(pending)

    def _log_line(self, change: dict[str, Any]) -> str:
        """One change in words: who did what, and for a dispatch to whom, by when, with whom
        assisting and with which opinion (the record a department is held to)."""
        actor = role_label(Role.SYSTEM) if change.get("role") == "system" else change["actor"]
        line = f"{present.when(change['at'])}  {action_label(change['action'])}  {actor}"
        args = change.get("args") or {}
        if change["action"] == "dispatch":
            t = self.township
            line += " → " + present.department_name(t, args.get("department"))
            if assisting := args.get("assisting"):
                names = "、".join(present.department_name(t, a) for a in assisting)
                line += self.tr(" (assisting: %1)").replace("%1", names)
            if deadline := args.get("deadline"):
                line += self.tr(", within %1").replace("%1", present.duration(str(deadline)))
            if opinion := args.get("opinion"):
                line += f"  「{opinion}」"
        elif change["action"] == "request_extension" and args.get("duration"):
            line += " " + present.duration(str(args["duration"]))
        if note := change.get("note"):
            if change["action"] == "report" and note in CHANNELS:  # how it came in
                note = channel_label(Channel(note))
            line += f"  「{note}」"
        return line

    def _clear_photos(self) -> None:
        self._photo_requests.clear()
        self._photo_ids.clear()
        while self.photos.count() > 1:
            item = self.photos.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _add_photo(self, data: bytes) -> None:
        pixmap = QPixmap()
        label = QLabel()
        if pixmap.loadFromData(data):
            label.setPixmap(
                pixmap.scaled(THUMBNAIL_PX, THUMBNAIL_PX, Qt.AspectRatioMode.KeepAspectRatio)
            )
        else:
            label.setText(self.tr("(unreadable photo)"))
        self.photos.insertWidget(self.photos.count() - 1, label)
