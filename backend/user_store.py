"""Users and their login sessions in the database (tables `app_user`, `login_session`)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update

from backend.passwords import DEMO_HASH_PREFIX
from backend.schema import LoginSessionRow, UserRow
from backend.store import Store
from domain.access import PEOPLE
from domain.township import Role

LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


class UserError(ValueError):
    """A user that cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class User:
    login: str
    name: str
    role: Role
    person: str | None
    disabled: bool
    changed_at: float
    ties: dict[str, list[str]] = field(default_factory=dict)
    """What they are tied to beside their person's lists (domain.accounts.TIED_REGISTER)."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    token_hash: str
    login: str
    console: str
    started_at: float


class UserStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        login: str,
        name: str,
        role: Role,
        password_hash: str,
        person: str | None = None,
        ties: dict[str, list[str]] | None = None,
    ) -> User:
        if not LOGIN.fullmatch(login):
            raise UserError(f"login {login!r}: letters, digits, '.', '_' or '-', up to 32")
        if role not in PEOPLE:
            raise UserError(f"role {role.value!r} is not a person's role")
        if not name.strip() or len(name) > 64:
            raise UserError("the name shown must be 1–64 characters")
        with self.store.unit_of_work() as s:
            # 'Supervisor' beside 'supervisor' would be a look-alike account
            same = func.lower(UserRow.login) == login.lower()
            taken = s.scalar(select(UserRow.login).where(same))
            if taken is not None:
                raise UserError(f"user {taken!r} exists already")
            row = _row(login, name, role, person, password_hash, time.time())
            row.ties = _tidy(ties)
            s.add(row)
        return _user(row)

    def add_many(self, rows: list[tuple[str, str, Role, str | None]], password_hash: str) -> int:
        """Users that do not exist yet, all with one password (the demo township's); how many."""
        now = time.time()
        with self.store.unit_of_work() as s:
            known = set(s.scalars(select(UserRow.login)))
            fresh = [
                _row(login, name, role, person, password_hash, now)
                for login, name, role, person in rows
                if login not in known
            ]
            s.add_all(fresh)
        return len(fresh)

    def set_password(self, login: str, password_hash: str) -> None:
        self._change(login, password_hash=password_hash)

    def set_disabled(self, login: str, disabled: bool) -> None:
        self._change(login, disabled=disabled)

    def set_ties(self, login: str, ties: dict[str, list[str]]) -> None:
        """Replaces what the user is tied to (checked by the caller against the township)."""
        self._change(login, ties=_tidy(ties))

    def set_role(self, login: str, role: Role) -> None:
        if role not in PEOPLE:
            raise UserError(f"role {role.value!r} is not a person's role")
        self._change(login, role=role.value)

    def _change(self, login: str, **values: object) -> None:
        with self.store.unit_of_work() as s:
            done = s.execute(
                update(UserRow)
                .where(UserRow.login == login)
                .values(**values, changed_at=time.time())
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise UserError(f"no user {login!r}")

    def get(self, login: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        with self.store.unit_of_work() as s:
            row = s.get(UserRow, login)
            return None if row is None else (_user(row), row.password_hash)

    def demo_logins(self) -> list[str]:
        """The users made for the demo (their hash says so), enabled or not."""
        query = select(UserRow.login).where(UserRow.password_hash.startswith(DEMO_HASH_PREFIX))
        with self.store.unit_of_work() as s:
            return sorted(s.scalars(query))

    def all(self) -> list[User]:
        with self.store.unit_of_work() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.login))]

    def changed_since(self, since: float) -> list[User]:
        """Asked every second by the running backend: a Core read (an ORM session's set-up
        was most of it)."""
        table = UserRow.__table__
        query = select(table).where(table.c.changed_at > since).order_by(table.c.changed_at)
        with self.store.engine.connect() as c:
            return [_user(r) for r in c.execute(query)]

    def start_session(self, token_hash: str, login: str, console: str, at: float) -> None:
        with self.store.unit_of_work() as s:
            s.add(
                LoginSessionRow(token_hash=token_hash, login=login, console=console, started_at=at)
            )

    def end_sessions(self, token_hashes: list[str], at: float) -> None:
        if token_hashes:
            with self.store.unit_of_work() as s:
                s.execute(
                    update(LoginSessionRow)
                    .where(LoginSessionRow.token_hash.in_(token_hashes))
                    .values(ended_at=at)
                )

    def open_sessions(self, since: float) -> list[StoredSession]:
        """Sessions not ended and started after `since` (older ones are past any idle limit
        the backend could still honour)."""
        with self.store.unit_of_work() as s:
            query = select(LoginSessionRow).where(
                LoginSessionRow.ended_at.is_(None), LoginSessionRow.started_at > since
            )
            return [
                StoredSession(r.token_hash, r.login, r.console, r.started_at)
                for r in s.scalars(query)
            ]


def _row(
    login: str, name: str, role: Role, person: str | None, password_hash: str, now: float
) -> UserRow:
    return UserRow(
        login=login, display_name=name, role=role.value, person=person,
        password_hash=password_hash, disabled=False, changed_at=now,
    )  # fmt: skip


def _tidy(ties: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    kept = {register: sorted(set(codes)) for register, codes in (ties or {}).items() if codes}
    return kept or None


def _user(row: Any) -> User:
    """Of a UserRow or a Core row of its table."""
    ties = row.ties if isinstance(row.ties, dict) else {}
    return User(row.login, row.display_name, Role(row.role), row.person, row.disabled,
                row.changed_at, ties)  # fmt: skip
