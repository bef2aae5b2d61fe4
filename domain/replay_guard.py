"""Stale and replayed requests (docs/security.md): a request that changes something must have
been sent lately, by the sender's clock, and never before under the same message id.

CurveZMQ already refuses a replayed frame inside one connection (its nonces); this guard is for a
message captured elsewhere (a plain link, a log, a compromised proxy) and sent again on a new
connection. Ids are remembered for twice the window, so an id cannot come back once forgotten
without also being stale.
"""

from __future__ import annotations

from collections import OrderedDict

WINDOW_S = 300.0
"""How far a sender's clock may be from the backend's (consoles keep time by NTP)."""
MAX_REMEMBERED = 1_000_000


class ReplayGuard:
    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._seen: OrderedDict[str, float] = OrderedDict()

    def remember(self, seen: list[tuple[str, float]]) -> None:
        """Ids seen before this guard began (a restart: from the audit trail), oldest first."""
        for message_id, at in sorted(seen, key=lambda s: s[1]):
            self._seen[message_id] = at

    def check(self, message_id: str, sent_at: float, now: float) -> str | None:
        """None if the request may go on (and its id is remembered), else why not:
        "stale" or "replayed"."""
        self._forget(now)
        if abs(now - sent_at) > self.window_s:
            return "stale"
        if message_id in self._seen:
            return "replayed"
        self._seen[message_id] = now
        return None

    def _forget(self, now: float) -> None:
        keep_after = now - 2 * self.window_s
        while self._seen and (
            next(iter(self._seen.values())) < keep_after or len(self._seen) > MAX_REMEMBERED
        ):
            self._seen.popitem(last=False)
