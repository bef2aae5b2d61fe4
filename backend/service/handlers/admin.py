"""The administrator's desk (users and keys; adding either stays on the backend's machine) and
the auditor's read of the trail."""

from __future__ import annotations

from typing import Any

from backend.keyring import KeyRingError
from backend.service.context import Refusal, Reply, RequestContext
from backend.service.services import Services
from backend.user_store import UserError
from domain.requests import MAX_AUDIT_PAGE, AuditPage, Empty, KeyRef, UserSetBody
from domain.township import Role
from domain.wire import ErrorCode, MsgType


def users(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    listed = [
        {"login": u.login, "name": u.name, "role": u.role.value, "person": u.person,
         "disabled": u.disabled}
        for u in svc.accounts.users.all()
    ]  # fmt: skip
    return Reply(MsgType.ADMIN_USERS, {"users": listed})


def user_set(ctx: RequestContext, body: UserSetBody, svc: Services) -> Reply:
    """A user let in or kept out; their sessions end at once, audited, before the answer."""
    if body.login == ctx.logged_in().login and body.disabled:
        raise Refusal(ErrorCode.INVALID, "an administrator cannot disable themselves")
    if body.disabled:
        everyone = svc.accounts.users.all()
        target = next((u for u in everyone if u.login == body.login), None)
        auditors = [u for u in everyone if u.role == Role.AUDITOR and not u.disabled]
        if target is not None and auditors == [target]:  # who would then read the trail?
            raise Refusal(ErrorCode.INVALID, "the only auditor cannot be disabled: add another "
                          "first (python -m backend users add)")  # fmt: skip
    try:
        svc.accounts.users.set_disabled(body.login, body.disabled)
    except UserError as e:
        raise Refusal(ErrorCode.INVALID, str(e)) from None
    svc.accounts.check_users()
    return users(ctx, Empty(), svc)


def keys(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    ring = svc.accounts.keyring
    answer: dict[str, Any] = {"secure": ring is not None, "enrolled": [], "revoked": []}
    if ring is not None:
        answer["enrolled"] = sorted(ring.names())
        answer["revoked"] = sorted(
            p.name.removesuffix(".key") for p in ring.revoked_dir.glob("*.key")
        )
    return Reply(MsgType.ADMIN_KEYS, answer)


def key_revoke(ctx: RequestContext, body: KeyRef, svc: Services) -> Reply:
    """As `python -m backend keys revoke`; in force before the answer."""
    ring = svc.accounts.keyring
    if ring is None:
        raise Refusal(ErrorCode.INVALID, "plain text: there are no keys to revoke")
    try:
        ring.revoke(body.name)
    except KeyRingError as e:
        raise Refusal(ErrorCode.INVALID, str(e)) from None
    svc.accounts.check_revocations(svc.publisher)
    return keys(ctx, Empty(), svc)


def audit_page(ctx: RequestContext, body: AuditPage, svc: Services) -> Reply:
    """A page of the trail, in order, hashes and all, for the auditor to read and check."""
    trail = svc.audit
    trail.flush()
    after, limit = body.after, body.limit
    if body.last:
        after, limit = max(0, trail.chain.seq - body.last), body.last
    entries = svc.store.audit(after, min(limit, MAX_AUDIT_PAGE))
    answer = {
        "entries": [e.fields() | {"hash": e.hash} for e in entries],
        "head": trail.chain.seq,
        # An incident's number beside its id: the auditor reads SJ000123, not a UUID.
        "numbers": svc.store.numbers([e.subject for e in entries if e.subject]),
    }
    return Reply(MsgType.AUDIT, answer)
