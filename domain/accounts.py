"""The rules of a user account, the same on both sides: the backend refuses what breaks them,
the administrator's form says so before sending."""

from __future__ import annotations

from domain.township import Role

PERSON_ROLES = frozenset(
    {Role.DEPARTMENT_HANDLER, Role.GRID_LEADER, Role.GRID_WORKER, Role.GRID_MEMBER}
)
"""Roles whose scope comes from the person (domain.scope): without one, a login sees nothing."""
MIN_PASSWORD_CHARS = 10
MIN_DIFFERENT_CHARS = 5
"""'aaaaaaaaa1' and ten spaces and a 1 passed the first two rules."""


def weak_reason(password: str) -> str | None:
    """Why a password is too weak, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"at least {MIN_PASSWORD_CHARS} characters"
    if password.isdigit() or password.isalpha():
        return "letters and digits both"
    if len(set(password.strip())) < MIN_DIFFERENT_CHARS:
        return f"at least {MIN_DIFFERENT_CHARS} different characters"
    return None
