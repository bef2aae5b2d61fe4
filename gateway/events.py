"""The phone page told at once: `GET /v1/events`, a server-sent event stream of the signed-in
person's own cases as the backend publishes them on that login's update stream (a case
dispatched to the department, a reply waiting for the grid's verification, a case gone
elsewhere). Each event names the case and its state; the page reads the case again itself.
A comment line every 15 s keeps proxies from closing a quiet stream; a stream whose sign-in
has ended (signed out, expired) says `signed_out` and ends within a second."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import orjson
import zmq
import zmq.asyncio
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from domain.wire import MsgType, ProtocolError, decode
from gateway.errors import GatewayError
from gateway.field_tokens import FieldSession
from gateway.state import SignedIn, bearer, gateway_of

router = APIRouter(prefix="/v1", tags=["cases"])
MAX_STREAMS = 3
"""Streams open at once under one sign-in (a page reloaded keeps its old one a while)."""
KEEPALIVE_S = 15.0
LOOK_S = 1.0
"""How often a quiet stream looks whether its sign-in still holds."""
KINDS = (MsgType.INCIDENT_REPORTED, MsgType.INCIDENT_UPDATED, MsgType.INCIDENT_LEFT)


def _pub_endpoint(router_endpoint: str, pub_port: int) -> str:
    host = urlsplit(router_endpoint.replace("tcp://", "http://")).hostname or "127.0.0.1"
    return f"tcp://{'127.0.0.1' if host in ('*', '0.0.0.0') else host}:{pub_port}"


async def _stream(
    request: Request, session: FieldSession, pub: str, token: str, key: str
) -> AsyncIterator[bytes]:
    gateway = gateway_of(request)
    sub = zmq.asyncio.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    if gateway.port.keys is not None:
        gateway.port.keys.apply(sub)
    sub.connect(pub)
    for kind in KINDS:
        sub.setsockopt(zmq.SUBSCRIBE, session.login.topic + kind.encode())
    gateway.streams[key] += 1
    try:
        yield b": listening\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            if gateway.tokens.get(token) is None:  # signed out, or its time is up: said, ended
                yield b"event: signed_out\ndata: {}\n\n"
                return
            if not await sub.poll(int(LOOK_S * 1000)):
                if (quiet := quiet + LOOK_S) >= KEEPALIVE_S:
                    quiet = 0.0
                    yield b": still here\n\n"
                continue
            try:
                message = decode((await sub.recv_multipart())[-1])
            except ProtocolError:
                continue
            case = message.body.get("incident") or {}
            said = {"type": message.type, "id": case.get("id"), "state": case.get("state")}
            yield b"event: case\ndata: " + orjson.dumps(said) + b"\n\n"
    finally:
        sub.close(linger=0)
        gateway.streams[key] -= 1
        if gateway.streams[key] <= 0:
            del gateway.streams[key]


@router.get("/events", summary="Server-sent events: my cases as they change (text/event-stream)")
async def events(request: Request, session: SignedIn) -> StreamingResponse:
    gateway = gateway_of(request)
    token = bearer(request)  # a good one: `session` says so
    key = hashlib.sha256(token.encode()).hexdigest()  # counted by its hash, as tokens are kept
    if gateway.streams[key] >= MAX_STREAMS:
        raise GatewayError(429, "rate_limited", f"{MAX_STREAMS} event streams are open for "
                           "this sign-in already", 15.0)  # fmt: skip
    hello = await run_in_threadpool(gateway.port.call, MsgType.HELLO, {}, None)
    pub = _pub_endpoint(gateway.port.endpoint, int(hello.body["pub_port"]))
    unbuffered = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # nginx: pass it on
    stream = _stream(request, session, pub, token, key)
    return StreamingResponse(stream, media_type="text/event-stream", headers=unbuffered)
