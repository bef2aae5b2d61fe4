"""Who may send what: deny by default (docs/security.md). The table itself is domain.requests:
each request type's row names the roles that may send it.

The role is the one the backend holds for the logged-in session a request carries, never a
field the client sends. A request type missing from the table is refused to everybody; public
types need no login. A command is then checked once more, per action, by domain.lifecycle.RULES.
"""

from __future__ import annotations

from domain.incident import Channel
from domain.requests import (
    ACCESS,
    COMMANDERS,
    GRID,
    PEOPLE,
    PUBLIC,
    STAFF,
    VIEWERS,
    may_send,
)
from domain.township import Role

__all__ = [
    "ACCESS",
    "COMMANDERS",
    "GRID",
    "PEOPLE",
    "PUBLIC",
    "STAFF",
    "VIEWERS",
    "may_send",
    "not_own_patrol",
    "not_own_report",
]


def not_own_report(role: Role, name: str, reporter: str, channel: Channel) -> str | None:
    """A grid role reports on the grid app, as themselves (a resident's words come by the
    hotline or the resident's app, through a gateway); a gateway reports for the people it
    logged in. Why not, or None."""
    if role not in GRID:
        return None
    if channel != Channel.GRID_APP:
        return f"a grid role reports on the grid app ({Channel.GRID_APP.value}) only"
    if reporter != name:
        return f"a grid app report is reported by the user logged in ({name})"
    return None


def not_own_patrol(role: Role, person: str | None, worker: str) -> str | None:
    """A patrol is sent by the one who walked it (or by a gateway). Why not, or None."""
    if role in GRID and worker != person:
        return f"a patrol is sent by the one who walked it ({person})"
    return None
