"""A field user's own cases: a department's handler's (dispatched to the department), a grid
worker's (their grids', their own reports); the backend decides which by the sign-in's scope.
A case's detail with its timeline and photos, and the actions the field takes on it."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from client.request import RequestError
from domain.incident import Incident
from domain.lifecycle import Action
from domain.wire import ErrorCode, MsgType
from gateway.errors import GatewayError
from gateway.field_tokens import FieldSession
from gateway.photos import Photo, attach, read_form
from gateway.state import Gateway, SignedIn, gateway_of

router = APIRouter(prefix="/v1", tags=["cases"])

FIELD_ACTIONS = {
    Action.START: (),
    Action.REPLY: ("note",),
    Action.REQUEST_EXTENSION: ("duration", "reason"),
    Action.RETURN: ("reason",),
    Action.VERIFY: (),
    Action.REOPEN: ("reason",),
}
"""What the field does to a case here, with the words each needs (docs/protocol.md, Command).
The backend decides who may: a handler starts, replies, asks for more time or returns; a grid
worker verifies on site or sends it back to be done again."""


def summary(incident: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    keys = ("id", "state", "urgency", "category", "village", "grid", "department", "stage",
            "stage_due", "received_at", "updated_at", "version", "lat", "lon",
            "extension_requested")  # fmt: skip
    out = {k: incident.get(k) for k in keys}
    case = Incident.from_wire(incident)
    out.update(number=case.display_number, open=case.is_open)
    out["description"] = case.description[:200]
    for key in ("category", "village", "grid", "department"):
        out[f"{key}_name"] = names.get(str(incident.get(key)), incident.get(key))
    return out


def _names(gateway: Gateway) -> dict[str, str]:
    t = gateway.port.township()
    found: dict[str, str] = {}
    for register in (t.categories, t.villages, t.grids, t.departments):
        found.update({code: item.name for code, item in register.items()})
    return found


def my_cases(gateway: Gateway, session: FieldSession, open_only: bool) -> dict[str, Any]:
    incidents = gateway.port.snapshot(session.login)
    names = _names(gateway)
    chosen = [i for i in incidents if not open_only or Incident.from_wire(i).is_open]
    chosen.sort(key=lambda i: (i.get("stage_due") is None, i.get("stage_due") or 0))
    return {"cases": [summary(i, names) for i in chosen]}


@router.get("/cases", summary="My cases, the soonest due first (`open=false`: the day's closed)")
def cases(request: Request, session: SignedIn, open: bool = True) -> dict[str, Any]:
    return my_cases(gateway_of(request), session, open)


@router.get("/cases/{incident}", summary="A case: its record, its timeline, its photos")
def case(incident: str, request: Request, session: SignedIn) -> dict[str, Any]:
    gateway = gateway_of(request)
    reply = gateway.port.call(MsgType.DETAIL_REQUEST, {"incident": incident}, session.login)
    body = reply.body
    names = _names(gateway)
    return {
        "case": {**summary(body["incident"], names),
                 "description": body["incident"].get("description")},
        "timeline": [{k: c.get(k) for k in ("at", "action", "actor", "role", "from_state",
                                            "to_state", "args", "note")}
                     for c in body.get("changes", [])],
        "photos": [{"id": a["id"], "media_type": a["media_type"], "size": a["size"],
                    "added_at": a["added_at"], "added_by": a["added_by"],
                    "url": f"/v1/cases/{incident}/photos/{a['id']}"}
                   for a in body.get("attachments", [])],
    }  # fmt: skip


@router.get("/cases/{incident}/photos/{photo}", summary="One of a case's photos")
def photo(incident: str, photo: int, request: Request, session: SignedIn) -> Response:
    if not 0 < photo < 2**62:
        raise GatewayError(404, "unknown_photo", "no such photo on this case")
    gateway = gateway_of(request)
    try:
        reply = gateway.port.call(MsgType.ATTACHMENT_REQUEST, {"id": photo}, session.login, 15.0)
    except RequestError as e:  # another case's (out of scope or not): not this case's either
        if e.code not in (ErrorCode.NOT_ALLOWED, ErrorCode.INVALID, ErrorCode.UNKNOWN_INCIDENT):
            raise
        raise GatewayError(404, "unknown_photo", "no such photo on this case") from None
    meta = reply.body["attachment"]
    if meta.get("incident") != incident:
        raise GatewayError(404, "unknown_photo", "no such photo on this case")
    return Response(base64.b64decode(reply.body["data"]), media_type=meta["media_type"],
                    headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip


def act(gateway: Gateway, session: FieldSession, incident: str, body: dict[str, Any],
        photos: list[Photo]) -> dict[str, Any]:  # fmt: skip
    try:
        action = Action(str(body.get("action")))
    except ValueError:
        action = None
    if action not in FIELD_ACTIONS:
        allowed = ", ".join(a.value for a in FIELD_ACTIONS)
        raise GatewayError(422, "invalid", f"action must be one of: {allowed}")
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise GatewayError(422, "invalid", "version: the case's version as last read")
    args = {k: body[k] for k in FIELD_ACTIONS[action] if body.get(k) is not None}
    command = {"incident": incident, "action": action.value, "version": version, "args": args}
    try:
        case = gateway.port.call(MsgType.COMMAND, command, session.login, 10.0).body["incident"]
    except RequestError as e:
        done = _done_before(gateway, session, incident, action, version, args) if (
            e.code == ErrorCode.STALE_VERSION) else None  # fmt: skip
        if done is None:
            raise
        case = done
    said = attach(gateway.port, session.login, incident, photos)
    return {"case": summary(case, _names(gateway)), "photos": said}


def _done_before(gateway: Gateway, session: FieldSession, incident: str, action: Action,
                 version: int, args: dict[str, Any]) -> dict[str, Any] | None:  # fmt: skip
    """The case, if the change that moved it on from `version` is this very action by this
    person with these words: a retry after an answer that was lost (a 503 while the backend
    was slow), whatever others did to the case since; anything else is the conflict it is."""
    detail = gateway.port.call(MsgType.DETAIL_REQUEST, {"incident": incident}, session.login)
    made = next((c for c in detail.body.get("changes") or [] if c.get("version") == version + 1),
                None)  # fmt: skip
    if made is None:
        return None
    same = (made.get("actor"), made.get("role"), made.get("action")) == (
        session.login.name,
        session.login.role.value,
        action.value,
    )
    if same and all((made.get("args") or {}).get(k) == v for k, v in args.items()):
        found: dict[str, Any] = detail.body["incident"]
        return found
    return None


@router.post(
    "/cases/{incident}/actions",
    summary="Act on a case: start, reply (with photos), request_extension, return, verify, "
    "reopen (JSON, or multipart: `action` as JSON and up to 4 `photos`)",
)
async def action(incident: str, request: Request, session: SignedIn) -> dict[str, Any]:
    body, photos = await read_form(request, "action")
    return await run_in_threadpool(act, gateway_of(request), session, incident, body, photos)
