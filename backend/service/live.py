"""What the service keeps in memory between requests: the live incidents consoles are sent, the
indicators kept change by change, the minute counter, camera health and today's patrols.
Serve loop only (a slow job reads copies taken on the loop)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from backend.service.context import IncidentChanged
from backend.store import Store
from domain.camera_health import CameraHealth
from domain.incident import Incident
from domain.indicator_history import MinuteCounter, MinuteRow, backfill
from domain.indicators import IndicatorBook
from domain.lifecycle import Change, reporter_role
from domain.patrol import PatrolBook
from domain.personal_data import masked, masked_change
from domain.township import Township

log = logging.getLogger(__name__)
CLOSED_WINDOW = 24 * 3600.0
"""Ended incidents stay in snapshots this long, so a console shows what closed today."""


class LiveState:
    def __init__(self, store: Store, township: Township) -> None:
        self.store = store
        self.township = township
        tz = store.rules.calendar.tz
        self.incidents: dict[str, dict[str, Any]] = {}
        """Incident id → its masked wire form: what a snapshot sends."""
        self._platforms: dict[str, str | None] = {}  # by category, for this township version
        self.indicators = IndicatorBook(tz, self._platform_of)
        self.minutes = MinuteCounter(time.time())
        self.last_minute: MinuteRow | None = None
        self.cameras = CameraHealth(list(township.cameras))
        self.patrols = PatrolBook(list(township.grids), tz)
        self.indicators_changed = False
        self.next_due = 0.0
        """No stage deadline not yet noted as passed falls before this (the sweep's store read
        is skipped until then): lowered by every change applied, raised by the sweep."""

    def restore(self, now: float) -> None:
        """One read at start for both: what consoles are sent (open, or ended in the last
        day) and what the indicators need (open, or changed since yesterday or this month
        began); the minutes a stopped backend did not store, from the log."""
        since = self.indicators_since(now)
        incidents = self.store.live_incidents(since)
        ended_since = now - CLOSED_WINDOW
        self.incidents = {
            i.id: masked(i).to_wire() for i in incidents if i.is_open or i.updated_at >= ended_since
        }
        changes = self.store.changes_since(since)
        self.indicators.rebuild(incidents, changes, now)
        for patrol in self.store.patrols(since, now + 86_400):
            self.patrols.add(patrol)
        self.store.add_minutes(backfill(changes, self.store.last_minute(), now), now)
        self.minutes = MinuteCounter(now)
        for change in changes:
            if change.at >= self.minutes.minute:
                self.minutes.record(change)
        self.indicators_changed = True

    def indicators_since(self, now: float) -> float:
        """The start of yesterday or of this month, whichever is earlier: what the indicators
        show (never later than the last day that the live map keeps)."""
        tz = self.store.rules.calendar.tz
        today = dt.datetime.fromtimestamp(now, tz).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return min(today - dt.timedelta(days=1), today.replace(day=1)).timestamp()

    def apply(self, changed: IncidentChanged) -> dict[str, Any]:
        """A committed change into the live map and the indicators; the body to publish."""
        incident, change = changed.incident, changed.change
        wire = changed.wire if changed.wire is not None else masked(incident).to_wire()
        self.incidents[incident.id] = wire
        if incident.stage_due is not None and not incident.overdue_noted:
            self.next_due = min(self.next_due, incident.stage_due)
        body: dict[str, Any] = {"incident": wire}
        if change is not None:
            body["change"] = masked_change(change.to_wire(), incident)
        change = change or report_change(incident)
        self.indicators.record(incident, change)
        self.minutes.record(change)
        self.indicators.put(incident, time.time())
        self.indicators_changed = True
        return body

    def wire_of(self, incident: str) -> dict[str, Any]:
        """An incident's masked wire form: the live map's, or the store's for an older one."""
        wire = self.incidents.get(incident)
        if wire is None:
            found = self.store.get(incident)
            wire = masked(found).to_wire() if found is not None else {"id": incident, "village": ""}
        return wire

    def _platform_of(self, category: str) -> str | None:
        if category not in self._platforms:
            self._platforms[category] = platform_of(self.township, category)
        return self._platforms[category]

    def set_township(self, township: Township) -> None:
        """A new version: its cameras' and grids' figures from now on."""
        self.township = township
        self._platforms = {}
        self.cameras.cameras = set(township.cameras)
        self.patrols.grids = set(township.grids)
        self.indicators_changed = True

    def figures(self) -> dict[str, Any]:
        """The book's snapshot, with the last ended minute for consoles' history charts."""
        now = time.time()
        figures = self.indicators.snapshot(now)
        figures["minute"] = None if self.last_minute is None else self.last_minute.to_wire()
        figures["cameras"] = self.cameras.figures(now)
        figures["patrols"] = self.patrols.figures(now)
        return figures

    def store_minutes(self) -> None:
        """When a minute has ended, its row (with the standing figures of now) is stored."""
        now = time.time()
        standing = self.indicators.standing
        rows = self.minutes.roll(
            now, {name: standing[name, "all", ""] for name in ("open", "overdue", "in_progress")}
        )
        if not rows:
            return
        try:
            self.store.add_minutes(rows, now)
        except Exception:
            log.exception("storing the indicators' minute %s failed", rows[0].at)
        self.last_minute = rows[-1]
        self.indicators_changed = True


def report_change(incident: Incident) -> Change:
    """The log's first row for a new incident, as the indicators read it."""
    return Change(
        incident.id, "report", incident.reporter, reporter_role(incident.channel).value,
        incident.received_at,
        None, incident.state.value, 1, {},
    )  # fmt: skip


def platform_of(township: Township, category: str) -> str | None:
    try:
        return township.platform_of(category).code
    except KeyError:
        return None
