"""Cameras while the room runs (the administrator's desk and tools): tried from the backend's
machine, added or changed, taken off. A change is a new version of the township, published at
once: every console asks for the township again and its wall and camera tree follow."""

from __future__ import annotations

from backend.cameras.probe import probe
from backend.service.context import Announcement, Refusal, Reply, RequestContext, SlowJob
from backend.service.services import Services
from backend.service.territory import take_in
from backend.township.head import TOWNSHIP_RADIUS_KM
from domain.camera_urls import address_problem, split_credentials
from domain.requests import CameraRef, CameraSetBody, CameraTestBody
from domain.township import Township, TownshipDataError, distance_m
from domain.wire import ErrorCode, MsgType

PROBE_TIMEOUT_S = 8.0


def test(ctx: RequestContext, body: CameraTestBody, svc: Services) -> SlowJob:
    """The stream's codec, size, rate and first picture, or why it cannot be played."""
    if body.url is not None:
        url = body.url
    else:
        camera = svc.township.cameras.get(body.camera or "")
        if camera is None:
            raise Refusal(ErrorCode.INVALID, f"no camera {body.camera!r}")
        url = camera.main_url
    if (why := address_problem(url)) is not None:
        raise Refusal(ErrorCode.INVALID, why[1])

    def job() -> Reply:
        result = probe(url, PROBE_TIMEOUT_S)
        answer = {**result.to_wire(), "url": split_credentials(url)[0]}
        return Reply(MsgType.CAMERA_TESTED, answer)

    return job


def _changed(svc: Services, version: int, ctx: RequestContext, what: str) -> Reply:
    t = svc.township
    try:
        township = svc.store.load_township(t.platform_set)
    except TownshipDataError:
        township = svc.store.load_township()
    take_in(svc, township, version)
    return Reply(
        MsgType.CAMERA_SAVED,
        {"camera": what, "version": version},
        [Announcement(MsgType.TOWNSHIP_CHANGED, {"version": version})],
    )


def _check_place(t: Township, body: CameraSetBody) -> None:
    c = body.camera
    for url in (c.main_url, c.sub_url):
        if (why := address_problem(url)) is not None:
            raise Refusal(ErrorCode.INVALID, why[1])
    if c.village is not None and c.village not in t.villages:
        raise Refusal(ErrorCode.INVALID, f"unknown village {c.village!r}")
    if distance_m(t.lat, t.lon, c.lat, c.lon) > TOWNSHIP_RADIUS_KM * 1000:
        raise Refusal(
            ErrorCode.INVALID, "the position is outside the township (lat, lon in WGS-84)"
        )


def set_camera(ctx: RequestContext, body: CameraSetBody, svc: Services) -> Reply:
    _check_place(svc.township, body)
    who = ctx.who.name if ctx.who else "administrator"
    version = svc.store.set_camera(body.camera, who)
    return _changed(svc, version, ctx, body.camera.code)


def remove(ctx: RequestContext, body: CameraRef, svc: Services) -> Reply:
    who = ctx.who.name if ctx.who else "administrator"
    version = svc.store.retire_camera(body.code, who)
    if version is None:
        raise Refusal(ErrorCode.INVALID, f"no camera {body.code!r}")
    return _changed(svc, version, ctx, body.code)
