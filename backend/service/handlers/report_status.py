"""What became of the reports a gateway filed (the hotline's, a civic app's through Open311):
the state and the times, never a person's data or the handlers' notes. A gateway may read no
case otherwise (it follows none); the ids it asks by are the ones its senders made."""

from __future__ import annotations

from backend.service.context import Reply, RequestContext, SlowJob
from backend.service.services import Services
from domain.requests import ReportIds
from domain.wire import MsgType


def status(ctx: RequestContext, body: ReportIds, svc: Services) -> SlowJob:
    store = svc.store

    def job() -> Reply:
        found = []
        for report_id in body.ids:
            incident = store.get(report_id)
            if incident is None:
                continue
            found.append({
                "id": incident.id, "number": incident.display_number,
                "category": incident.category, "state": incident.state.value,
                "open": incident.is_open, "department": incident.department,
                "village": incident.village, "grid": incident.grid,
                "channel": incident.channel.value, "description": incident.description,
                "received_at": incident.received_at, "updated_at": incident.updated_at,
                "lat": incident.lat, "lon": incident.lon,
            })  # fmt: skip
        return Reply(MsgType.REPORT_STATUS, {"reports": found})

    return job
