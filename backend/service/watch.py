"""What a monitoring system watches (docs/operations.md, "What to watch"): figures taken on the
serve loop once a tick and handed whole to the HTTP thread (backend/watch_http.py) by one
reference swap, so that a scrape never reads the service's state while the loop changes it, and
a loop that stops ticking shows as a figure growing old, not as a scrape that hangs."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from domain.incident import IncidentState

if TYPE_CHECKING:
    from backend.service.loop import LiveStateServer
    from backend.store import Store

log = logging.getLogger("backend.watch")
STALLED_AFTER_S = 10.0
"""A serve loop that has not ticked for this long is reported unhealthy (it ticks every second)."""
UNACKNOWLEDGED = frozenset({IncidentState.REPORTED.value, IncidentState.PASSED_UP.value})
"""Reported and not yet taken in (受理) by the command room: what a duty officer must not miss."""


@dataclass(frozen=True, slots=True)
class Figures:
    taken: float = 0.0
    """time.monotonic() of the tick that took them; 0: none taken yet (loading)."""
    database_ok: bool = False
    database_error: str = ""
    values: Mapping[str, float] = field(default_factory=dict)
    disk_free: Mapping[str, float] = field(default_factory=dict)
    """Bytes free on the file system of each folder the backend writes to."""


# name -> (type, help)
METRICS: dict[str, tuple[str, str]] = {
    "reports_total": ("counter", "Field reports committed since the backend started."),
    "requests_total": ("counter", "Requests answered since the backend started."),
    "refused_total": ("counter", "Requests refused (bad, not allowed, too many)."),
    "published_total": ("counter", "Updates published to the consoles."),
    "logins": ("gauge", "Logins open now."),
    "consoles_connected": ("gauge", "Consoles (keys) with a login open now."),
    "subscriptions_total": ("counter", "Update streams subscribed since the backend started."),
    "open_incidents": ("gauge", "Incidents not yet closed."),
    "overdue_incidents": ("gauge", "Open incidents past their stage's time limit."),
    "unacknowledged_incidents": ("gauge", "Reported incidents not yet taken in (受理)."),
    "oldest_unacknowledged_seconds": (
        "gauge",
        "Age of the oldest reported incident not yet taken in; 0 when none waits.",
    ),
    "audit_head_seq": ("gauge", "Sequence number of the newest audit entry written."),
    "audit_queue": ("gauge", "Audit entries waiting to be written."),
    "township_version": ("gauge", "Version of the township the backend counts by."),
    "cameras_offline": ("gauge", "Cameras reported offline now."),
}


class Watch:
    def __init__(self, read: Callable[[], dict[str, float]], engine: Any, folders: dict[str, Path]):
        """`read`: the service's figures (on the serve loop); `folders`: name -> path whose
        file system's free space is watched."""
        self._read = read
        self._engine = engine
        self.folders = folders
        self.started = time.time()
        self.latest = Figures()

    def take(self) -> None:
        """On the serve loop, once a tick."""
        ok, error = True, ""
        try:
            with self._engine.connect() as c:
                c.execute(text("SELECT 1"))
        except Exception as e:  # the database is down: a figure, not a crash
            ok, error = False, f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        if ok != self.latest.database_ok and self.latest.taken:  # said when it changes
            if ok:
                log.warning("the database answers again")
            else:
                log.error("the database does not answer: %s", error)
        disk: dict[str, float] = {}
        for name, folder in self.folders.items():
            probe = folder if folder.exists() else folder.parent
            try:
                disk[name] = float(shutil.disk_usage(probe).free)
            except OSError:
                continue
        self.latest = Figures(time.monotonic(), ok, error, self._read(), disk)

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, what to say): loading, a stalled loop or a database that does not answer
        are not healthy."""
        f = self.latest
        if not f.taken:
            return False, {"status": "starting", "why": "loading the store"}
        age = time.monotonic() - f.taken
        body: dict[str, Any] = {"status": "ok", "tick_age_s": round(age, 3),
                                "uptime_s": round(time.time() - self.started)}  # fmt: skip
        if age > STALLED_AFTER_S:
            body.update(status="stalled", why=f"the serve loop has not ticked for {age:.0f} s")
        elif not f.database_ok:
            body.update(status="database", why=f"the database does not answer: {f.database_error}")
        body["oldest_unacknowledged_s"] = f.values.get("oldest_unacknowledged_seconds", 0.0)
        return body["status"] == "ok", body

    def exposition(self) -> str:
        """Prometheus' text format (version 0.0.4)."""
        f = self.latest
        lines: list[str] = []

        def metric(name: str, kind: str, about: str, samples: list[tuple[str, float]]) -> None:
            full = f"commandroom_{name}"
            lines.extend((f"# HELP {full} {about}", f"# TYPE {full} {kind}"))
            lines.extend(f"{full}{labels} {_number(value)}" for labels, value in samples)

        healthy, _ = self.health()
        metric("up", "gauge", "1 when the backend is loaded, ticking and its database answers.",
               [("", 1.0 if healthy else 0.0)])  # fmt: skip
        age = time.monotonic() - f.taken if f.taken else -1.0
        metric("tick_age_seconds", "gauge", "Seconds since the serve loop last took these "
               "figures; -1 while loading.", [("", age)])  # fmt: skip
        metric("database_up", "gauge", "1 when the database answered at the last tick.",
               [("", 1.0 if f.database_ok else 0.0)])  # fmt: skip
        metric("start_time_seconds", "gauge", "When the backend started (Unix time).",
               [("", self.started)])  # fmt: skip
        for name, (kind, about) in METRICS.items():
            if name in f.values:
                metric(name, kind, about, [("", f.values[name])])
        metric("disk_free_bytes", "gauge", "Bytes free where the backend writes.",
               [(f'{{folder="{n}"}}', v) for n, v in sorted(f.disk_free.items())])  # fmt: skip
        return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def incident_figures(incidents: Mapping[str, Mapping[str, Any]], now: float) -> dict[str, float]:
    """The live map's incidents waiting to be taken in: how many, and the oldest's age."""
    waiting = [i.get("received_at") or i.get("reported_at") or now
               for i in incidents.values() if i.get("state") in UNACKNOWLEDGED]  # fmt: skip
    return {
        "unacknowledged_incidents": float(len(waiting)),
        "oldest_unacknowledged_seconds": max(0.0, now - min(waiting)) if waiting else 0.0,
    }


def watched_figures(server: LiveStateServer) -> dict[str, float]:
    """The figures METRICS names, read off the service; on the serve loop, once a tick."""
    stats, standing = server.stats, server.live.indicators.standing
    sessions = server.accounts.sessions
    now = time.time()
    values = {
        "reports_total": stats.reports_committed,
        "requests_total": stats.requests,
        "refused_total": stats.refused,
        "published_total": stats.published,
        "logins": len(sessions),
        "consoles_connected": len(sessions.consoles()),
        "subscriptions_total": stats.subscriptions,
        "open_incidents": standing["open", "all", ""],
        "overdue_incidents": standing["overdue", "all", ""],
        "audit_head_seq": server.audit.chain.seq,
        "audit_queue": len(server.audit.queue),
        "township_version": server.services.township_version,
        "cameras_offline": len(server.live.cameras.figures(now)["offline"]),
    }
    return {k: float(v) for k, v in values.items()} | incident_figures(server.live.incidents, now)


def folders_of(store: Store) -> dict[str, Path]:
    """Where the backend writes: the photos, and a SQLite file's folder."""
    folders = {"attachments": store.attachments}
    url = make_url(store.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folders["database"] = Path(url.database).parent
    return folders
