"""The administrator's desk: who may log in and which console keys are let in.

Disabling a user, a new password or role, or revoking a key takes effect on the backend
before the answer comes back: the user's sessions end, the key's requests are refused. Users
are added here too; console keys are made on the backend's machine (`python -m backend keys`),
where secret keys belong.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.labels import role_label
from console.refusal_words import refusal_text
from console.request_port import RequestPort
from console.widgets.township_files_dialog import TownshipFilesDialog
from console.widgets.user_dialogs import UserDialog
from domain.township import Role
from domain.wire import Message, MsgType

USER_CHANGE_TIMEOUT_S = 30.0
"""A new password is hashed on the backend (scrypt): seconds on a busy machine."""


class AdministrationView(QWidget):
    def __init__(self, port: RequestPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.confirm = True
        """Tests turn the confirmation dialogs off."""
        self.users = self._table([self.tr("Login"), self.tr("Name"), self.tr("Role"),
                                  self.tr("State")])  # fmt: skip
        self.keys = self._table([self.tr("Console key"), self.tr("State")])
        self.toggle_user = QPushButton(self.tr("Disable / enable the user"))
        self.toggle_user.clicked.connect(self._toggle_user)
        self.add_user = QPushButton(self.tr("Add a user…"))
        self.add_user.clicked.connect(self._add_user)
        self.reset_password = QPushButton(self.tr("New password…"))
        self.reset_password.clicked.connect(self._reset_password)
        self.change_role = QPushButton(self.tr("Change role…"))
        self.change_role.clicked.connect(self._change_role)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search login, name or role…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_users)
        self.dialog: UserDialog | None = None
        """The form open now (tests fill it in)."""
        self.revoke_key = QPushButton(self.tr("Revoke the key"))
        self.revoke_key.clicked.connect(self._revoke_key)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.ask)
        township = QPushButton(self.tr("Township files…"))
        township.clicked.connect(self.township_files)
        self.township_dialog: TownshipFilesDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.keys_note = QLabel()
        user_buttons = QHBoxLayout()
        for button in (self.add_user, self.reset_password, self.change_role, self.toggle_user):
            user_buttons.addWidget(button)
        user_buttons.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.revoke_key, refresh, township):
            buttons.addWidget(button)
        buttons.addStretch(1)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(self.tr("Users")))
        heading.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.users, 2)
        layout.addLayout(user_buttons)
        layout.addWidget(QLabel(self.tr("Console keys")))
        layout.addWidget(self.keys, 1)
        layout.addWidget(self.keys_note)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def township_files(self) -> TownshipFilesDialog:
        """Bring in the township's own files (checked, then applied as a new version)."""
        if self.township_dialog is None:
            self.township_dialog = TownshipFilesDialog(self.port, self)
            self.township_dialog.applied.connect(
                lambda v: self.status.setText(
                    self.tr("Township version %1 applied").replace("%1", str(v))
                )
            )
        self.township_dialog.confirm = self.confirm
        self.township_dialog.open()
        return self.township_dialog

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def ask(self) -> None:
        for type_ in (MsgType.ADMIN_USERS_REQUEST, MsgType.ADMIN_KEYS_REQUEST):
            self._send(type_, {})

    def _selected(self, table: QTableWidget, state_column: int) -> tuple[str, bool] | None:
        """The selected row's name and whether it is disabled or revoked."""
        row = table.currentRow()
        name, state = table.item(row, 0), table.item(row, state_column)
        if row < 0 or name is None or state is None:
            return None
        return name.text(), bool(state.data(Qt.ItemDataRole.UserRole))

    def _toggle_user(self) -> None:
        selected = self._selected(self.users, 3)
        if selected is None:
            return
        login, disable = selected[0], not selected[1]
        if disable and not self._confirmed(
            self.tr("Disable %1? Their sessions end at once.").replace("%1", login)
        ):
            return
        body = {"login": login, "disabled": disable}
        self._send(MsgType.ADMIN_USER_SET, body)

    def _filter_users(self) -> None:
        words = self.search.text().strip().casefold()
        for row in range(self.users.rowCount()):
            cells = (self.users.item(row, c) for c in range(3))
            text = " ".join(c.text() for c in cells if c is not None).casefold()
            self.users.setRowHidden(row, bool(words) and words not in text)

    def _add_user(self) -> None:
        fields = ("login", "name", "role", "person", "password")
        self._ask_form(self.tr("Add a user"), fields, None, None)

    def _reset_password(self) -> None:
        if (login := self._selected_login()) is not None:
            title = self.tr("New password for %1").replace("%1", login)
            self._ask_form(title, ("password",), login, None)

    def _change_role(self) -> None:
        if (login := self._selected_login()) is not None:
            title = self.tr("Role of %1").replace("%1", login)
            role = self.users.item(self.users.currentRow(), 2)
            current = Role(role.data(Qt.ItemDataRole.UserRole)) if role is not None else None
            self._ask_form(title, ("role",), login, current)

    def _selected_login(self) -> str | None:
        selected = self._selected(self.users, 3)
        return None if selected is None else selected[0]

    def _ask_form(
        self, title: str, fields: tuple[str, ...], login: str | None, role: Role | None
    ) -> None:
        """Open the form; on OK, the request (the user's sessions end on a new password or
        role: the backend says so in the answer)."""
        self.dialog = UserDialog(title, fields, role, self)
        self.dialog.accepted.connect(lambda: self._send_form(login))
        self.dialog.open()

    def _send_form(self, login: str | None) -> None:
        assert self.dialog is not None
        body = self.dialog.body()
        if login is None:
            self.status.setText(self.tr("Adding %1…").replace("%1", body["login"]))
            self._send(MsgType.ADMIN_USER_ADD, body, timeout=USER_CHANGE_TIMEOUT_S)
        else:
            self.status.setText(self.tr("Changing %1…").replace("%1", login))
            self._send(MsgType.ADMIN_USER_SET, {"login": login, **body},
                       timeout=USER_CHANGE_TIMEOUT_S)  # fmt: skip

    def _revoke_key(self) -> None:
        selected = self._selected(self.keys, 1)
        if selected is None or selected[1]:  # nothing, or revoked already
            return
        name = selected[0]
        if not self._confirmed(
            self.tr("Revoke %1? That console is refused at once, until enrolled again.").replace(
                "%1", name
            )
        ):
            return
        self._send(MsgType.ADMIN_KEY_REVOKE, {"name": name})

    def _confirmed(self, question: str) -> bool:
        if not self.confirm:
            return True
        answer = QMessageBox.question(self, self.tr("Administration"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _send(self, type_: str, body: dict[str, Any], timeout: float = 5.0) -> None:
        pending = self.port.request(type_, body, timeout=timeout)
        pending.answered.connect(self._on_answered)
        pending.refused.connect(self._on_refused)

    def _on_answered(self, reply: Message) -> None:
        if reply.type == MsgType.ADMIN_USERS:
            self._show_users(reply.body["users"])
        elif reply.type == MsgType.ADMIN_KEYS:
            self._show_keys(reply.body)

    def _on_refused(self, code: str, detail: str) -> None:
        self.status.setText(refusal_text(code, detail))

    def _show_users(self, users: list[dict[str, Any]]) -> None:
        self.status.clear()
        self.users.setRowCount(len(users))
        for row, user in enumerate(users):
            disabled = bool(user["disabled"])
            state = QTableWidgetItem(self.tr("disabled") if disabled else self.tr("active"))
            state.setData(Qt.ItemDataRole.UserRole, disabled)
            try:
                role = role_label(Role(user["role"]))
            except ValueError:
                role = str(user["role"])
            role_item = QTableWidgetItem(role)
            role_item.setData(Qt.ItemDataRole.UserRole, user["role"])
            for col, item in enumerate(
                (QTableWidgetItem(user["login"]), QTableWidgetItem(user["name"]), role_item, state)
            ):
                self.users.setItem(row, col, item)
        self._filter_users()

    def _show_keys(self, body: dict[str, Any]) -> None:
        self.status.clear()
        self.keys_note.setText(
            ""
            if body["secure"]
            else self.tr("Plain text: this backend has no keys (one machine only).")
        )
        rows = [(n, False) for n in body["enrolled"]] + [(n, True) for n in body["revoked"]]
        self.keys.setRowCount(len(rows))
        for row, (name, revoked) in enumerate(rows):
            state = QTableWidgetItem(self.tr("revoked") if revoked else self.tr("enrolled"))
            state.setData(Qt.ItemDataRole.UserRole, revoked)
            self.keys.setItem(row, 0, QTableWidgetItem(name))
            self.keys.setItem(row, 1, state)
