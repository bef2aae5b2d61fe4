"""Hello, the township and the snapshot: what a console asks when it connects."""

from __future__ import annotations

from typing import Any

from backend.service.context import NO_REPLY, Reply, RequestContext
from backend.service.services import Services
from domain.camera_urls import split_credentials
from domain.requests import Empty, PartAck
from domain.wire import PROTOCOL_VERSION, MsgType


def hello(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The backend's session, where updates are published and the seq now."""
    pub = svc.publisher
    welcome = {
        "protocol": PROTOCOL_VERSION,
        "session": pub.session,
        "seq": pub.seq,
        "pub_port": pub.port,
        "township": svc.township.code,
        "township_name": svc.township.name,
    }
    if ctx.request.session:  # the login it carries is open (its stream goes on) or not
        welcome["logged_in"] = ctx.who is not None
    return Reply(MsgType.WELCOME, welcome, seq=pub.seq)


def township(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The territory, the categories and the rules a console counts deadlines and days by."""
    data, categories = svc.township.to_dict()
    # Consoles show names, not the township's phone book (personal data stays in the backend),
    # and cameras' addresses without their passwords (camera.credentials.request).
    data["people"] = [{**p, "phone": ""} for p in data["people"]]
    data["cameras"] = [_bare(c) for c in data["cameras"]]
    answer = {
        "township": data,
        "categories": categories,
        "platform_set": svc.township.platform_set,
        "deadline_rules": svc.store.rules.to_wire(),
    }
    return Reply(MsgType.TOWNSHIP, answer)


def _bare(camera: dict[str, Any]) -> dict[str, Any]:
    main, main_user, _p = split_credentials(camera["main_url"])
    sub, sub_user, _q = split_credentials(camera["sub_url"])
    return {**camera, "main_url": main, "sub_url": sub,
            "credentials": main_user is not None or sub_user is not None}  # fmt: skip


def camera_credentials(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """Each camera's user and password per stream, for those whose addresses have them."""
    cameras: dict[str, Any] = {}
    for camera in svc.township.cameras.values():
        streams = {}
        for stream, url in (("main", camera.main_url), ("sub", camera.sub_url)):
            _bare_url, user, password = split_credentials(url)
            if user is not None or password is not None:
                streams[stream] = {"user": user, "password": password}
        if streams:
            cameras[camera.code] = streams
    return Reply(MsgType.CAMERA_CREDENTIALS, {"cameras": cameras})


def snapshot(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The live map as far as the login's scope covers it, at its stream's seq now; the loop
    sends it in chunks (later changes replace the map's values, not the list taken here, so the
    chunks stay consistent)."""
    scope = ctx.logged_in().scope
    incidents = [i for i in svc.live.incidents.values() if scope.covers_wire(i)]
    return Reply(MsgType.SNAPSHOT, {"incidents": incidents})


def parts_ack(ctx: RequestContext, body: PartAck, svc: Services) -> Reply:
    """A large answer read: the next may go to that connection. Never answered."""
    svc.outbox.acknowledged(ctx.envelope, body.part)
    return NO_REPLY
