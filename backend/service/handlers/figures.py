"""The figures: live indicators, their minute history, a period's evaluation (both read much of
the store, so they run on the slow-request worker), and the cameras' health from the walls."""

from __future__ import annotations

import time

from backend.service.context import Refusal, Reply, RequestContext, SlowJob
from backend.service.live import platform_of
from backend.service.services import Services
from domain.camera_health import CameraReportError
from domain.evaluation import PATROL_DIMENSIONS, evaluate
from domain.indicator_history import HISTORY_DAYS, minute_of, series
from domain.requests import CameraStates, Empty, EvaluationBody, HistoryBody
from domain.wire import ErrorCode, MsgType


def indicators(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    return Reply(MsgType.INDICATORS, svc.live.figures())


def history(ctx: RequestContext, body: HistoryBody, svc: Services) -> SlowJob:
    """The stored minutes from `since` (at most 31 days back), `step` minutes per point, and
    the minute in progress as it stands now."""
    now = time.time()
    oldest = now - (HISTORY_DAYS + 1) * 86_400
    if not oldest <= body.since <= now + 60:
        raise Refusal(ErrorCode.INVALID, f"since must be epoch seconds from {oldest:.0f} to now")
    step = body.step
    start = minute_of(body.since) // (step * 60) * (step * 60)
    until = minute_of(now)
    minutes = svc.live.minutes
    current = {"at": minutes.minute, "received": minutes.received, "closed": minutes.closed}
    store = svc.store

    def job() -> Reply:
        answer = series(store.minutes(start), start, until, step)
        answer["current"] = current
        return Reply(MsgType.HISTORY, answer)

    return job


def evaluation(ctx: RequestContext, body: EvaluationBody, svc: Services) -> SlowJob:
    """The evaluation of a period (domain.evaluation)."""
    store, township = svc.store, svc.township
    tz = store.rules.calendar.tz

    def job() -> Reply:
        incidents, changes = store.period(body.start, body.end)
        patrols = store.patrols(body.start, body.end) if body.dimension in PATROL_DIMENSIONS else []
        figures = evaluate(
            incidents, changes, body.start, body.end, body.dimension, tz,
            lambda c: platform_of(township, c), time.time(), patrols,
        )  # fmt: skip
        return Reply(MsgType.EVALUATION, figures)

    return job


def camera_health(ctx: RequestContext, body: CameraStates, svc: Services) -> Reply:
    """A console's tiles: which cameras it sees live and which it lost, since when."""
    try:
        changed = svc.live.cameras.report(body.cameras, time.time())
    except CameraReportError as e:
        raise Refusal(ErrorCode.INVALID, str(e)) from None
    svc.live.indicators_changed |= changed
    return Reply(MsgType.CAMERA_HEALTH_ACK, {"changed": changed})
