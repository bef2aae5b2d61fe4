"""What every route of the gateway shares: the way to the backend, the field users' tokens,
the rate limits, the API keys of the systems that file through Open311. Reached through
FastAPI's dependencies (`signed_in`), never as module globals."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.township import Role
from gateway.backend_port import BackendPort
from gateway.errors import GatewayError
from gateway.field_tokens import FieldSession, FieldTokens
from gateway.limits import RateLimit, WrongPasswords

SYSTEM_RATE = 200.0
"""Requests a second under one system's sign-in, unless `gateway_system_rate` says more."""


@dataclass(slots=True)
class Gateway:
    port: BackendPort
    tokens: FieldTokens = field(default_factory=FieldTokens)
    per_token: RateLimit = field(default_factory=lambda: RateLimit(5.0, 30.0))
    """A person's phone: a few requests a second is a busy one."""
    per_system: RateLimit = field(default_factory=lambda: RateLimit(SYSTEM_RATE, 2 * SYSTEM_RATE))
    """A system signed in with the gateway role (the grid app's, the hotline's server) files
    for many people: its limit is a flood guard, not a person's pace (a setting)."""
    per_address: RateLimit = field(default_factory=lambda: RateLimit(60.0, 200.0))
    """Any client address: a flood guard only (a carrier's NAT puts many phones behind one)."""
    sign_ins: RateLimit = field(default_factory=lambda: RateLimit(1.0, 30.0))
    """Sign-ins per address: thirty at once (a shift starting behind one office's or one
    carrier's address), then one a second; a guesser meets `wrong_passwords` first."""
    wrong_passwords: WrongPasswords = field(default_factory=WrongPasswords)
    """Sign-ins refused here before the backend locks the user (docs/gateway.md)."""
    streams: Counter[str] = field(default_factory=Counter)
    """Event streams open per sign-in (token hash): a phone needs one, a page reloaded two."""
    api_keys: dict[str, str] = field(default_factory=dict)
    """Open311 API key → the system it was given to (12345 热线, a civic app)."""


def gateway_of(request: Request) -> Gateway:
    state: Gateway = request.app.state.gateway
    return state


def address_key(request: Request) -> str:
    """The client's address as a key (hashed: an address is not written anywhere)."""
    host = request.client.host if request.client else "?"
    return hashlib.sha256(host.encode()).hexdigest()[:16]


def bearer(request: Request) -> str:
    """The request's bearer token ("" without one), read as `BEARER` reads it: the guard's
    and the event stream's look at who asks."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


BEARER = HTTPBearer(auto_error=False, description="the token `POST /v1/session` answers")
"""Named in the OpenAPI document, so that a client generated from it sends the token."""


async def signed_in(
    request: Request, said: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
) -> FieldSession:
    """The field user the bearer token stands for (401 without a good one; 429 too often).
    On the event loop (memory only): a plain `def` dependency cost every request a trip to a
    worker thread and back, a fifth of the gateway's CPU a report."""
    gateway = gateway_of(request)
    if said is None or not said.credentials:
        raise GatewayError(401, "not_signed_in", "sign in first: Authorization: Bearer <token>")
    token = said.credentials
    session = gateway.tokens.get(token.strip())
    if session is None:
        raise GatewayError(401, "not_signed_in", "the token is unknown or has expired: sign in")
    limit = gateway.per_system if session.login.role == Role.GATEWAY else gateway.per_token
    wait = limit.take(token)
    if wait:
        raise GatewayError(429, "rate_limited", "too many requests for this sign-in", wait)
    return session


SignedIn = Annotated[FieldSession, Depends(signed_in)]
