"""A resident reporter's name, phone and ID number, masked (GB/T 35273 de-identification).

Everything the backend publishes or answers carries the masked form; the whole is given only
for one incident at a time, to a role that needs to call the resident back, and that asking is
audited (docs/security.md). Staff names are not masked: they are attributable by design.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.incident import Channel, Incident

RESIDENT_CHANNELS = frozenset({Channel.RESIDENT_APP, Channel.HOTLINE})
"""Reports from residents: the reporter is a member of the public, not staff."""


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234: the carrier prefix and the last four digits stay."""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 8:
        return "*" * len(digits)
    return "".join(digits[:3]) + "*" * (len(digits) - 7) + "".join(digits[-4:])


def mask_id_number(number: str) -> str:
    """330102199001011234 → 330***********1234: the province and city, and the last four."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name stays (a resident calling the hotline is 张先生 anyway)."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def is_personal(incident: Incident) -> bool:
    return incident.channel in RESIDENT_CHANNELS


def masked(incident: Incident) -> Incident:
    """The incident as the wall and every console see it."""
    if not (is_personal(incident) or incident.reporter_phone or incident.reporter_id_number):
        return incident
    name = mask_name(incident.reporter) if is_personal(incident) else incident.reporter
    return dataclasses.replace(
        incident,
        reporter=name,
        last_actor=name if incident.last_actor == incident.reporter else incident.last_actor,
        reporter_phone=mask_phone(incident.reporter_phone) if incident.reporter_phone else None,
        reporter_id_number=(
            mask_id_number(incident.reporter_id_number) if incident.reporter_id_number else None
        ),
    )


def masked_change(change: dict[str, Any], incident: Incident) -> dict[str, Any]:
    """An action-log row on the wire: the report's own row carries the report, contact and all."""
    if change.get("action") != "report" or not isinstance(change.get("args"), dict):
        return change
    shown = masked(incident)
    args = {**change["args"], "reporter": shown.reporter}
    for name in ("reporter_phone", "reporter_id_number"):
        if name in args:
            args[name] = getattr(shown, name)
    actor = shown.reporter if change.get("actor") == incident.reporter else change.get("actor")
    return {**change, "actor": actor, "args": args}


def contact(incident: Incident) -> dict[str, Any]:
    """What a `personal.reveal` answers: the whole contact of one incident's reporter."""
    return {
        "incident": incident.id,
        "reporter": incident.reporter,
        "reporter_phone": incident.reporter_phone,
        "reporter_id_number": incident.reporter_id_number,
    }
