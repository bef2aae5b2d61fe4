"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the township's categories as
services, reports filed as service requests by the systems given an API key (a 12345
hotline's, a civic app's), and what became of them. JSON or XML, as the path's suffix says.

Where this jurisdiction differs from the spec's options, it says so in its answers: a request
needs `lat` and `long` (no geocoder works offline); `GET requests` answers by
`service_request_id` (a system follows the requests it filed; the township's cases are not
listed to anyone); `media_url` is not fetched (the network has no internet): photos come
through the field API. A retried POST (the same key, service, place, words and contact on the
same day) is the same request: the id is made from them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from client.request import RequestError
from domain.township import Township
from domain.wire import MsgType
from gateway.filing import file_report
from gateway.places import OutsideTownship, locate
from gateway.state import Gateway, address_key, gateway_of

router = APIRouter(prefix="/open311/v2", tags=["open311"])
NAMESPACE = uuid.UUID("6f1b3c52-2d1e-4a8c-9a55-0c3e5b1d7a10")
TZ = dt.timezone(dt.timedelta(hours=8))
"""China Standard Time: the datetimes Open311 clients read (ISO 8601 with the offset)."""


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _iso(t: float | None) -> str | None:
    return None if t is None else dt.datetime.fromtimestamp(t, TZ).isoformat(timespec="seconds")


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            ET.SubElement(element, key).text = "" if value is None else text
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return body


