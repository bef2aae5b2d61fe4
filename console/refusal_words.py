"""A refusal in the user's language: what it means for them, then the backend's reason put in
words from the translation files. The backend's own sentence (English, for logs and the
protocol) is never shown raw in a Chinese UI: a reason we cannot read stays in the tooltip."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.labels import action_label, role_label, state_label
from domain.incident import Incident, IncidentState
from domain.lifecycle import RULES, Action
from domain.township import Role


def _tr(text: str) -> str:
    return QCoreApplication.translate("Refusals", text)


# fmt: off
_PLAIN = {
    "stale_version": QT_TRANSLATE_NOOP("Refusals", "Someone else changed this case after you looked at it. The queue shows it as it is now; look again before acting."),  # noqa: E501
    "illegal_transition": QT_TRANSLATE_NOOP("Refusals", "That step is not possible in the case's current state."),  # noqa: E501
    "not_allowed": QT_TRANSLATE_NOOP("Refusals", "Your role may not take that step."),
    "invalid": QT_TRANSLATE_NOOP("Refusals", "Something the step needs is missing or wrong."),
    "unknown_incident": QT_TRANSLATE_NOOP("Refusals", "The backend does not know this case."),
    "timeout": QT_TRANSLATE_NOOP("Refusals", "The backend did not answer in time. The queue will show whether the step was taken."),  # noqa: E501
    "not_connected": QT_TRANSLATE_NOOP("Refusals", "There is no connection to the backend; nothing was sent."),  # noqa: E501
    "rate_limited": QT_TRANSLATE_NOOP("Refusals", "Too many requests; wait a moment and try again."),  # noqa: E501
    "starting": QT_TRANSLATE_NOOP("Refusals", "The backend is still starting; try again in a moment."),  # noqa: E501
}
_REFUSED = QT_TRANSLATE_NOOP("Refusals", "The backend refused the step.")
_FIELDS = {
    "reason": QT_TRANSLATE_NOOP("Refusals", "a reason"),
    "note": QT_TRANSLATE_NOOP("Refusals", "a note"),
    "department": QT_TRANSLATE_NOOP("Refusals", "a department"),
    "duration": QT_TRANSLATE_NOOP("Refusals", "the extra time"),
    "score": QT_TRANSLATE_NOOP("Refusals", "a score"),
    "target": QT_TRANSLATE_NOOP("Refusals", "the case it duplicates"),
}
# fmt: on


def _needs(m: re.Match[str]) -> str:
    field = _tr(str(_FIELDS.get(m["field"], m["field"])))
    return (
        QCoreApplication.translate("Refusals", "%1 needs %2.")
        .replace("%1", action_label(m["action"]))
        .replace("%2", field)
    )


def _cannot(m: re.Match[str]) -> str:
    state = _known(IncidentState, m["state"], state_label)
    return (
        QCoreApplication.translate("Refusals", "%1 is %2 now: it cannot be given “%3”.")
        .replace("%1", m["number"]).replace("%2", state).replace("%3", action_label(m["action"]))
    )  # fmt: skip


def _may_not(m: re.Match[str]) -> str:
    role = _known(Role, m["role"], role_label)
    return (
        QCoreApplication.translate("Refusals", "A %1 may not %2.")
        .replace("%1", role)
        .replace("%2", action_label(m["action"]))
    )


# fmt: off
_FIXED = [
    (r"changed since you saw it|changed by someone else", ""),
    (r"outside your scope", QT_TRANSLATE_NOOP("Refusals", "The case is outside what you may see.")),
    (r"already has an extension request", QT_TRANSLATE_NOOP("Refusals", "An extension has already been asked for.")),  # noqa: E501
    (r"has no extension request", QT_TRANSLATE_NOOP("Refusals", "No extension was asked for.")),
    (r"already with a task force", QT_TRANSLATE_NOOP("Refusals", "It is already with a task force.")),  # noqa: E501
    (r"^score must be", QT_TRANSLATE_NOOP("Refusals", "The score is a whole number from 1 to 5.")),
    (r"merge", QT_TRANSLATE_NOOP("Refusals", "Choose an open case of the same category to merge into.")),  # noqa: E501
    (r"password too weak", QT_TRANSLATE_NOOP("Refusals", "The password is too weak: at least 10 characters, letters and digits both, 5 of them different.")),  # noqa: E501
    (r"exists already", QT_TRANSLATE_NOOP("Refusals", "That login is taken (letter case aside).")),
    (r"cannot lock themselves out", QT_TRANSLATE_NOOP("Refusals", "An administrator cannot disable themselves or give up their own role.")),  # noqa: E501
    (r"only auditor", QT_TRANSLATE_NOOP("Refusals", "The only auditor cannot be disabled or given another role: add another auditor first.")),  # noqa: E501
    (r"needs their person", QT_TRANSLATE_NOOP("Refusals", "This role needs the user's person in the township (their department, village or grid).")),  # noqa: E501
    (r"^no person ", QT_TRANSLATE_NOOP("Refusals", "There is no such person in the township.")),
    (r"^no user ", QT_TRANSLATE_NOOP("Refusals", "There is no such user.")),
    (r"^login .*letters, digits", QT_TRANSLATE_NOOP("Refusals", "A login is letters, digits, '.', '_' or '-', up to 32.")),  # noqa: E501
    (r"name shown must be", QT_TRANSLATE_NOOP("Refusals", "The name is 1 to 64 characters.")),
    (r"unknown department|assisting must list|a list of at most", QT_TRANSLATE_NOOP("Refusals", "Assisting departments are other departments of the township, each once, ten at most.")),  # noqa: E501
    (r"is longer than|must be text of", QT_TRANSLATE_NOOP("Refusals", "A text is too long (500 characters at most).")),  # noqa: E501
    (r"takes no |must be text", QT_TRANSLATE_NOOP("Refusals", "The step was sent with something it does not take.")),  # noqa: E501
]
# fmt: on
_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?P<action>\w+) needs (?P<field>\w+)$"), _needs),
    (re.compile(r"^cannot (?P<action>\w+) (?P<number>\S+): it is (?P<state>\w+)$"), _cannot),
    (re.compile(r"^an? (?P<role>\w+) may not (?P<action>\w+); allowed: .*$"), _may_not),
    *((re.compile(p), lambda _m, w=str(w): _tr(w) if w else "") for p, w in _FIXED),
]


def _known(kind: type, value: str, label: Callable[..., str]) -> str:
    try:
        return label(kind(value))
    except ValueError:
        return value


def reason_words(detail: str) -> str | None:
    """The backend's reason in the user's words; "" when the plain sentence says it all;
    None when we do not know the reason's form."""
    for pattern, words in _REASONS:
        if m := pattern.search(detail):
            try:
                return words(m)
            except ValueError:
                return None
    return None


def unavailable_text(action: Action, incident: Incident | None, busy: bool) -> str:
    """Why a step asked for by its shortcut was not taken."""
    name = action_label(action)
    if incident is None:
        return QCoreApplication.translate("Refusals", "%1: select a case first.").replace(
            "%1", name
        )
    if busy:
        return QCoreApplication.translate(
            "Refusals", "%1: wait for the answer to the step already sent."
        ).replace("%1", name)
    if incident.state not in RULES[action].from_states:
        return (
            QCoreApplication.translate("Refusals", "%1 is %2 now: it cannot be given “%3”.")
            .replace("%1", incident.display_number).replace("%2", state_label(incident.state))
            .replace("%3", name)
        )  # fmt: skip
    return (
        QCoreApplication.translate("Refusals", "%1 is not possible for %2 now.")
        .replace("%1", name)
        .replace("%2", incident.display_number)
    )


def refusal_text(code: str, detail: str) -> str:
    """What a refusal means for the person who asked, then its reason in their words."""
    plain = _tr(str(_PLAIN.get(code, _REFUSED)))
    reason = reason_words(detail) if detail else ""
    return f"{plain} {reason}" if reason else plain
