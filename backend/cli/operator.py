"""Who runs a tool on the backend's machine, as the audit trail records it: the name given
(`--by`, a claim) with the machine's account that gave it (not a claim)."""

from __future__ import annotations

import getpass


def account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        return "?"


def recorded(by: str | None) -> str:
    """`王建国 (os: ops)`, or the account alone; at most 64 characters (the trail's column)."""
    user = account()
    if not by or by == user:
        return f"os: {user}"[:64]
    return f"{by[:40]} (os: {user})"[:64]
