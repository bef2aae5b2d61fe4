"""Who may send what: the backend's authorisation table, deny by default (docs/security.md).

The role is the one the backend holds for the logged-in session a request carries, never a
field the client sends. A request type missing here is refused to everybody; `PUBLIC` types
need no login. A command is then checked once more, per action, by domain.lifecycle.RULES.
"""

from __future__ import annotations

from domain.lifecycle import CLIENT_ACTIONS, RULES
from domain.township import Role
from domain.wire import MsgType

R = Role
PUBLIC = frozenset({MsgType.HELLO, MsgType.LOGIN})
"""Before login: the backend's session and update port, and the login itself."""

STAFF = frozenset({R.DUTY_OFFICER, R.SUPERVISOR, R.DEPARTMENT_HANDLER})
GRID = frozenset({R.GRID_WORKER, R.GRID_MEMBER, R.GRID_LEADER})
PEOPLE = STAFF | GRID | {R.ADMINISTRATOR, R.AUDITOR, R.GATEWAY}
"""Every role one logs in with (not `system`, which is the backend itself). A gateway is a
system of the township's (the grid app's server, the hotline's), trusted to say which of the
people it has logged in reports: a grid worker logged in here reports as themselves only."""
VIEWERS = STAFF | GRID | {R.ADMINISTRATOR, R.AUDITOR}
"""What the wall shows, personal data masked: an auditor reads the trail beside the cases it
names. Not a gateway's: it is a machine that reports, not a console."""
COMMANDERS = frozenset(role for a in CLIENT_ACTIONS for role in RULES[a].roles)

ACCESS: dict[str, frozenset[Role]] = {
    MsgType.LOGOUT: PEOPLE,
    MsgType.TOWNSHIP_REQUEST: VIEWERS,
    MsgType.SNAPSHOT_REQUEST: VIEWERS,
    MsgType.DETAIL_REQUEST: VIEWERS,
    MsgType.ATTACHMENT_REQUEST: VIEWERS,
    MsgType.INDICATORS_REQUEST: VIEWERS,
    MsgType.HISTORY_REQUEST: VIEWERS,
    MsgType.CAMERA_HEALTH: STAFF | {R.ADMINISTRATOR},  # a video wall's decoders' findings
    MsgType.EVALUATION_REQUEST: frozenset({R.SUPERVISOR, R.DUTY_OFFICER}),
    MsgType.COMMAND: COMMANDERS,
    MsgType.REPORT_SUBMIT: GRID | {R.GATEWAY},
    MsgType.PATROL_SUBMIT: GRID | {R.GATEWAY},
    MsgType.ATTACHMENT_ADD: STAFF | GRID | {R.GATEWAY},  # a duty officer's camera snapshot too
    MsgType.REVEAL_REQUEST: frozenset({R.SUPERVISOR, R.DEPARTMENT_HANDLER, R.GRID_LEADER}),
    MsgType.AUDIT_REQUEST: frozenset({R.AUDITOR}),
    MsgType.ADMIN_USERS_REQUEST: frozenset({R.ADMINISTRATOR}),
    MsgType.ADMIN_USER_SET: frozenset({R.ADMINISTRATOR}),
    MsgType.ADMIN_KEYS_REQUEST: frozenset({R.ADMINISTRATOR}),
    MsgType.ADMIN_KEY_REVOKE: frozenset({R.ADMINISTRATOR}),
}
"""Request type → the roles that may send it."""


def may_send(role: Role, request_type: str) -> bool:
    return role in ACCESS.get(request_type, frozenset())
