"""One handler per request type of domain.requests.REQUESTS, grouped by concern.

A handler takes the request's context, its typed body and the service's parts, and returns a
`Reply` (with the changes it committed) or, for a `slow` type, a job for the worker. Adding a
request type: its row in domain/requests.py, its function here (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.service.context import Reply, RequestContext, SlowJob
from backend.service.handlers import (
    admin,
    cameras,
    figures,
    heat,
    incidents,
    logins,
    patrols,
    report_status,
    township,
    township_files,
)
from backend.service.services import Services
from domain.requests import Scope
from domain.wire import MsgType

Handler = Callable[[RequestContext, Any, Services], Reply | SlowJob]

HANDLERS: dict[str, Handler] = {
    MsgType.HELLO: township.hello,
    MsgType.TOWNSHIP_REQUEST: township.township,
    MsgType.SNAPSHOT_REQUEST: township.snapshot,
    MsgType.PARTS_ACK: township.parts_ack,
    MsgType.CAMERA_CREDENTIALS_REQUEST: township.camera_credentials,
    MsgType.CAMERA_TEST: cameras.test,
    MsgType.CAMERA_SET: cameras.set_camera,
    MsgType.CAMERA_REMOVE: cameras.remove,
    MsgType.TOWNSHIP_CHECK: township_files.check,
    MsgType.TOWNSHIP_APPLY: township_files.apply,
    MsgType.LOGIN: logins.login,
    MsgType.LOGOUT: logins.logout,
    MsgType.COMMAND: incidents.command,
    MsgType.DETAIL_REQUEST: incidents.detail,
    MsgType.REVEAL_REQUEST: incidents.reveal,
    MsgType.ATTACHMENT_ADD: incidents.attachment_add,
    MsgType.ATTACHMENT_REQUEST: incidents.attachment,
    MsgType.INDICATORS_REQUEST: figures.indicators,
    MsgType.HISTORY_REQUEST: figures.history,
    MsgType.EVALUATION_REQUEST: figures.evaluation,
    MsgType.CAMERA_HEALTH: figures.camera_health,
    MsgType.PATROL_SUBMIT: patrols.submit,
    MsgType.TRACKS_REQUEST: patrols.tracks,
    MsgType.HEAT_REQUEST: heat.heat,
    MsgType.REPORT_STATUS_REQUEST: report_status.status,
    MsgType.AUDIT_REQUEST: admin.audit_page,
    MsgType.ADMIN_USERS_REQUEST: admin.users,
    MsgType.ADMIN_USER_SET: admin.user_set,
    MsgType.ADMIN_USER_ADD: admin.user_add,
    MsgType.ADMIN_KEYS_REQUEST: admin.keys,
    MsgType.ADMIN_KEY_REVOKE: admin.key_revoke,
}
"""Report submissions are not here: they are batched (handlers.reports) for a group commit."""


def handle(ctx: RequestContext, body: Any, svc: Services) -> Reply | SlowJob:
    """A case's request is refused unless the login's scope covers the case (domain.scope),
    before its handler runs; an attachment's case is known from its row (its handler checks)."""
    incident = getattr(body, "incident", None)
    if ctx.spec.scope == Scope.CASE and isinstance(incident, str):
        svc.check_scope(ctx, incident)
    return HANDLERS[ctx.request.type](ctx, body, svc)
