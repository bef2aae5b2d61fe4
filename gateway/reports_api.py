"""Reports and patrols from the field: a grid worker's own (掌上基层), and a resident's or the
hotline's filed by their system's sign-in (the gateway role). Idempotent on the id the phone
made: a phone that retries after a timeout gets the case it filed, not a second one; 201 only
after the backend has committed it."""

from __future__ import annotations

import math
import time
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from domain.coords import CoordinateSystem, to_wgs84
from domain.incident import Channel
from domain.scope import GRID_ROLES
from domain.township import Role
from domain.wire import MsgType
from gateway.errors import GatewayError
from gateway.field_tokens import FieldSession
from gateway.filing import file_report
from gateway.photos import Photo, attach, read_form
from gateway.places import OutsideTownship, locate
from gateway.state import Gateway, SignedIn, gateway_of

router = APIRouter(prefix="/v1", tags=["reports"])

CHANNELS_OF_SYSTEMS = (Channel.GRID_APP, Channel.RESIDENT_APP, Channel.HOTLINE,
                       Channel.ENFORCEMENT)  # fmt: skip
"""What a system signed in with the gateway role files: the grid app's server for its grid
workers, the residents' app's server, the hotline's, the enforcement officers' phones'."""


class ReportForm(BaseModel):
    """A report as a phone sends it (for the OpenAPI document; the route reads JSON or a
    multipart form whose `report` field holds this)."""

    id: str
    category: str
    description: str
    urgency: str = "normal"
    lat: float | None = None
    lon: float | None = None
    coordinate_system: str = "WGS-84"
    village: str | None = None
    grid: str | None = None
    channel: str | None = None
    reporter: str | None = None
    reporter_phone: str | None = None
    reported_at: float | None = None


def _text(body: dict[str, Any], name: str, limit: int, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise GatewayError(422, "invalid", f"{name} must be text of 1 to {limit} characters")
    return value.strip()


def _place(gateway: Gateway, body: dict[str, Any], wire: dict[str, Any]) -> None:
    """The position in WGS-84 in `wire`, with its village and grid (over a village picked:
    the phone's position is where the reporter stands)."""
    try:
        lat, lon = float(body["lat"]), float(body["lon"])
        system = CoordinateSystem.parse(str(body.get("coordinate_system") or "WGS-84"))
    except (KeyError, TypeError, ValueError) as e:
        raise GatewayError(422, "invalid", f"lat, lon, coordinate_system: {e}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise GatewayError(422, "invalid", "lat and lon: degrees (-90…90, -180…180)")
    try:
        place = locate(gateway.port.township(), lat, lon, system)
    except OutsideTownship as e:
        raise GatewayError(422, "outside_township", str(e)) from None
    wire.update(lat=place.lat, lon=place.lon)  # WGS-84 now: no coordinate_system
    if wire["village"] != place.village:
        wire["village"], wire["grid"] = place.village, place.grid


def field_report(gateway: Gateway, session: FieldSession, body: dict[str, Any]) -> dict[str, Any]:
    """The report in the backend's words (domain.incident.FieldReport's wire form): its place
    found in the township, its reporter and channel the sign-in's."""
    try:
        report_id = str(uuid.UUID(str(body.get("id"))))
    except ValueError:
        raise GatewayError(422, "invalid", "id must be a UUID the phone made (a retry sends "
                           "the same one)") from None  # fmt: skip
    login = session.login
    wire: dict[str, Any] = {
        "id": report_id,
        "category": _text(body, "category", 64),
        "urgency": body.get("urgency") or "normal",
        "description": _text(body, "description", 2000),
        "reported_at": body.get("reported_at") or time.time(),
        "village": body.get("village"),
        "grid": body.get("grid"),
        "lat": None,
        "lon": None,
    }
    if body.get("lat") is not None or body.get("lon") is not None:
        _place(gateway, body, wire)
    if wire["village"] is None:
        raise GatewayError(422, "invalid", "a report needs a position or a village")
    if login.role in GRID_ROLES:
        wire.update(channel=Channel.GRID_APP.value, reporter=login.name)
    elif login.role == Role.GATEWAY:
        channel = body.get("channel") or Channel.RESIDENT_APP.value
        if channel not in {c.value for c in CHANNELS_OF_SYSTEMS}:
            raise GatewayError(422, "invalid", "channel must be grid_app, resident_app, "
                               "hotline or enforcement")  # fmt: skip
        wire.update(channel=channel, reporter=_text(body, "reporter", 64))
        for contact in ("reporter_phone", "reporter_id_number"):
            if value := _text(body, contact, 32, required=False):
                wire[contact] = value
    else:
        raise GatewayError(403, "not_allowed", "a department's handler does not file reports")
    return wire


def submit(gateway: Gateway, session: FieldSession, body: dict[str, Any],
           photos: list[Photo]) -> JSONResponse:  # fmt: skip
    wire = field_report(gateway, session, body)
    stamped = body.get("reported_at") is None
    incident, created = file_report(gateway.port, session.login, wire, stamped)
    said = attach(gateway.port, session.login, incident["id"], photos)
    answer = {"id": incident["id"], "number": incident["number"], "created": created,
              "state": incident.get("state"), "village": incident.get("village"),
              "grid": incident.get("grid"), "photos": said}  # fmt: skip
    return JSONResponse(answer, 201 if created else 200)


@router.post(
    "/reports",
    summary="File a report (JSON, or multipart: `report` as JSON and up to 4 `photos`)",
    responses={201: {"description": "filed"}, 200: {"description": "filed before (a retry)"}},
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": ReportForm.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "report": {"type": "string", "description": "the report as JSON"},
            "photos": {"type": "array", "items": {"type": "string", "format": "binary"}},
        }}},
    }}},
)  # fmt: skip
async def report(request: Request, session: SignedIn) -> JSONResponse:
    body, photos = await read_form(request, "report")
    return await run_in_threadpool(submit, gateway_of(request), session, body, photos)


def in_wgs84(patrol: dict[str, Any]) -> dict[str, Any]:
    """A patrol whose track the phone recorded in GCJ-02 or BD-09 (`coordinate_system`, as a
    report's), in the backend's WGS-84; the backend checks the rest."""
    said = patrol.pop("coordinate_system", None)
    try:
        system = CoordinateSystem.parse(str(said or "WGS-84"))
    except ValueError as e:
        raise GatewayError(422, "invalid", f"coordinate_system: {e}") from None
    track = patrol.get("track")
    if system == CoordinateSystem.WGS84 or not isinstance(track, list):
        return patrol
    moved = []
    for point in track:
        if not (
            isinstance(point, list)
            and len(point) == 3
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in point)
        ):
            return patrol  # the backend names what is wrong with it
        lat, lon = to_wgs84(float(point[0]), float(point[1]), system)
        moved.append([lat, lon, point[2]])
    return {**patrol, "track": moved}


@router.post(
    "/patrols",
    summary="A finished patrol (docs/protocol.md), JSON",
    responses={201: {"description": "kept"}, 200: {"description": "kept before (a retry)"}},
)
async def patrol(request: Request, session: SignedIn) -> JSONResponse:
    body, photos = await read_form(request, "patrol")
    if photos:  # said, not dropped: the phone would think them kept
        raise GatewayError(422, "invalid", "a patrol carries no photos: they go with the "
                           "reports made on the way (POST /v1/reports)")  # fmt: skip
    gateway = gateway_of(request)
    reply = await run_in_threadpool(
        gateway.port.call, MsgType.PATROL_SUBMIT, in_wgs84(body), session.login, 10.0
    )
    return JSONResponse(reply.body, 201 if reply.body.get("created") else 200)
