"""Signing in and out at the gateway, and what a phone's forms list (categories, villages)."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from client.request import Login, RequestError
from domain.township import Role
from domain.wire import MsgType
from gateway.errors import GatewayError
from gateway.field_tokens import FieldSession
from gateway.state import SignedIn, address_key, gateway_of

router = APIRouter(prefix="/v1", tags=["session"])

FIELD_ROLES = frozenset({
    Role.GRID_WORKER, Role.GRID_MEMBER, Role.GRID_LEADER, Role.DEPARTMENT_HANDLER, Role.GATEWAY,
})  # fmt: skip
"""Who signs in here: the field, and the systems that file for residents (a 12345 hotline's
server, a civic app's) as the gateway role. The command room signs in at its consoles."""


class SignIn(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


def who(session: FieldSession) -> dict[str, Any]:
    login = session.login
    return {"user": login.user, "name": login.name, "role": login.role.value,
            "person": login.person, "scope": login.scope.to_wire(),
            "expires_at": session.expires}  # fmt: skip


@router.post("/session", status_code=201, summary="Sign in: a short-lived token for the phone")
def sign_in(body: SignIn, request: Request) -> dict[str, Any]:
    gateway = gateway_of(request)
    wait = gateway.sign_ins.take(address_key(request))
    if wait:
        raise GatewayError(429, "rate_limited", "too many sign-ins from this address", wait)
    if body.user == gateway.port.identity.user:  # its own: never tried from outside (a lock
        raise _failed()  # of it would stop every report and Open311 with it)
    wait = gateway.wrong_passwords.locked(body.user)
    if wait:
        raise GatewayError(429, "rate_limited",
                           f"too many wrong passwords for this user: try again in {wait:.0f} s",
                           wait)  # fmt: skip
    try:
        login: Login = gateway.port.log_in(body.user, body.password)
    except RequestError as e:
        if e.code == "login_failed":
            gateway.wrong_passwords.failed(body.user)
            raise _failed() from None
        raise
    if login.role not in FIELD_ROLES:  # a console's: said as a wrong password (no oracle)
        with contextlib.suppress(RequestError):
            gateway.port.call(MsgType.LOGOUT, {}, login)
        raise _failed()
    token, session = gateway.tokens.issue(login)
    return {"token": token, **who(session)}


def _failed() -> GatewayError:
    return GatewayError(401, "login_failed", "wrong user or password (the command room's "
                        "logins sign in at its consoles)")  # fmt: skip


@router.delete("/session", status_code=204, summary="Sign out (the backend's login ends too)")
def sign_out(request: Request, session: SignedIn) -> None:
    gateway = gateway_of(request)
    token = request.headers["authorization"].partition(" ")[2].strip()
    gateway.tokens.end(token)
    with contextlib.suppress(RequestError):  # ended already (idle, disabled): signed out
        gateway.port.call(MsgType.LOGOUT, {}, session.login)


@router.get("/me", summary="Who the token stands for, and until when")
def me(session: SignedIn) -> dict[str, Any]:
    return who(session)


@router.get("/township", summary="What a report form lists: categories, villages, grids")
def township(request: Request, session: SignedIn) -> dict[str, Any]:
    t = gateway_of(request).port.township()
    return {
        "code": t.code, "name": t.name,
        "categories": [{"code": c.code, "name": c.name} for c in t.categories.values()],
        "villages": [{"code": v.code, "name": v.name} for v in t.villages.values()],
        "grids": [{"code": g.code, "name": g.name, "village": g.village}
                  for g in t.grids.values()],
        "urgencies": ["normal", "urgent", "very_urgent"],
    }  # fmt: skip
