"""Photos from a phone: read from a multipart form with their sizes checked as they are read,
their kind checked by their first bytes (domain.image_kinds), then added to a case one by one
after the case itself is filed. A photo refused here (too big, not a picture) or by the
backend (which decodes each before it keeps it) is said in the answer; the case stays filed."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from starlette.datastructures import UploadFile

from client.request import Login, RequestError
from domain.image_kinds import is_kind
from domain.requests import MAX_ATTACHMENT_BYTES
from domain.wire import MsgType
from gateway.backend_port import BackendPort
from gateway.errors import GatewayError

MAX_PHOTOS = 4
"""Photos in one request at most (a report's, a reply's)."""
KINDS = ("image/jpeg", "image/png", "image/webp")


@dataclass(frozen=True, slots=True)
class Photo:
    media_type: str
    data: bytes
    refused: str = ""
    """Why this photo is not sent (too big, not a picture): the answer says so; the case and
    the other photos go on."""


def json_object(data: bytes | str, what: str, status: int) -> dict[str, Any]:
    """A JSON object the backend's codec can carry: anything else refused in words (with
    `status`), never an internal error later (a number beyond 64 bits, a lone surrogate, a
    nesting deeper than Python's stack)."""
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as e:
        detail = "nested too deep" if isinstance(e, RecursionError) else str(e)
        raise GatewayError(status, "malformed" if status == 400 else "invalid",
                           f"{what} is not JSON: {detail}") from None  # fmt: skip
    if not isinstance(body, dict):
        raise GatewayError(status, "malformed" if status == 400 else "invalid",
                           f"{what} must be a JSON object")  # fmt: skip
    try:
        orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError) as e:
        raise GatewayError(422, "invalid", f"{what}: {e} (whole numbers within 64 bits, text "
                           "without lone surrogates)") from None  # fmt: skip
    return body


async def read_form(request: Request, field: str) -> tuple[dict[str, Any], list[Photo]]:
    """A JSON body, or a multipart form whose `field` holds the JSON and whose `photos` (one
    or more) hold the pictures. 415 for any other content type."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        return json_object(await request.body(), "the body", 400), []
    if kind != "multipart/form-data":
        raise GatewayError(415, "unsupported_media_type",
                           "send application/json, or multipart/form-data with photos")  # fmt: skip
    form = await request.form(max_files=MAX_PHOTOS, max_fields=8)
    text = form.get(field)
    if not isinstance(text, str):
        raise GatewayError(422, "invalid", f"the form needs a {field!r} field holding JSON")
    body = json_object(text, repr(field), 422)
    photos = []
    for item in form.getlist("photos"):
        if not isinstance(item, UploadFile):
            raise GatewayError(422, "invalid", "photos must be files")
        photos.append(await _photo(item))
    return body, photos


async def _photo(item: UploadFile) -> Photo:
    data = await item.read(MAX_ATTACHMENT_BYTES + 1)
    name = (item.filename or "photo")[:80]
    if len(data) > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // 1000
        return Photo("", b"", f"too_large: {name}: a photo is at most {limit} kB")
    if not data:
        return Photo("", b"", f"invalid: {name}: the photo is empty")
    kind = next((k for k in KINDS if is_kind(k, data)), None)
    if kind is None:
        return Photo("", b"", f"unsupported_media_type: {name}: not a JPEG, PNG or WebP picture")
    return Photo(kind, data)


def attach(
    port: BackendPort, login: Login, incident: str, photos: list[Photo]
) -> list[dict[str, Any]]:
    """Each photo added to the case; what the backend said of each (a refusal is the photo's,
    not the case's)."""
    said: list[dict[str, Any]] = []
    for photo in photos:
        if photo.refused:
            code, _, detail = photo.refused.partition(": ")
            said.append({"ok": False, "code": code, "detail": detail})
            continue
        body = {"incident": incident, "media_type": photo.media_type,
                "data": base64.b64encode(photo.data).decode()}  # fmt: skip
        try:
            reply = port.call(MsgType.ATTACHMENT_ADD, body, login, timeout=30.0)
        except RequestError as e:
            said.append({"ok": False, "code": e.code, "detail": e.detail})
            continue
        added = reply.body["attachment"]
        said.append({"ok": True, "id": added["id"], "duplicate": bool(added.get("duplicate"))})
    return said