def answer(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> Response:
    if fmt == "xml":
        return Response(_xml(root, item, rows), status, media_type="text/xml; charset=utf-8")
    return JSONResponse(rows, status)


def error(fmt: str, status: int, description: str) -> Response:
    return answer(fmt, "errors", "error", [{"code": status, "description": description}], status)


def _format(fmt: str) -> str:
    if fmt not in ("json", "xml"):
        raise Open311Error(404, f"format {fmt!r}: json or xml")
    return fmt


def _services(gateway: Gateway) -> list[dict[str, Any]]:
    t = gateway.port.township()
    platforms = {p.code: p.name for s in t.platform_sets.values() for p in s.platforms}
    return [
        {"service_code": c.code, "service_name": c.name, "description": c.name,
         "metadata": False, "type": "realtime", "keywords": "",
         "group": platforms.get(c.platform_by_set.get(t.platform_set, ""), "")}
        for c in t.categories.values()
    ]  # fmt: skip


@router.get("/services.{fmt}", summary="The township's categories, as Open311 services")
def services(fmt: str, request: Request) -> Response:
    fmt = _format(fmt)
    _jurisdiction(gateway_of(request), request.query_params.get("jurisdiction_id"))
    return answer(fmt, "services", "service", _services(gateway_of(request)))


@router.get("/services/{code}.{fmt}", summary="A service's definition (none: no attributes)")
def service(code: str, fmt: str, request: Request) -> Response:
    fmt = _format(fmt)
    known = any(s["service_code"] == code for s in _services(gateway_of(request)))
    return error(fmt, 404, f"service {code!r} has no attributes to define" if known
                 else f"no service {code!r}")  # fmt: skip


def _key(gateway: Gateway, key: str | None) -> tuple[str, str]:
    """(channel, the system's name) of an API key; 403 for none or an unknown one."""
    if not key or key not in gateway.api_keys:
        raise Open311Error(403, "api_key missing or unknown: ask the township for one")
    channel, _, name = gateway.api_keys[key].partition(" ")
    return channel, name


def _cjk(text: str) -> bool:
    return any("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def _number(form: dict[str, str], name: str, low: float, high: float) -> float:
    try:
        value = float(form[name])
    except (KeyError, ValueError):
        raise Open311Error(400, f"{name} is required (a number)") from None
    if not low <= value <= high:
        raise Open311Error(400, f"{name} out of range")
    return value


def file_request(gateway: Gateway, form: dict[str, str]) -> dict[str, Any]:
    channel, system = _key(gateway, form.get("api_key"))
    _jurisdiction(gateway, form.get("jurisdiction_id"))
    code = form.get("service_code", "")
    township = gateway.port.township()
    if code not in township.categories:
        raise Open311Error(400, f"service_code {code!r} is not one of this jurisdiction's")
    description = (form.get("description") or "").strip()
    if not description or len(description) > 2000:
        raise Open311Error(400, "description is required (at most 2000 characters)")
    lat, lon = _number(form, "lat", -90, 90), _number(form, "long", -180, 180)
    try:
        place = locate(township, lat, lon)
    except OutsideTownship as e:
        raise Open311Error(400, str(e)) from None
    parts = [p.strip() for p in (form.get("last_name"), form.get("first_name")) if p]
    name = ("" if any(_cjk(p) for p in parts) else " ").join(parts).strip()  # 王小明, Ann Lee
    phone = (form.get("phone") or "").strip()[:32]
    day = dt.datetime.now(TZ).date().isoformat()
    same = "\x1f".join((form.get("api_key", ""), code, f"{lat:.6f}", f"{lon:.6f}", description,
                        phone, form.get("email", ""), day))  # fmt: skip
    report = {
        "id": str(uuid.uuid5(NAMESPACE, same)), "category": code, "urgency": "normal",
        "channel": channel, "description": description, "village": place.village,
        "grid": place.grid, "lat": place.lat, "lon": place.lon,
        "reporter": (name or system or "市民")[:64], "reported_at": dt.datetime.now().timestamp(),
    }  # fmt: skip
    if phone:
        report["reporter_phone"] = phone
    incident, _created = file_report(gateway.port, None, report, stamped=True)
    number = incident["number"]
    notice = f"已受理登记,编号 {number} / filed as {number}"
    return {"service_request_id": incident["id"], "service_notice": notice, "account_id": None}


@router.post("/requests.{fmt}", summary="File a service request (form-encoded, api_key)")
async def create(fmt: str, request: Request) -> Response:
    fmt = _format(fmt)
    gateway = gateway_of(request)
    form = await _form(request)
    wait = gateway.per_token.take("open311:" + (form.get("api_key") or address_key(request)))
    if wait:
        raise Open311Error(429, "too many requests for this key: wait a little")
    filed = await run_in_threadpool(file_request, gateway, form)
    return answer(fmt, "service_requests", "request", [filed], 201)


async def _form(request: Request) -> dict[str, str]:
    """The POST's fields, its `api_key` from the query string if not among them. A
    form-encoded body is read in the charset it declares (UTF-8 unless said: many clients
    send raw UTF-8, which Starlette's form reader takes for Latin-1), GB18030 too."""
    kind, _, params = request.headers.get("content-type", "").partition(";")
    if kind.strip().lower() == "application/x-www-form-urlencoded":
        charset = "utf-8"
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.lower() == "charset":
                charset = value.strip('"').lower() or charset
        if charset in ("gbk", "gb2312"):
            charset = "gb18030"  # their superset: what such a system means by either
        try:
            text = (await request.body()).decode(charset)
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=32, encoding=charset)
        except (LookupError, UnicodeDecodeError, ValueError) as e:
            raise Open311Error(400, f"the form cannot be read as {charset}: {e}") from None
        form = dict(reversed(pairs))  # the first of a name repeated
    else:
        form = {k: v for k, v in (await request.form(max_files=1, max_fields=32)).items()
                if isinstance(v, str)}  # fmt: skip
    for name in ("api_key", "jurisdiction_id"):  # as some clients send them: in the query
        if name not in form and request.query_params.get(name):
            form[name] = request.query_params[name]
    return form


def _jurisdiction(gateway: Gateway, given: str | None) -> None:
    """This endpoint serves one township: another's id is refused, not filed here."""
    if not given:
        return
    code = gateway.port.township().code
    if given != code:
        raise Open311Error(404, f"jurisdiction_id {given!r}: this endpoint serves {code!r}")


def _requests(gateway: Gateway, key: str | None, ids: list[str]) -> list[dict[str, Any]]:
    channel, _system = _key(gateway, key)
    if not ids:
        raise Open311Error(400, "service_request_id is required: a system follows the "
                           "requests it filed")  # fmt: skip
    if len(ids) > 100:
        raise Open311Error(400, "at most 100 service_request_id at once")
    try:
        reply = gateway.port.as_gateway(MsgType.REPORT_STATUS_REQUEST, {"ids": ids}, 15.0)
    except RequestError as e:
        raise Open311Error(400, e.detail) from None
    township = gateway.port.township()
    names = {c.code: c.name for c in township.categories.values()}
    departments = {d.code: d.name for d in township.departments.values()}
    return [
        {"service_request_id": r["id"], "status": "open" if r["open"] else "closed",
         "status_notes": r["state"], "service_name": names.get(r["category"], r["category"]),
         "service_code": r["category"], "description": r.get("description") or "",
         "agency_responsible": departments.get(r.get("department") or "", ""),
         "service_notice": f"编号 {r['number']}",
         "requested_datetime": _iso(r["received_at"]), "updated_datetime": _iso(r["updated_at"]),
         "expected_datetime": None, "address": _address(township, r), "address_id": None,
         "zipcode": None, "lat": r.get("lat"), "long": r.get("lon"), "media_url": None}
        for r in reply.body["reports"]
        if r.get("channel") == channel  # a key follows its own channel's, not the grid's cases
    ]  # fmt: skip


def _address(township: Township, r: dict[str, Any]) -> str:
    """The place in the township's words (村 / 网格): no street addresses offline."""
    village = township.villages.get(r.get("village") or "")
    grid = township.grids.get(r.get("grid") or "")
    return " ".join(x.name for x in (village, grid) if x is not None)


@router.get("/requests.{fmt}", summary="What became of requests (service_request_id, api_key)")
def requests(fmt: str, request: Request) -> Response:
    fmt = _format(fmt)
    q = request.query_params
    ids = [i for i in (q.get("service_request_id") or "").split(",") if i.strip()]
    _jurisdiction(gateway_of(request), q.get("jurisdiction_id"))
    rows = _requests(gateway_of(request), q.get("api_key"), [i.strip() for i in ids])
    return answer(fmt, "service_requests", "request", rows)


@router.get("/requests/{request_id}.{fmt}", summary="One request (api_key)")
def one_request(request_id: str, fmt: str, request: Request) -> Response:
    fmt = _format(fmt)
    _jurisdiction(gateway_of(request), request.query_params.get("jurisdiction_id"))
    rows = _requests(gateway_of(request), request.query_params.get("api_key"), [request_id])
    if not rows:
        raise Open311Error(404, f"no service request {request_id!r}")
    return answer(fmt, "service_requests", "request", rows)
