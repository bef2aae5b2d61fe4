"""Field reports: checked one by one as they arrive, committed together (a group commit with
the audit entries that record them), each acknowledged only after that commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from backend.service.context import IncidentChanged, Refusal, Reply, RequestContext
from backend.service.services import Services
from backend.store import ReportConflict
from domain.access import not_own_report
from domain.audit import AuditEntry
from domain.incident import FieldReport, Incident
from domain.personal_data import masked
from domain.requests import BodyError
from domain.wire import ErrorCode, MsgType

log = logging.getLogger("backend.server")


@dataclass(frozen=True, slots=True)
class PendingReport:
    ctx: RequestContext
    report: FieldReport


AHEAD_S = 3600.0
"""How far ahead of the backend's clock a report's own time may be (a phone's clock off)."""


def check(ctx: RequestContext, report: FieldReport, svc: Services) -> PendingReport:
    """Its places are the township's; a grid app report is the logged-in grid worker's own."""
    t = svc.township
    if report.category not in t.categories:
        raise BodyError(f"unknown category {report.category!r}")
    if report.village not in t.villages:
        raise BodyError(f"unknown village {report.village!r}")
    if report.reported_at > ctx.now + AHEAD_S:  # an hour's grace: a phone's clock, a time zone
        raise BodyError("reported_at is ahead of the command room's clock: check the phone's "
                        "clock and time zone")  # fmt: skip
    if (
        report.grid is not None
        and report.grid not in t.grids
        and report.grid in t.former.get("grids", {})
    ):
        # A phone that has not heard of a split or merge yet: the report is not lost; its grid
        # is found again by its position below, or it stays the village's to triage.
        report = replace(report, grid=None)
    if report.grid is not None:
        grid = t.grids.get(report.grid)
        if grid is None or grid.village != report.village:
            raise BodyError(f"grid {report.grid!r} is not a grid of village {report.village}")
    elif report.lat is not None and report.lon is not None:
        # The app did not say: the grid whose boundary holds the position, if in the village.
        found = svc.grids.grid_at(t, report.lat, report.lon)
        if found is not None and t.grids[found].village == report.village:
            report = replace(report, grid=found)
    who = ctx.who
    why = who and not_own_report(who.role, who.name, report.reporter, report.channel)
    if why:
        raise Refusal(ErrorCode.NOT_ALLOWED, why)
    return PendingReport(ctx, report)


def commit(batch: list[PendingReport], svc: Services) -> list[tuple[RequestContext, Reply]]:
    """One transaction for the batch's incidents, action-log rows and audit entries (with
    those already waiting, in chain order); on failure nothing is acknowledged and the audit
    chain is rewound to what was written."""
    audit = svc.audit
    waiting = audit.take()
    mark = audit.mark()

    def entries(results: list[tuple[Incident, bool] | ReportConflict]) -> list[AuditEntry]:
        audit.rewind(mark)  # a retried transaction chains its entries again
        before = len(audit.queue)
        for p, result in zip(batch, results, strict=True):
            audit.add_request(p.ctx, _audit_result(result))
        made, audit.queue[before:] = audit.queue[before:], []
        return waiting + made

    try:
        results = svc.store.intake_many([p.report for p in batch], audit=entries)
    except Exception:
        log.exception("storing %d reports failed; none acknowledged", len(batch))
        audit.rewind(mark)
        audit.put_back(waiting)
        failed = Refusal(ErrorCode.INTERNAL, "not stored; send again")
        for p in batch:
            audit.add_request(p.ctx, failed.code)
        return [(p.ctx, _refused(failed)) for p in batch]
    replies: list[tuple[RequestContext, Reply]] = []
    for p, result in zip(batch, results, strict=True):
        if isinstance(result, ReportConflict):
            replies.append((p.ctx, _refused(Refusal(ErrorCode.CONFLICT, str(result)))))
            continue
        incident, created = result
        wire = masked(incident).to_wire()
        body = {"incident": wire, "created": created}
        changes = (
            [IncidentChanged(MsgType.INCIDENT_REPORTED, incident, wire=wire)] if created else []
        )
        replies.append((p.ctx, Reply(MsgType.REPORT_ACK, body, changes)))
    return replies


def _audit_result(result: tuple[Incident, bool] | ReportConflict) -> str:
    if isinstance(result, ReportConflict):
        return ErrorCode.CONFLICT
    return "ok" if result[1] else "ok, known already"


def _refused(refusal: Refusal) -> Reply:
    return Reply(MsgType.ERROR, {"code": refusal.code, "detail": refusal.detail})
