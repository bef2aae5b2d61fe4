"""Filing a report with the backend, safe to retry: the id is the phone's (or, for Open311,
made from the request's own words), and a second send of it returns the case it filed.

When the sender gave no time of its own, the gateway stamps one, and a retry is stamped anew:
the backend then calls the id "used for another report" (its content differs by the time).
That case is the sender's first send; it is looked up and answered as filed before."""

from __future__ import annotations

from typing import Any

from client.request import Login, RequestError
from domain.incident import case_number
from domain.wire import ErrorCode, MsgType
from gateway.backend_port import BackendPort


def file_report(
    port: BackendPort, login: Login | None, wire: dict[str, Any], stamped: bool
) -> tuple[dict[str, Any], bool]:
    """(the case as the backend answers it, its number as said (SJ000123), whether this send
    made it). `login` None: the gateway's own; `stamped`: the gateway gave `reported_at`."""
    try:
        if login is None:
            reply = port.as_gateway(MsgType.REPORT_SUBMIT, wire, 10.0)
        else:
            reply = port.call(MsgType.REPORT_SUBMIT, wire, login, 10.0)
    except RequestError as e:
        if e.code != ErrorCode.CONFLICT or not stamped:
            raise
        status = port.as_gateway(MsgType.REPORT_STATUS_REQUEST, {"ids": [wire["id"]]}, 10.0)
        found = status.body["reports"]
        if not found:
            raise
        first = found[0]
        if (first.get("category"), first.get("description")) != (
            wire["category"],
            wire["description"],
        ):  # the id used for another report indeed: said, not taken for a retry
            raise
        return dict(first), False  # its number already as said (report.status's SJ000123)
    incident = dict(reply.body["incident"])
    return {**incident, "number": case_number(int(incident["number"]))}, bool(
        reply.body.get("created")
    )
