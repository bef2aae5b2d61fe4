"""The gateway's HTTP application: the field API (/v1), Open311 (/open311/v2), the phone page
(/), its OpenAPI document (/openapi.json), and what guards them all: a body size limit, rate
limits per address, JSON errors in one shape, and an access log without personal data."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from client.request import RequestError
from domain.township import Role
from gateway import cases_api, events, open311, reports_api, session_api
from gateway.backend_port import BackendDown
from gateway.errors import GatewayError, backend_down, from_backend, problem
from gateway.state import Gateway, address_key, bearer

log = logging.getLogger("gateway.access")
MAX_BODY_BYTES = 4 * 1024 * 1024
"""A report with four photos of 700 kB, base64'd or not, and its words: 4 MB at most."""
WEB = Path(__file__).parent / "web"
GUARDING = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' blob: data:; "
     b"style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; "
     b"frame-ancestors 'none'; base-uri 'none'"),
]  # fmt: skip
"""On every answer: the phone page runs only its own files, in no one's frame; a photo or a
JSON answer is never taken for a page."""
PRIVATE = [(b"cache-control", b"no-store")]
"""On the field API's answers that say nothing of their own: a case, a person's phone number
are kept by no cache."""
CHALLENGE = [(b"www-authenticate", b'Bearer realm="commandroom"')]


def make_app(gateway: Gateway) -> FastAPI:
    app = FastAPI(
        title="乡镇综合信息指挥室 · 网关 / township command room gateway",
        version="1",
        description="Field reports, cases and Open311 for the township's command room "
        "(docs/gateway.md).",
        docs_url=None,  # the Swagger page loads its scripts from the internet: none here
        redoc_url=None,
    )
    app.state.gateway = gateway
    routers = (session_api.router, reports_api.router, cases_api.router, events.router,
               open311.router)  # fmt: skip
    for router in routers:
        app.include_router(router)
    _errors(app)
    app.add_middleware(Guard)

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/", StaticFiles(directory=WEB, html=True), name="web")
    return app


def _shaped(r: Request, answer: Response) -> Response:
    """Under /open311 every error in GeoReport's own shape ([{code, description}] or
    <errors>), whoever raised it; elsewhere the field API's {"error": {code, detail}}."""
    if not r.url.path.startswith("/open311/"):
        return answer
    fmt = "xml" if r.url.path.endswith(".xml") else "json"
    said = json.loads(bytes(answer.body)).get("error", {})
    shaped = open311.error(fmt, answer.status_code, str(said.get("detail") or said.get("code")))
    if "retry-after" in answer.headers:
        shaped.headers["Retry-After"] = answer.headers["retry-after"]
    return shaped


def _errors(app: FastAPI) -> None:
    @app.exception_handler(GatewayError)
    async def gateway_error(r: Request, e: GatewayError) -> Response:
        return _shaped(r, problem(e.status, e.code, e.detail, e.retry_after))

    @app.exception_handler(RequestError)
    async def refused(r: Request, e: RequestError) -> Response:
        return _shaped(r, from_backend(e))

    @app.exception_handler(BackendDown)
    async def down(r: Request, e: BackendDown) -> Response:
        return _shaped(r, backend_down(str(e)))

    @app.exception_handler(open311.Open311Error)
    async def open311_error(r: Request, e: open311.Open311Error) -> Response:
        fmt = "xml" if r.url.path.endswith(".xml") else "json"
        return open311.error(fmt, e.status, e.description)

    @app.exception_handler(RequestValidationError)
    async def invalid(r: Request, e: RequestValidationError) -> Response:
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _shaped(r, problem(422, "invalid", f"{where}: {first.get('msg', 'invalid')}"))

    @app.exception_handler(Exception)
    async def internal(r: Request, e: Exception) -> Response:
        route = getattr(r.scope.get("route"), "path", "(none)")  # its template: no ids
        logging.getLogger("gateway").error("%s %s failed", r.method, route, exc_info=e)
        return _shaped(r, problem(500, "internal", "the gateway failed on this request (its "
                                  "log says why); nothing here says it was done"))  # fmt: skip

    @app.exception_handler(HTTPException)
    async def http_error(r: Request, e: HTTPException) -> Response:
        code = {400: "malformed", 404: "not_found", 405: "method_not_allowed"}.get(
            e.status_code, "http_" + str(e.status_code))  # fmt: skip
        return _shaped(r, problem(e.status_code, code, str(e.detail)))


def _a_system(gateway: Gateway, request: Request) -> bool:
    """A request under a system's sign-in (the gateway role: the grid app's, the hotline's
    server, at one address for many people): its token's own limit holds, not the address's."""
    token = bearer(request)
    session = gateway.tokens.peek(token) if token else None
    return session is not None and session.login.role == Role.GATEWAY


class Guard:
    """Size and rate first, then the route; one access-log line after, with the route's
    template (not the path with its ids), the status and the time, no address or person. A
    plain ASGI middleware: Starlette's BaseHTTPMiddleware cost a millisecond a request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        gateway: Gateway = scope["app"].state.gateway
        length = request.headers.get("content-length")
        refusal: Response | None = None
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            refusal = problem(
                413, "too_large", f"a request is at most {MAX_BODY_BYTES // 2**20} MB"
            )
        elif "chunked" in request.headers.get("transfer-encoding", "").lower():
            refusal = problem(411, "length_required", "send Content-Length (no chunked bodies)")
        elif not _a_system(gateway, request) and (
            wait := gateway.per_address.take(address_key(request))
        ):
            refusal = problem(429, "rate_limited", "too many requests from this address", wait)
        status = [0]

        private = request.url.path.startswith(("/v1/", "/open311/v2/requests"))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers", ()))
                extra = GUARDING + (CHALLENGE if status[0] == 401 else [])
                if private and all(name.lower() != b"cache-control" for name, _ in headers):
                    extra = extra + PRIVATE  # a photo's own (private, an hour) stays
                message["headers"] = headers + extra
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, sending)
        else:
            await self.app(scope, receive, sending)
        route = scope.get("route")
        log.info("%s %s %d %.0f ms", request.method,
                 getattr(route, "path", "(static)" if status[0] < 400 else "(none)"),
                 status[0], (time.perf_counter() - started) * 1000)  # fmt: skip
