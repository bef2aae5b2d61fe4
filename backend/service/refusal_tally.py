"""Refusals anyone with a connection can provoke by the thousand (no login, a replayed or stale
message), on the record without flooding it: the first of each kind per console in a minute is
an entry of its own, the rest one entry with their count when the minute ends. 150,000 requests
without a login had added 99,000 entries nobody may delete for 180 days, pushing real ones out
of the auditor's view."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from backend.service.audit_trail import AuditTrail
from backend.service.context import RequestContext

WINDOW_S = 60.0


@dataclass(slots=True)
class _Window:
    start: float
    counts: Counter[str] = field(default_factory=Counter)  # request type -> refused after the first


class RefusalTally:
    def __init__(self, audit: AuditTrail) -> None:
        self.audit = audit
        self._open: dict[tuple[str, str], _Window] = {}  # (console, code) -> this minute's

    def refused(self, ctx: RequestContext, code: str) -> None:
        key = (ctx.console, code)
        window = self._open.get(key)
        if window is None or ctx.now - window.start >= WINDOW_S:
            if window is not None:
                self._close(key, window)
            self._open[key] = _Window(ctx.now)
            self.audit.add_request(ctx, code)
            return
        window.counts[str(ctx.request.type)[:64]] += 1

    def flush(self, now: float) -> None:
        """Close the minutes that have ended (the serve loop's tick)."""
        for key, window in list(self._open.items()):
            if now - window.start >= WINDOW_S:
                self._close(key, window)
                del self._open[key]

    def _close(self, key: tuple[str, str], window: _Window) -> None:
        if not window.counts:
            return
        console, code = key
        detail = {
            "count": sum(window.counts.values()),
            "by_type": dict(window.counts.most_common(20)),
            "since": window.start,
        }
        self.audit.add("", "", console, "requests.refused", "", code, detail)
