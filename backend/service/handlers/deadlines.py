"""The backend's own commands: each stage that ran past its deadline is recorded (and escalated
where the rules say so), as the `system` role, on every tick."""

from __future__ import annotations

import logging

from backend.service.context import IncidentChanged
from backend.service.services import Services
from domain.lifecycle import Action, Command, LifecycleError
from domain.township import Role
from domain.wire import MsgType

log = logging.getLogger("backend.server")


SWEEP_AT_LEAST_EVERY = 60.0
"""Seconds: the store is read this often even when the live map says nothing came due."""


def sweep(svc: Services, now: float) -> list[IncidentChanged]:
    """Once a tick; reads the store only when a deadline may have passed (a read each second
    was a third of an idle tick, and a tick holds up the reports that arrive meanwhile)."""
    if now < svc.live.next_due:
        return []
    try:
        late = svc.store.overdue(now)
    except Exception:
        log.exception("deadline sweep failed")
        return []
    changed: list[IncidentChanged] = []
    for incident in late:
        command = Command(incident.id, Action.OVERDUE, incident.version, "system", Role.SYSTEM)
        try:
            after, change = svc.store.execute(command, svc.township, now)
        except LifecycleError as e:
            log.warning("overdue %s not recorded: %s", incident.display_number, e)
            continue
        svc.audit.add("system", Role.SYSTEM, "backend", f"command.{change.action}",
                      incident.id, "ok", {"number": incident.number})  # fmt: skip
        changed.append(IncidentChanged(MsgType.INCIDENT_UPDATED, after, change))
    svc.audit.flush()
    try:
        svc.live.next_due = min(svc.store.next_stage_due(), now + SWEEP_AT_LEAST_EVERY)
    except Exception:
        log.exception("reading the next deadline failed")
    return changed
