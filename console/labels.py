"""User-visible names of the domain's enums, through Qt's translation system."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from domain.incident import Channel, IncidentState, Urgency

_URGENCY = {
    Urgency.NORMAL: QT_TRANSLATE_NOOP("Labels", "Normal"),
    Urgency.URGENT: QT_TRANSLATE_NOOP("Labels", "Urgent"),
    Urgency.VERY_URGENT: QT_TRANSLATE_NOOP("Labels", "Very urgent"),
}
_CHANNEL = {
    Channel.GRID_APP: QT_TRANSLATE_NOOP("Labels", "Grid app"),
    Channel.RESIDENT_APP: QT_TRANSLATE_NOOP("Labels", "Resident app"),
    Channel.HOTLINE: QT_TRANSLATE_NOOP("Labels", "Hotline"),
    Channel.CAMERA: QT_TRANSLATE_NOOP("Labels", "Camera"),
    Channel.ENFORCEMENT: QT_TRANSLATE_NOOP("Labels", "Enforcement"),
}
_STATE = {
    IncidentState.REPORTED: QT_TRANSLATE_NOOP("Labels", "Reported"),
    IncidentState.PASSED_UP: QT_TRANSLATE_NOOP("Labels", "Passed up"),
    IncidentState.ACCEPTED: QT_TRANSLATE_NOOP("Labels", "Accepted"),
    IncidentState.REJECTED: QT_TRANSLATE_NOOP("Labels", "Rejected"),
    IncidentState.DISPATCHED: QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    IncidentState.RETURNED: QT_TRANSLATE_NOOP("Labels", "Returned"),
    IncidentState.IN_PROGRESS: QT_TRANSLATE_NOOP("Labels", "In progress"),
    IncidentState.REPLIED: QT_TRANSLATE_NOOP("Labels", "Replied"),
    IncidentState.VERIFIED: QT_TRANSLATE_NOOP("Labels", "Verified"),
    IncidentState.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
    IncidentState.EVALUATED: QT_TRANSLATE_NOOP("Labels", "Evaluated"),
    IncidentState.PARKED: QT_TRANSLATE_NOOP("Labels", "Parked"),
    IncidentState.MERGED: QT_TRANSLATE_NOOP("Labels", "Merged"),
}


def _t(text: object) -> str:
    return QCoreApplication.translate("Labels", str(text))


def urgency_label(urgency: Urgency) -> str:
    return _t(_URGENCY[urgency])


def channel_label(channel: Channel) -> str:
    return _t(_CHANNEL[channel])


def state_label(state: IncidentState) -> str:
    return _t(_STATE[state])
