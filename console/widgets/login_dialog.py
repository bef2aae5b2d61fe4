"""The login: who sits at this console decides what the backend lets it do.

Not modal to the application: the wall behind it keeps running (the update stream needs no
login), and the dialog comes back by itself whenever the backend ends the login.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

REFUSALS = {
    "login_failed": QT_TRANSLATE_NOOP(
        "LoginDialog", "Wrong user name or password, or the user is disabled."
    ),
    "rate_limited": QT_TRANSLATE_NOOP(
        "LoginDialog", "Too many wrong passwords: this user must wait a few minutes."
    ),
    "not_logged_in": QT_TRANSLATE_NOOP(
        "LoginDialog", "The backend ended this login (logged out, idle, or user disabled)."
    ),
    "not_allowed": QT_TRANSLATE_NOOP(
        "LoginDialog", "This user's role cannot use a console (a system's login, not a person's)."
    ),
}


class LoginDialog(QDialog):
    credentials_given = Signal(str, str)

    def __init__(self, hint: str = "", user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log in"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumWidth(460)
        self.user = QLineEdit(user)
        self.user.setPlaceholderText(self.tr("user name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("password"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #e04040")
        self.error.setWordWrap(True)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        form = QFormLayout()
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Log in"))
        buttons.accepted.connect(self._give)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.error.hide()

    def ask(self) -> None:
        """Show (again), ready for typing."""
        self.ok.setEnabled(True)
        self.show()
        self.raise_()
        (self.password if self.user.text() else self.user).setFocus()

    def refused(self, code: str, detail: str) -> None:
        known = REFUSALS.get(code)
        self.error.setText(
            QCoreApplication.translate("LoginDialog", str(known)) if known else detail
        )
        self.error.show()
        self.ask()

    def _give(self) -> None:
        user, password = self.user.text().strip(), self.password.text()
        if not user or not password:
            return
        self.password.clear()
        self.ok.setEnabled(False)
        self.error.hide()
        self.credentials_given.emit(user, password)

    def done_logging_in(self) -> None:
        self.error.hide()
        self.hide()
