"""Logins and keys as the service holds them: sessions restored at start, users changed by
another process noticed, revoked keys cut off. Serve loop only."""

from __future__ import annotations

import logging
import time

from backend.keyring import KeyRing
from backend.service.audit_trail import AuditTrail
from backend.service.publisher import Publisher
from backend.sessions import IDLE_S, Session, SessionBook
from backend.store import Store
from backend.user_store import UserStore
from domain.scope import scope_of
from domain.township import Township

log = logging.getLogger("backend.server")


class Accounts:
    def __init__(
        self, store: Store, keyring: KeyRing | None, audit: AuditTrail, demo_users: bool = False
    ) -> None:
        self.users = UserStore(store)
        self.demo_users = demo_users
        """The demo's users may log in (`--demo-users`); a later start without it refuses them."""
        self.sessions = SessionBook()
        self.keyring = keyring
        self.enrolled: frozenset[str] = frozenset()
        self.admitted: set[str] = set()
        """Shared with the ZAP handler: names it let in since the last tick."""
        self._audit = audit
        self._users_seen = 0.0
        """The last change to the users seen (`check_users`)."""

    def restore_sessions(self, now: float, township: Township) -> None:
        """The logins open when the backend stopped, idle from now on."""
        self._users_seen = now
        for stored in self.users.open_sessions(now - IDLE_S * 14):
            found = self.users.get(stored.login)
            if found is None or found[0].disabled:
                continue
            user = found[0]
            self.sessions.add(
                stored.token_hash,
                Session(user.login, user.name, user.role, user.person, stored.console,
                        stored.started_at, now,
                        scope_of(user.role, user.person, user.name, township, user.ties),
                        ties=user.ties),
            )  # fmt: skip

    def rescope(self, township: Township) -> None:
        """A new township version: each login's scope as its lists now say (a handler moved
        to another department sees that one's cases from the snapshot its console asks next)."""
        for s in self.sessions.live():
            s.scope = scope_of(s.role, s.person, s.name, township, s.ties)

    def sweep(self) -> None:
        """Logins idle too long end here too, not only at their next request: their streams
        stop."""
        self.sessions.sweep(time.time())

    def end_sessions(self, hashes: list[str]) -> None:
        try:
            self.users.end_sessions(hashes, time.time())
        except Exception:
            log.exception("recording %d ended sessions failed", len(hashes))

    def check_users(self, by: str | None = None) -> None:
        """Users changed by `python -m backend users` (another process) or an administrator:
        audited, and their sessions ended (a new password or a disabled user logs in again,
        or not at all)."""
        try:
            changed = self.users.changed_since(self._users_seen)
        except Exception:
            log.exception("reading the users failed")
            return
        for user in changed:
            self._users_seen = max(self._users_seen, user.changed_at)
            detail: dict[str, object] = {"role": user.role.value, "disabled": user.disabled}
            if user.ties:
                detail["ties"] = user.ties
            self._audit.add(by or "users command", "administrator", "backend", "user.changed",
                            user.login, "ok", detail)  # fmt: skip
            self.end_sessions(self.sessions.end_where(login=user.login))
        self._audit.flush()

    def check_revocations(self, publisher: Publisher) -> None:
        """A key revoked while connected: its requests are refused from now on (admission),
        and the update stream is bound afresh so that the revoked subscriber is left out."""
        if self.keyring is None:
            return
        names = self.keyring.names()
        admitted = set(self.admitted)
        self.admitted.difference_update(admitted)
        revoked = (self.enrolled | admitted) - names
        for name in sorted((names | admitted) - self.enrolled):  # enrolled, even if gone again
            self._audit.add("key folder", "administrator", "backend", "key.enrolled", name, "ok")
        for name in sorted(revoked):
            self._audit.add("key folder", "administrator", "backend", "key.revoked", name, "ok")
        for name in self.sessions.consoles() - names:  # even one enrolled and revoked in a tick
            self.end_sessions(self.sessions.end_where(console=name))
        self._audit.flush()
        self.enrolled = names
        if revoked:
            log.warning("revoked %s: the update stream is bound again", ", ".join(sorted(revoked)))
            publisher.rebind()
