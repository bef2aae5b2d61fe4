"""Patrols the grid app finished: checked, stored, then acknowledged."""

from __future__ import annotations

from backend.service.context import Refusal, Reply, RequestContext
from backend.service.services import Services
from backend.store import PatrolConflict
from domain.access import not_own_patrol
from domain.patrol import PatrolError, PatrolReport, accept_patrol
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
