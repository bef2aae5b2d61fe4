"""Patrols the grid app finished: checked, stored, then acknowledged; and today's tracks for
the map."""

from __future__ import annotations

import time

from backend.service.context import Refusal, Reply, RequestContext, SlowJob
from backend.service.services import Services
from backend.store import PatrolConflict
from domain.access import not_own_patrol
from domain.patrol import PatrolError, PatrolReport, accept_patrol
from domain.requests import TracksBody
from domain.wire import ErrorCode, MsgType


def submit(ctx: RequestContext, report: PatrolReport, svc: Services) -> Reply:
    """A grid role sends its own patrols (a gateway anyone's); a resend gets the stored patrol
    back with `created` false."""
    who = ctx.who
    if who is not None and (why := not_own_patrol(who.role, who.person, report.worker)):
        raise Refusal(ErrorCode.NOT_ALLOWED, why)
    try:
        patrol, created = svc.store.add_patrol(report, accept_patrol(report, svc.township, ctx.now))
    except PatrolConflict as e:
        raise Refusal(ErrorCode.CONFLICT, str(e)) from None
    except PatrolError as e:
        raise Refusal(ErrorCode.INVALID, str(e)) from None
    if created:
        svc.live.indicators_changed |= svc.live.patrols.add(patrol)
    return Reply(MsgType.PATROL_ACK, {"patrol": patrol.to_wire(), "created": created})


TRACKS_BACK_S = 86_400
TRACK_POINTS = 200
"""Points a track is thinned to on the wire: a map line, not the phone's every fix."""


def tracks(ctx: RequestContext, body: TracksBody, svc: Services) -> SlowJob:
    """Patrols ended since `since` (a day back at most): who walked which grid and where, as
    the phone recorded it (thinned), for the map's track layer."""
    now = time.time()
    if not now - TRACKS_BACK_S - 60 <= body.since <= now + 60:
        raise Refusal(ErrorCode.INVALID, "since must be epoch seconds within the last day")
    store = svc.store

    def job() -> Reply:
        found = []
        for row in store.patrol_tracks(body.since - TRACKS_BACK_S, now):
            if row["ended_at"] < body.since:
                continue
            points = row["track"]
            step = max(1, -(-len(points) // TRACK_POINTS))
            kept = points[::step] + ([points[-1]] if points and (len(points) - 1) % step else [])
            found.append({**{k: v for k, v in row.items() if k != "track"},
                          "track": [[p[0], p[1]] for p in kept]})  # fmt: skip
        return Reply(MsgType.TRACKS, {"since": body.since, "tracks": found})

    return job
