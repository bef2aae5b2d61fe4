"""Logged-in sessions: who sends a request, as the backend knows it.

A login gives the console a random token; each request carries it in the envelope's `session`.
A token is good only from the console key it was issued to (a token copied to another enrolled
machine is refused), ends at logout, when its user is disabled or its key revoked, and after
`IDLE_S` without a request. Only the token's SHA-256 is stored, so that a backend restart keeps
consoles logged in and a copy of the database logs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.scope import NO_CASES, CaseScope
from domain.township import Role

IDLE_S = 12 * 3600.0
"""A console asks something at least every few minutes while it runs (docs/security.md)."""
MAX_FAILURES = 5
LOCK_S = 300.0
"""After MAX_FAILURES wrong passwords within LOCK_S from one console, that console's logins as
the user are refused for LOCK_S: a stranger at one console cannot lock the user out of theirs."""
MAX_FAILURES_ANYWHERE = 20
"""From every console together: then the user is locked everywhere (a spread-out guess)."""


@dataclass(slots=True)
class Session:
    login: str
    name: str
    role: Role
    person: str | None
    console: str
    started_at: float
    last_used: float
    scope: CaseScope = NO_CASES
    """Whose cases it sees and acts on (domain.scope), from the township as it stands."""
    stream: str = ""
    """Its update stream's name (`stream_of` its token's hash): what its console subscribes to."""
    seq: int = 0
    """The last sequence number sent on its stream."""
    ties: dict[str, list[str]] = field(default_factory=dict)
    """What the user is tied to beside their person (a new township version rescopes by it)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stream_of(hashed: str) -> str:
    """A session's stream, the same after a restart (the hash is stored); not its token."""
    return hashlib.sha256(b"stream:" + hashed.encode()).hexdigest()[:32]


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SessionBook:
    def __init__(self, idle_s: float = IDLE_S) -> None:
        self.idle_s = idle_s
        self._by_hash: dict[str, Session] = {}
        self._failures: dict[str, dict[str, list[float]]] = {}  # login -> console -> times
        self._pending: dict[str, int] = {}
        """Logins being checked (their hash on the worker): counted as failures until they
        finish, so that 24 wrong passwords sent at once cannot race past the lock."""

    def __len__(self) -> int:
        return len(self._by_hash)

    def add(self, hashed: str, session: Session) -> None:
        session.stream = stream_of(hashed)
        self._by_hash[hashed] = session

    def live(self) -> Iterable[Session]:
        """Every open session (an idle one until `sweep` or its next request ends it)."""
        return self._by_hash.values()

    def with_stream(self, stream: str) -> Session | None:
        return next((s for s in self._by_hash.values() if s.stream == stream), None)

    def sweep(self, now: float) -> list[str]:
        """End the sessions idle too long (their streams stop): their hashes."""
        idle = [h for h, s in self._by_hash.items() if now - s.last_used > self.idle_s]
        for h in idle:
            del self._by_hash[h]
        return idle

    def find(self, token: str, console: str, now: float) -> Session | None:
        """The session this token opens from this console, now; None if none (ended, idle too
        long, or issued to another console's key)."""
        if not token or len(token) > 64:
            return None
        hashed = token_hash(token)
        session = self._by_hash.get(hashed)
        if session is None or session.console != console:
            return None
        if now - session.last_used > self.idle_s:
            del self._by_hash[hashed]
            return None
        session.last_used = now
        return session

    def consoles(self) -> set[str]:
        """The console keys logged in from."""
        return {s.console for s in self._by_hash.values()}

    def end(self, token: str) -> Session | None:
        return self._by_hash.pop(token_hash(token), None)

    def end_where(self, login: str | None = None, console: str | None = None) -> list[str]:
        """End the sessions of a user (disabled) or of a console key (revoked): their hashes."""
        ended = [
            h
            for h, s in self._by_hash.items()
            if (login is not None and s.login == login)
            or (console is not None and s.console == console)
        ]
        for h in ended:
            del self._by_hash[h]
        return ended

    def locked_for(self, login: str, console: str, now: float) -> float:
        """Seconds this user's logins from this console stay refused (0: not locked)."""
        here = self._recent(login, console, now)
        anywhere = sorted(t for times in self._failures.get(login, {}).values()
                          for t in times if now - t < LOCK_S)  # fmt: skip
        pending = self._pending.get(login, 0)
        waits = [0.0]
        if len(here) >= MAX_FAILURES:
            waits.append(LOCK_S - (now - here[-MAX_FAILURES]))
        if len(anywhere) >= MAX_FAILURES_ANYWHERE:
            waits.append(LOCK_S - (now - anywhere[-MAX_FAILURES_ANYWHERE]))
        if len(here) + pending >= MAX_FAILURES:
            waits.append(1.0)  # the answers to those in flight first
        return max(waits)

    def checking(self, login: str) -> None:
        """A login's password is being checked (until `checked`)."""
        self._pending[login] = self._pending.get(login, 0) + 1

    def checked(self, login: str) -> None:
        left = self._pending.get(login, 1) - 1
        if left > 0:
            self._pending[login] = left
        else:
            self._pending.pop(login, None)

    def _recent(self, login: str, console: str, now: float) -> list[float]:
        return [t for t in self._failures.get(login, {}).get(console, []) if now - t < LOCK_S]

    def failed(self, login: str, console: str, now: float) -> None:
        if len(self._failures) > 10_000:
            self._failures.clear()
        recent = self._recent(login, console, now)
        self._failures.setdefault(login, {})[console] = [*recent[-MAX_FAILURES_ANYWHERE:], now]

    def succeeded(self, login: str, console: str) -> None:
        self._failures.get(login, {}).pop(console, None)
