"""Logging in (its password hash off the serve loop) and out."""

from __future__ import annotations

import logging
import time

from backend.passwords import check_password, dummy_hash, is_demo_hash
from backend.service.context import Finish, Refusal, Reply, RequestContext, SlowJob
from backend.service.services import Services
from backend.sessions import Session, new_token, token_hash
from backend.user_store import User
from domain.requests import Empty, LoginBody
from domain.scope import scope_of
from domain.wire import ErrorCode, MsgType

log = logging.getLogger("backend.server")


def login(ctx: RequestContext, body: LoginBody, svc: Services) -> SlowJob:
    """`{user, password}` → `login.ok` with a token for the envelope's `session`. The hash
    (0.4 s) runs on the worker; the session is made back on the loop."""
    accounts, audit = svc.accounts, svc.audit
    locked = accounts.sessions.locked_for(body.user, ctx.console, ctx.now)
    if locked > 0:
        audit.add(body.user, "", ctx.console, "login", body.user, ErrorCode.RATE_LIMITED)
        raise Refusal(
            ErrorCode.RATE_LIMITED,
            f"too many wrong passwords for this user; try again in {locked:.0f} s",
        )
    accounts.sessions.checking(body.user)  # until _finish, on the loop again

    def job() -> Finish:
        try:
            return check()
        except Exception:
            log.exception("checking a login failed")
            return failed

    def failed() -> Reply:
        accounts.sessions.checked(body.user)
        raise Refusal(ErrorCode.INTERNAL, "the backend failed; see its log")

    def check() -> Finish:
        found = accounts.users.get(body.user)
        right = check_password(body.password, found[1] if found else dummy_hash())
        user = found[0] if found and right and not found[0].disabled else None
        if found and is_demo_hash(found[1]) and not accounts.demo_users:
            # the same words as a wrong password, after the same work as an unknown user's (a
            # demo hash is cheap: its answer in a tenth of the time told the demo users apart)
            check_password(body.password, dummy_hash())
            if user is not None:
                log.warning("demo user %s refused: this backend was started without "
                            "--demo-users", body.user[:64])  # fmt: skip
            user = None
        return lambda: _finish(ctx, body.user, user, svc)

    return job


def _finish(ctx: RequestContext, login: str, user: User | None, svc: Services) -> Reply:
    now = time.time()
    sessions, audit = svc.accounts.sessions, svc.audit
    sessions.checked(login)
    if user is None:
        sessions.failed(login, ctx.console, now)
        audit.add(login, "", ctx.console, "login", login, ErrorCode.LOGIN_FAILED)
        raise Refusal(ErrorCode.LOGIN_FAILED, "wrong user or password, or the user is disabled")
    token = new_token()
    try:
        svc.accounts.users.start_session(token_hash(token), user.login, ctx.console, now)
    except Exception:
        log.exception("recording a login failed")
        raise Refusal(ErrorCode.INTERNAL, "the backend failed; see its log") from None
    session = Session(user.login, user.name, user.role, user.person, ctx.console, now, now,
                      scope_of(user.role, user.person, user.name, svc.township, user.ties),
                      ties=user.ties)  # fmt: skip
    sessions.add(token_hash(token), session)
    sessions.succeeded(login, ctx.console)
    audit.add(user.login, user.role.value, ctx.console, "login", user.login, "ok")
    answer = {
        "token": token,
        "user": user.login,
        "name": user.name,
        "role": user.role.value,
        "person": user.person,
        "idle_s": sessions.idle_s,
        "stream": session.stream,
        "scope": session.scope.to_wire(),
    }
    return Reply(MsgType.LOGGED_IN, answer)


def logout(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    svc.accounts.sessions.end(ctx.request.session)
    svc.accounts.end_sessions([token_hash(ctx.request.session)])
    return Reply(MsgType.LOGGED_OUT, {})
