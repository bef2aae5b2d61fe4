"""The supervisor's actions on the selected case, enabled only where the rules and the role allow.

A command shows as pending (on its row and here) until the backend answers. A refusal is told in
plain words; the row needs no repair, because it only ever shows what the backend published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from console import present
from console.labels import action_label
from console.refusal_words import refusal_text, unavailable_text
from console.request_port import PendingReply, RequestPort
from domain.incident import Incident
from domain.lifecycle import CLIENT_ACTIONS, RULES, Action, Command, allowed_actions
from domain.township import Role, Township
from domain.wire import MsgType

SHORTCUTS = {
    Action.ACCEPT: "Ctrl+1",
    Action.DISPATCH: "Ctrl+2",
    Action.VERIFY: "Ctrl+3",
    Action.CLOSE: "Ctrl+4",
    Action.ESCALATE: "Ctrl+5",
    Action.REJECT: "Ctrl+6",
}
DEADLINE_PRESETS = ["", "30m", "1h", "2h", "4wh", "1wd", "3wd", "5wd"]
"""Dispatch deadlines offered; "" keeps the category's default from resources/deadlines.json."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("IncidentActions", text)


# fmt: off
_LABELS = {
    "department": QT_TRANSLATE_NOOP("IncidentActions", "Department"),
    "deadline": QT_TRANSLATE_NOOP("IncidentActions", "Deadline"),
    "default": QT_TRANSLATE_NOOP("IncidentActions", "Category default"),
    "duration": QT_TRANSLATE_NOOP("IncidentActions", "Extra time"),
    "score": QT_TRANSLATE_NOOP("IncidentActions", "Score (1–5)"),
    "target": QT_TRANSLATE_NOOP("IncidentActions", "Duplicate of"),
    "reason": QT_TRANSLATE_NOOP("IncidentActions", "Reason"),
    "note": QT_TRANSLATE_NOOP("IncidentActions", "Note"),
    "urge": QT_TRANSLATE_NOOP("IncidentActions", "What is asked of the department"),
    "assisting": QT_TRANSLATE_NOOP("IncidentActions", "Assisting departments"),
    "opinion": QT_TRANSLATE_NOOP("IncidentActions", "Dispatch opinion"),
}
# fmt: on


def _label(name: str) -> str:
    return _tr(str(_LABELS[name]))


