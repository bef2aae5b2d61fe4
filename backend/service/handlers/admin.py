"""The administrator's desk (users and keys; adding either stays on the backend's machine) and
the auditor's read of the trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.keyring import KeyRingError
from backend.passwords import hash_password
from backend.service.context import Finish, Refusal, Reply, RequestContext, SlowJob
from backend.service.services import Services
from backend.user_store import UserError
from domain.accounts import PERSON_ROLES, weak_reason
from domain.requests import MAX_AUDIT_PAGE, AuditPage, Empty, KeyRef, UserAddBody, UserSetBody
from domain.township import Role
from domain.wire import ErrorCode, MsgType


def users(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    listed = [
        {"login": u.login, "name": u.name, "role": u.role.value, "person": u.person,
         "disabled": u.disabled}
        for u in svc.accounts.users.all()
    ]  # fmt: skip
    return Reply(MsgType.ADMIN_USERS, {"users": listed})


def user_set(ctx: RequestContext, body: UserSetBody, svc: Services) -> SlowJob:
    """A user let in or kept out, given another role or a new password; their sessions end at
    once, audited, before the answer. A new password is hashed on the worker; the rest is
    done back on the loop."""
    _guard(ctx, body, svc)  # at once, to say no before the hashing
    new_hash = _checked(body.password)

    def change(password_hash: str | None) -> Reply:
        users_ = svc.accounts.users
        _guard(ctx, body, svc)  # again, on the loop: two requests at once saw two auditors
        try:
            if password_hash is not None:
                users_.set_password(body.login, password_hash)
            if body.role is not None:
                users_.set_role(body.login, body.role)
            if body.disabled is not None:
                users_.set_disabled(body.login, body.disabled)
        except UserError as e:
            raise Refusal(ErrorCode.INVALID, str(e)) from None
        svc.accounts.check_users(by=ctx.logged_in().login)
        return users(ctx, Empty(), svc)

    return _hash_then(new_hash, change)


def _guard(ctx: RequestContext, body: UserSetBody, svc: Services) -> None:
    """No administrator locks themselves out, and the trail keeps an auditor."""
    me = ctx.logged_in().login
    if body.login == me and (body.disabled or body.role not in (None, Role.ADMINISTRATOR)):
        raise Refusal(ErrorCode.INVALID, "an administrator cannot lock themselves out")
    everyone = svc.accounts.users.all()
    target = next((u for u in everyone if u.login == body.login), None)
    auditors = [u for u in everyone if u.role == Role.AUDITOR and not u.disabled]
    leaves_audit = body.disabled or body.role not in (None, Role.AUDITOR)
    if target is not None and auditors == [target] and leaves_audit:  # who would read the trail?
        raise Refusal(ErrorCode.INVALID, "the only auditor cannot be disabled or given another "
                      "role: add another first")  # fmt: skip


def user_add(ctx: RequestContext, body: UserAddBody, svc: Services) -> SlowJob:
    """A new user, with the first password the administrator gives them: a person of the
    township when their role's scope needs one (a handler's department, a grid's worker)."""
    people = svc.township.people
    if body.person is not None and body.person not in people:
        raise Refusal(ErrorCode.INVALID, f"no person {body.person!r} in the township")
    if body.role in PERSON_ROLES and body.person is None:
        raise Refusal(ErrorCode.INVALID, f"a {body.role.value} needs their person in the "
                      "township (their department, village or grid)")  # fmt: skip
    new_hash = _checked(body.password)

    def add(password_hash: str | None) -> Reply:
        assert password_hash is not None
        try:
            svc.accounts.users.add(body.login, body.name, body.role, password_hash,
                                   body.person)  # fmt: skip
        except UserError as e:
            raise Refusal(ErrorCode.INVALID, str(e)) from None
        svc.accounts.check_users(by=ctx.logged_in().login)
        return users(ctx, Empty(), svc)

    return _hash_then(new_hash, add)


def _hash_then(new_hash: Callable[[], str | None], apply: Callable[[str | None], Reply]) -> SlowJob:
    def job() -> Finish:
        hashed = new_hash()  # on the worker
        return lambda: apply(hashed)  # back on the serve loop

    return job


def _checked(password: str | None) -> Callable[[], str | None]:
    """Refused at once if weak; else the hashing, for the worker (a second of scrypt)."""
    if password is None:
        return lambda: None
    if (why := weak_reason(password)) is not None:
        raise Refusal(ErrorCode.INVALID, f"password too weak: {why}")
    return lambda: hash_password(password)


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
