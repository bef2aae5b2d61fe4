"""The administrator's forms for a user: a new one, a new password, another role.

What the backend would refuse is said in the form first (the two passwords differ, one too
short); the backend still checks everything (strength, a login taken) and says why not.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.labels import role_label
from domain.accounts import MIN_DIFFERENT_CHARS, MIN_PASSWORD_CHARS, PERSON_ROLES
from domain.township import Role

ROLES = (
    Role.DUTY_OFFICER, Role.SUPERVISOR, Role.DEPARTMENT_HANDLER, Role.GRID_LEADER,
    Role.GRID_WORKER, Role.GRID_MEMBER, Role.ADMINISTRATOR, Role.AUDITOR,
)  # fmt: skip


class UserDialog(QDialog):
    """`fields`: any of login, name, role, person, password (asked twice)."""

    def __init__(
        self, title: str, fields: tuple[str, ...], role: Role | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.login, self.name, self.person = QLineEdit(), QLineEdit(), QLineEdit()
        self.login.setMaxLength(32)
        self.name.setMaxLength(64)
        self.person.setPlaceholderText(self.tr("Optional: the person's code, e.g. P0001"))
        self.role = QComboBox()
        for r in ROLES:
            self.role.addItem(role_label(r), r.value)
        if role is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(role.value)))
        self.password, self.again = QLineEdit(), QLineEdit()
        for line in (self.password, self.again):
            line.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("At least %1 characters, not only digits or letters").replace(
                "%1", str(MIN_PASSWORD_CHARS)
            )
        )
        self._fields = fields
        rows = {
            "login": (self.tr("Login"), self.login),
            "name": (self.tr("Name"), self.name),
            "role": (self.tr("Role"), self.role),
            "person": (self.tr("Person"), self.person),
        }
        for key in fields:
            if key in rows:
                form.addRow(*rows[key])
        if "password" in fields:
            form.addRow(self.tr("Password"), self.password)
            form.addRow(self.tr("Password again"), self.again)
        self.problem = QLabel()
        self.problem.setObjectName("refusal")
        self.problem.hide()
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_sound)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        for line in (self.login, self.name, self.person, self.password, self.again):
            line.textChanged.connect(self._check)
        self.role.currentIndexChanged.connect(self._check)
        self._check()

    def problem_text(self) -> str:
        """What is missing or wrong, in words; "" when the form may be sent."""
        f = self._fields
        if "login" in f and not self.login.text().strip():
            return self.tr("Give a login.")
        if "name" in f and not self.name.text().strip():
            return self.tr("Give the name shown and recorded.")
        needs_person = Role(self.role.currentData()) in PERSON_ROLES
        if "person" in f and needs_person and not self.person.text().strip():
            return self.tr("This role needs the person's code (their department, village or grid).")
        if "password" in f:
            password = self.password.text()
            if len(password) < MIN_PASSWORD_CHARS:
                return self.tr("The password needs at least %1 characters.").replace(
                    "%1", str(MIN_PASSWORD_CHARS)
                )
            if password.isdigit() or password.isalpha():
                return self.tr("The password needs letters and digits both.")
            if len(set(password.strip())) < MIN_DIFFERENT_CHARS:
                return self.tr("The password needs at least %1 different characters.").replace(
                    "%1", str(MIN_DIFFERENT_CHARS)
                )
            if password != self.again.text():
                return self.tr("The two passwords differ.")
        return ""

    def _check(self) -> None:
        problem = self.problem_text()
        self.ok_button.setEnabled(not problem)
        self.problem.setText(problem)
        typed = any(line.text() for line in (self.login, self.name, self.password))
        self.problem.setVisible(bool(problem) and typed)

    def _accept_if_sound(self) -> None:
        if not self.problem_text():
            self.accept()

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "login" in self._fields:
            out["login"] = self.login.text().strip()
        if "name" in self._fields:
            out["name"] = self.name.text().strip()
        if "role" in self._fields:
            out["role"] = self.role.currentData()
        if "person" in self._fields and self.person.text().strip():
            out["person"] = self.person.text().strip()
        if "password" in self._fields:
            out["password"] = self.password.text()
        return out
