"""User-visible names of the domain's enums, through Qt's translation system."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from domain.deadlines import Stage
from domain.incident import Channel, IncidentState, Level, Urgency
from domain.lifecycle import Action
from domain.township import Role

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

_LEVEL = {
    Level.VILLAGE: QT_TRANSLATE_NOOP("Labels", "Village"),
    Level.TOWN_PLATFORM: QT_TRANSLATE_NOOP("Labels", "Town platform"),
    Level.CROSS_PLATFORM: QT_TRANSLATE_NOOP("Labels", "Cross-platform"),
    Level.TASK_FORCE: QT_TRANSLATE_NOOP("Labels", "Task force"),
}
_ACTION = {
    Action.PASS_UP: QT_TRANSLATE_NOOP("Labels", "Pass up"),
    Action.SETTLE: QT_TRANSLATE_NOOP("Labels", "Settle in the village"),
    Action.ACCEPT: QT_TRANSLATE_NOOP("Labels", "Accept"),
    Action.REJECT: QT_TRANSLATE_NOOP("Labels", "Reject"),
    Action.DISPATCH: QT_TRANSLATE_NOOP("Labels", "Dispatch"),
    Action.RETURN: QT_TRANSLATE_NOOP("Labels", "Return"),
    Action.START: QT_TRANSLATE_NOOP("Labels", "Start handling"),
    Action.REQUEST_EXTENSION: QT_TRANSLATE_NOOP("Labels", "Request extension"),
    Action.APPROVE_EXTENSION: QT_TRANSLATE_NOOP("Labels", "Approve extension"),
    Action.DENY_EXTENSION: QT_TRANSLATE_NOOP("Labels", "Deny extension"),
    Action.REPLY: QT_TRANSLATE_NOOP("Labels", "Reply"),
    Action.VERIFY: QT_TRANSLATE_NOOP("Labels", "Verify"),
    Action.REOPEN: QT_TRANSLATE_NOOP("Labels", "Reopen"),
    Action.CLOSE: QT_TRANSLATE_NOOP("Labels", "Close"),
    Action.EVALUATE: QT_TRANSLATE_NOOP("Labels", "Evaluate"),
    Action.PARK: QT_TRANSLATE_NOOP("Labels", "Park"),
    Action.UNPARK: QT_TRANSLATE_NOOP("Labels", "Unpark"),
    Action.ESCALATE: QT_TRANSLATE_NOOP("Labels", "Escalate"),
    Action.URGE: QT_TRANSLATE_NOOP("Labels", "Urge on"),
    Action.MERGE: QT_TRANSLATE_NOOP("Labels", "Merge duplicate"),
    Action.OVERDUE: QT_TRANSLATE_NOOP("Labels", "Overdue"),
}
_ROLE = {
    Role.GRID_WORKER: QT_TRANSLATE_NOOP("Labels", "Grid worker"),
    Role.GRID_MEMBER: QT_TRANSLATE_NOOP("Labels", "Grid member"),
    Role.GRID_LEADER: QT_TRANSLATE_NOOP("Labels", "Grid leader"),
    Role.DUTY_OFFICER: QT_TRANSLATE_NOOP("Labels", "Duty officer"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Labels", "Supervisor"),
    Role.DEPARTMENT_HANDLER: QT_TRANSLATE_NOOP("Labels", "Department handler"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("Labels", "Administrator"),
    Role.AUDITOR: QT_TRANSLATE_NOOP("Labels", "Auditor"),
    Role.GATEWAY: QT_TRANSLATE_NOOP("Labels", "Gateway"),
    Role.SYSTEM: QT_TRANSLATE_NOOP("Labels", "System"),
}
_STAGE = {
    Stage.ACCEPT: QT_TRANSLATE_NOOP("Labels", "Acceptance"),
    Stage.DISPATCH: QT_TRANSLATE_NOOP("Labels", "Dispatch"),
    Stage.HANDLE: QT_TRANSLATE_NOOP("Labels", "Handling"),
    Stage.VERIFY: QT_TRANSLATE_NOOP("Labels", "Verification"),
}
_ACTION_LOG = {"report": QT_TRANSLATE_NOOP("Labels", "Reported")}


def _t(text: object) -> str:
    return QCoreApplication.translate("Labels", str(text))


def urgency_label(urgency: Urgency) -> str:
    return _t(_URGENCY[urgency])


def channel_label(channel: Channel) -> str:
    return _t(_CHANNEL[channel])


def state_label(state: IncidentState) -> str:
    return _t(_STATE[state])


def level_label(level: Level) -> str:
    return _t(_LEVEL[level])


def action_label(action: Action | str) -> str:
    """An action's name; also the action log's `report` row."""
    if action in _ACTION_LOG:
        return _t(_ACTION_LOG[str(action)])
    try:
        return _t(_ACTION[Action(action)])
    except ValueError:
        return str(action)


def stage_label(stage: str) -> str:
    """A deadline stage's name; an unknown code (a newer backend's) as it came."""
    try:
        return _t(_STAGE[Stage(stage)])
    except ValueError:
        return stage


def role_label(role: Role) -> str:
    return _t(_ROLE[role])
