"""Field users' sign-ins at the gateway: a short-lived random token for the phone, standing
for the backend login the gateway made with the user's password. The phone never holds the
backend's token; only the token's SHA-256 is kept here, in memory (a restarted gateway asks
its users to sign in again)."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from client.request import Login

TOKEN_TTL_S = 8 * 3600.0
"""A working day's shift; then the phone signs in again."""
IDLE_S = 2 * 3600.0
"""Unused this long, a token ends (a phone left on a desk)."""
MAX_SESSIONS = 20_000


@dataclass(slots=True)
class FieldSession:
    login: Login
    issued: float
    used: float

    @property
    def expires(self) -> float:
        return min(self.issued + TOKEN_TTL_S, self.used + IDLE_S)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FieldTokens:
    def __init__(self) -> None:
        self._sessions: OrderedDict[str, FieldSession] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, login: Login, now: float | None = None) -> tuple[str, FieldSession]:
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        session = FieldSession(login, now, now)
        with self._lock:
            self._sessions[_hash(token)] = session
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return token, session

    def get(self, token: str, now: float | None = None) -> FieldSession | None:
        """The token's session if it is still good (and now used)."""
        now = time.time() if now is None else now
        key = _hash(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now >= session.expires:
                del self._sessions[key]
                return None
            session.used = now
            self._sessions.move_to_end(key)
            return session

    def peek(self, token: str) -> FieldSession | None:
        """The token's session, if any, without using it (the guard's look before a route)."""
        with self._lock:
            return self._sessions.get(_hash(token))

    def end(self, token: str) -> FieldSession | None:
        with self._lock:
            return self._sessions.pop(_hash(token), None)
