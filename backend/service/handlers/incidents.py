"""A case's life after its report: commands, its detail, its photos, its reporter's contact."""

from __future__ import annotations

import base64

from backend.service.context import (
    Announcement,
    IncidentChanged,
    Refusal,
    Reply,
    RequestContext,
    SlowJob,
)
from backend.service.services import Services
from domain.lifecycle import CLIENT_ACTIONS, Command, ErrorCode, LifecycleError
from domain.personal_data import contact, masked, masked_change
from domain.requests import AttachmentAddBody, AttachmentRef, CommandBody, IncidentRef
from domain.wire import MsgType


def command(ctx: RequestContext, body: CommandBody, svc: Services) -> Reply:
    who = ctx.logged_in()
    if body.action not in CLIENT_ACTIONS:
        raise Refusal(ErrorCode.NOT_ALLOWED, f"{body.action.value} is recorded by the backend")
    if isinstance(target := body.args.get("target"), str):  # a merge's: the other case too
        svc.check_scope(ctx, target)
    scope, wire = who.scope, svc.live.wire_of(body.incident)
    if not scope.covers_wire(wire, assisting=False):
        raise Refusal(ErrorCode.NOT_ALLOWED, "this case is outside your scope: your department "
                      "assists on it, the lead department acts on it")  # fmt: skip
    order = Command(body.incident, body.action, body.version, who.name, who.role, body.args)
    incident, change = svc.store.execute(order, svc.township)
    answer = {"incident": masked(incident).to_wire(), "change": change.to_wire()}
    return Reply(
        MsgType.COMMAND_ACK, answer, [IncidentChanged(MsgType.INCIDENT_UPDATED, incident, change)]
    )


def detail(ctx: RequestContext, body: IncidentRef, svc: Services) -> Reply:
    """The whole case for a detail panel: the incident, its action log, its attachments."""
    incident = svc.store.get(body.incident)
    if incident is None:
        raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {body.incident!r}")
    answer = {
        "incident": masked(incident).to_wire(),
        "changes": [masked_change(c.to_wire(), incident) for c in svc.store.changes(incident.id)],
        "attachments": svc.store.attachments_of(incident.id),
    }
    return Reply(MsgType.DETAIL, answer)


def reveal(ctx: RequestContext, body: IncidentRef, svc: Services) -> Reply:
    """The whole contact of one incident's reporter: audited (`personal.reveal`)."""
    incident = svc.store.get(body.incident)
    if incident is None:
        raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {body.incident!r}")
    return Reply(MsgType.REVEALED, contact(incident))


def attachment_add(ctx: RequestContext, body: AttachmentAddBody, svc: Services) -> SlowJob:
    """Kept once it decodes as the picture it claims to be: on the worker, off the serve loop."""
    name = ctx.logged_in().name

    def job() -> Reply:
        added = svc.store.add_attachment(body.incident, body.media_type, body.data, name)
        answer = {"attachment": added}
        if added.get("duplicate"):  # a retry: the case has it already, nothing to tell
            return Reply(MsgType.ATTACHMENT_ACK, answer)
        added_to = Announcement(MsgType.INCIDENT_ATTACHMENT, answer, body.incident)
        return Reply(MsgType.ATTACHMENT_ACK, answer, [added_to])

    return job


def attachment(ctx: RequestContext, body: AttachmentRef, svc: Services) -> Reply:
    incident = svc.store.attachment_incident(body.id)  # the scope before the file is read
    if incident is None and not ctx.logged_in().scope.township:
        raise svc.outside(ctx)  # a missing id and another's answered alike: ids tell nothing
    if incident is not None:
        svc.check_scope(ctx, incident)
    meta, data = svc.store.attachment(body.id)
    return Reply(MsgType.ATTACHMENT, {"attachment": meta, "data": base64.b64encode(data).decode()})
