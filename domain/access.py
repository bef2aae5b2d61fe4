"""Who may send what: deny by default (docs/security.md). The table itself is domain.requests:
each request type's row names the roles that may send it.

The role is the one the backend holds for the logged-in session a request carries, never a
field the client sends. A request type missing from the table is refused to everybody; public
types need no login. A command is then checked once more, per action, by domain.lifecycle.RULES.
"""

from __future__ import annotations

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

__all__ = ["ACCESS", "COMMANDERS", "GRID", "PEOPLE", "PUBLIC", "STAFF", "VIEWERS", "may_send"]
