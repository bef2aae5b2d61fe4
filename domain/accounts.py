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


TIED_REGISTER = {
    Role.DEPARTMENT_HANDLER: "departments",
    Role.GRID_LEADER: "villages",
    Role.GRID_WORKER: "grids",
    Role.GRID_MEMBER: "grids",
}
"""The register a role may be tied to beside its person (`python -m backend users add
--department`): a handler's department, a grid leader's village, a grid worker's grids. Their
scope is what their person's lists give and what they are tied to (domain.scope)."""
REGISTERS = ("departments", "villages", "grids")


def tie_problem(role: Role, ties: dict[str, list[str]], known: dict[str, set[str]]) -> str | None:
    """Why a user of `role` cannot be tied to `ties` (register -> codes) in a township whose
    registers hold `known` codes, or None."""
    for register, codes in ties.items():
        if not codes:
            continue
        if register not in REGISTERS:
            return f"no register {register!r}"
        if TIED_REGISTER.get(role) != register:
            allowed = TIED_REGISTER.get(role)
            return f"a {role.value} is tied to " + (
                f"{allowed}, not {register}"
                if allowed
                else f"nothing (the whole township): not {register}"
            )
        unknown = sorted(set(codes) - known.get(register, set()))
        if unknown:
            return f"no {register} {', '.join(unknown)} in the township"
    return None
