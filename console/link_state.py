"""The link's states, as widgets show them: a name each, no sockets.

Kept apart from `console.link` so that widgets can say what the link is doing without
importing the link (the import-linter contract "widgets and models never import the link").
"""

from __future__ import annotations

from enum import StrEnum


class LinkState(StrEnum):
    WAITING = "waiting"  # no backend address yet
    STARTING = "starting"  # a backend is there but still loading (or the embedded one not READY)
    CONNECTING = "connecting"
    RESYNCING = "resyncing"
    LIVE = "live"
    STALE = "stale"
    RECONNECTING = "reconnecting"
    REFUSED = "refused"  # the backend refuses this console's key: not enrolled, or revoked
    LOGIN_NEEDED = "login_needed"  # connected; nobody is logged in (or the login ended)