class ActionDialog(QDialog):
    """Asks for what an action needs (a reason, a department and deadline, a score…)."""

    def __init__(
        self,
        action: Action,
        incident: Incident,
        township: Township | None,
        candidates: list[Incident],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{action_label(action)} {incident.display_number}")
        self.action = action
        self._fields: dict[str, Any] = {}
        form = QFormLayout(self)
        needs = set(RULES[action].needs)
        if action == Action.DISPATCH:
            dept = QComboBox()
            for d in township.departments.values() if township else []:
                dept.addItem(d.name, d.code)
            if township and incident.category in township.categories:
                default = township.categories[incident.category].department
                dept.setCurrentIndex(max(0, dept.findData(default)))
            form.addRow(_label("department"), dept)
            self._fields["department"] = dept
            deadline = QComboBox()
            for preset in DEADLINE_PRESETS:
                deadline.addItem(
                    present.duration(preset) if preset else _label("default"), preset or None
                )
            form.addRow(_label("deadline"), deadline)
            self._fields["deadline"] = deadline
            self._add_dispatch_record(form, township, incident)
        if action == Action.REQUEST_EXTENSION:
            duration = QComboBox()
            for preset in DEADLINE_PRESETS[1:]:
                duration.addItem(present.duration(preset), preset)
            form.addRow(_label("duration"), duration)
            self._fields["duration"] = duration
        if action == Action.EVALUATE:
            score = QSpinBox()
            score.setRange(1, 5)
            score.setValue(5)
            form.addRow(_label("score"), score)
            self._fields["score"] = score
        if action == Action.MERGE:
            target = QComboBox()
            for c in candidates:
                target.addItem(f"{c.display_number} {c.description[:30]}", c.id)
            form.addRow(_label("target"), target)
            self._fields["target"] = target
        self._required: list[QLineEdit] = []
        for name in ("reason", "note"):
            if name in needs:
                line = QLineEdit()
                line.setPlaceholderText(self.tr("Required"))
                line.textChanged.connect(self._check_required)
                label = "urge" if action == Action.URGE else name
                form.addRow(_label(label), line)
                self._fields[name] = line
                self._required.append(line)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self._check_required()

    def _add_dispatch_record(
        self, form: QFormLayout, township: Township | None, incident: Incident
    ) -> None:
        """协办单位 (ticked) and 派遣意见: what the lead department is dispatched with."""
        assisting = QListWidget()
        for d in township.departments.values() if township else []:
            item = QListWidgetItem(d.name)
            item.setData(Qt.ItemDataRole.UserRole, d.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            assisting.addItem(item)
        assisting.setMaximumHeight(assisting.sizeHintForRow(0) * 5 + 8)
        form.addRow(_label("assisting"), assisting)
        self._fields["assisting"] = assisting
        opinion = QLineEdit()
        opinion.setMaxLength(500)
        opinion.setPlaceholderText(self.tr("What the department is to do, and how to report"))
        form.addRow(_label("opinion"), opinion)
        self._fields["opinion"] = opinion

    def _check_required(self) -> None:
        """OK only once every required line holds more than blanks: an empty 挂账 reason was
        sent and refused in English."""
        self.ok_button.setEnabled(all(line.text().strip() for line in self._required))

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self._fields.items():
            if isinstance(w, QComboBox):
                value = w.currentData()
            elif isinstance(w, QListWidget):  # the ticked ones, not the lead department
                lead = out.get("department")
                ticked = (w.item(k) for k in range(w.count()))
                value = [
                    code
                    for item in ticked
                    if item.checkState() == Qt.CheckState.Checked
                    and (code := item.data(Qt.ItemDataRole.UserRole)) != lead
                ] or None
            elif isinstance(w, QSpinBox):
                value = w.value()
            else:
                value = w.text().strip()
            if value not in (None, ""):
                out[name] = value
        return out

    def needs_input(self) -> bool:
        return bool(self._fields)


class IncidentActions(QWidget):
    """A button per action the role may ever take; enabled for the selected case as allowed."""

    command_sent = Signal(str, str)  # incident id, action
    command_answered = Signal(str, str)  # incident id, "" when done or the refusal in words
    unavailable = Signal(str)  # a shortcut for a step not possible now: why, in words

    def __init__(
        self,
        port: RequestPort,
        user: str,
        role: Role | None,
        merge_targets: Callable[[Incident], list[Incident]] = lambda _incident: [],
        parent: QWidget | None = None,
    ) -> None:
        """`merge_targets`: the cases a duplicate may be merged into, asked for when needed."""
        super().__init__(parent)
        self.port = port
        self.user = user
        self.role = role
        self.township: Township | None = None
        self.incident: Incident | None = None
        self.merge_targets = merge_targets
        self.ask_for_args = True
        """Tests turn the dialogs off and pass args straight to `take`."""
        self.buttons: dict[Action, QPushButton] = {}
        self._shortcuts: list[QShortcut] = []
        self._busy = False
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.set_identity(user, role)

    def set_identity(self, user: str, role: Role | None) -> None:
        """Who is logged in: a button for each action their role may ever take (None: none).
        The backend decides in the end; the buttons only spare a refusal."""
        self.user, self.role = user, role
        for button in self.buttons.values():
            self._grid.removeWidget(button)
            button.deleteLater()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.buttons, self._shortcuts = {}, []
        mine = [a for a in Action if a in CLIENT_ACTIONS and role in RULES[a].roles]
        for n, action in enumerate(mine):
            button = QPushButton(action_label(action))
            if action in SHORTCUTS:
                # Not the button's own shortcut: a disabled button's does nothing at all.
                shortcut = QShortcut(QKeySequence(SHORTCUTS[action]), self)
                shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)  # a floating dock too
                shortcut.activated.connect(lambda a=action: self._on_shortcut(a))
                self._shortcuts.append(shortcut)
                button.setToolTip(SHORTCUTS[action])
            button.clicked.connect(lambda _=False, a=action: self._on_clicked(a))
            self.buttons[action] = button
            self._grid.addWidget(button, n // 4, n % 4)
        self.show_incident(self.incident)

    def set_township(self, township: Township) -> None:
        self.township = township

    def show_incident(self, incident: Incident | None, busy: bool = False) -> None:
        self.incident, self._busy = incident, busy
        allowed = (
            set(allowed_actions(incident, self.role))
            if incident and self.role and not busy
            else set()
        )
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)

    def _on_shortcut(self, action: Action) -> None:
        button = self.buttons.get(action)
        if button is not None and button.isEnabled():
            button.click()
        else:
            self.unavailable.emit(unavailable_text(action, self.incident, self._busy))

    def _on_clicked(self, action: Action) -> None:
        incident = self.incident
        if incident is None:
            return
        args: dict[str, Any] = {}
        if self.ask_for_args:
            targets = self.merge_targets(incident) if action == Action.MERGE else []
            dialog = ActionDialog(action, incident, self.township, targets, self)
            if dialog.needs_input():
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                args = dialog.args()
        self.take(action, incident, args)

    def take(self, action: Action, incident: Incident, args: dict[str, Any]) -> PendingReply:
        """Send the command for the version on screen; `command_answered` tells the outcome."""
        assert self.role is not None, "no button without a login"
        command = Command(incident.id, action, incident.version, self.user, self.role, args)
        pending = self.port.request(MsgType.COMMAND, command.to_wire())
        incident_id = incident.id
        pending.answered.connect(lambda _reply: self.command_answered.emit(incident_id, ""))
        pending.refused.connect(
            lambda code, detail: self.command_answered.emit(incident_id, refusal_text(code, detail))
        )
        self.command_sent.emit(incident.id, action_label(action))
        return pending
