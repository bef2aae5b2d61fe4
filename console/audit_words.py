"""The audit trail in words: request types and actions, roles and consoles by their Chinese
names, not the wire's codes ("command.dispatch", "grid_leader", "plain")."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.labels import action_label, role_label
from domain.township import Role


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditWords", text)


# fmt: off
_WHAT = {
    "login": QT_TRANSLATE_NOOP("AuditWords", "Log in"),
    "logout": QT_TRANSLATE_NOOP("AuditWords", "Log out"),
    "report.submit": QT_TRANSLATE_NOOP("AuditWords", "Report a case"),
    "patrol.submit": QT_TRANSLATE_NOOP("AuditWords", "Send a patrol"),
    "attachment.add": QT_TRANSLATE_NOOP("AuditWords", "Add a photo"),
    "camera.health": QT_TRANSLATE_NOOP("AuditWords", "Camera states from a wall"),
    "camera.credentials.request": QT_TRANSLATE_NOOP("AuditWords", "Read the cameras' passwords"),
    "camera.test": QT_TRANSLATE_NOOP("AuditWords", "Test a camera"),
    "camera.set": QT_TRANSLATE_NOOP("AuditWords", "Add or change a camera"),
    "camera.remove": QT_TRANSLATE_NOOP("AuditWords", "Remove a camera"),
    "personal.reveal": QT_TRANSLATE_NOOP("AuditWords", "See a reporter's contact in full"),
    "audit.request": QT_TRANSLATE_NOOP("AuditWords", "Read the audit trail"),
    "admin.users.request": QT_TRANSLATE_NOOP("AuditWords", "Read the users"),
    "admin.user.set": QT_TRANSLATE_NOOP("AuditWords", "Change a user"),
    "admin.keys.request": QT_TRANSLATE_NOOP("AuditWords", "Read the console keys"),
    "admin.key.revoke": QT_TRANSLATE_NOOP("AuditWords", "Revoke a console key"),
    "township.check": QT_TRANSLATE_NOOP("AuditWords", "Check the township's files"),
    "township.apply": QT_TRANSLATE_NOOP("AuditWords", "Apply the township's files"),
    "township.applied": QT_TRANSLATE_NOOP("AuditWords", "Township's files applied"),
    "user.changed": QT_TRANSLATE_NOOP("AuditWords", "User changed"),
    "key.enrolled": QT_TRANSLATE_NOOP("AuditWords", "Console key enrolled"),
    "key.revoked": QT_TRANSLATE_NOOP("AuditWords", "Console key revoked"),
    "audit.pruned": QT_TRANSLATE_NOOP("AuditWords", "Old entries archived"),
}
_WHO = {  # the backend's own tools, where a person would be
    "system": QT_TRANSLATE_NOOP("AuditWords", "System"),
    "backend": QT_TRANSLATE_NOOP("AuditWords", "Backend"),
    "seed": QT_TRANSLATE_NOOP("AuditWords", "First import"),
    "users command": QT_TRANSLATE_NOOP("AuditWords", "User tool on the server"),
    "key folder": QT_TRANSLATE_NOOP("AuditWords", "Key folder on the server"),
    "township command": QT_TRANSLATE_NOOP("AuditWords", "Township tool on the server"),
}
_RESULTS = {
    "ok": QT_TRANSLATE_NOOP("AuditWords", "Done"),
    "not_allowed": QT_TRANSLATE_NOOP("AuditWords", "Refused: not allowed"),
    "not_logged_in": QT_TRANSLATE_NOOP("AuditWords", "Refused: not logged in"),
    "login_failed": QT_TRANSLATE_NOOP("AuditWords", "Wrong user or password"),
    "rate_limited": QT_TRANSLATE_NOOP("AuditWords", "Refused: too many tries"),
    "stale_version": QT_TRANSLATE_NOOP("AuditWords", "Refused: changed meanwhile"),
    "illegal_transition": QT_TRANSLATE_NOOP("AuditWords", "Refused: not possible in its state"),
    "invalid": QT_TRANSLATE_NOOP("AuditWords", "Refused: missing or wrong information"),
    "unknown_incident": QT_TRANSLATE_NOOP("AuditWords", "Refused: no such case"),
}
# fmt: on
_PLAIN = QT_TRANSLATE_NOOP("AuditWords", "This machine (plain link)")
_OTHER = QT_TRANSLATE_NOOP("AuditWords", "Other request (%1)")
_REFUSED = QT_TRANSLATE_NOOP("AuditWords", "Refused (%1)")


def what_words(what: str) -> str:
    """`command.dispatch` → 派遣; `report.submit` → 上报事件; anything newer named as such."""
    if what.startswith("command."):
        return action_label(what.removeprefix("command."))
    if what in _WHAT:
        return _tr(str(_WHAT[what]))
    return _tr(str(_OTHER)).replace("%1", what)


def role_words(role: str) -> str:
    try:
        return role_label(Role(role))
    except ValueError:
        return role


def console_words(console: str) -> str:
    """The enrolled console's name as it was given; a plain-text link is said so."""
    if console == "plain":
        return _tr(str(_PLAIN))
    return _tr(str(_WHO["backend"])) if console == "backend" else console


def who_words(who: str) -> str:
    """A login as it is; the backend's own tools by name."""
    return _tr(str(_WHO[who])) if who in _WHO else who


def result_words(result: str) -> str:
    if result in _RESULTS:
        return _tr(str(_RESULTS[result]))
    return _tr(str(_REFUSED)).replace("%1", result)
