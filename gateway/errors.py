"""Clear JSON errors: the HTTP status a client acts on, and the backend's own code and words
(`invalid`, `stale_version`, `not_allowed` …, docs/protocol.md) when the backend refused."""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse

from client.request import RequestError
from domain.wire import ErrorCode

RETRY_AFTER_S = 10
"""What a 503 tells a phone to wait before it sends again (the same id: nothing doubles)."""

STATUS = {
    ErrorCode.INVALID: 422,
    ErrorCode.MALFORMED: 400,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.UNKNOWN_TYPE: 400,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ILLEGAL_TRANSITION: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.UNKNOWN_INCIDENT: 404,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.LOGIN_FAILED: 401,
    ErrorCode.NOT_LOGGED_IN: 401,
    ErrorCode.REPLAYED: 409,
    ErrorCode.STALE_MESSAGE: 409,
}


class GatewayError(Exception):
    """An error the gateway answers itself (a bad token, a body too big, a place outside)."""

    def __init__(self, status: int, code: str, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.retry_after = status, code, detail, retry_after


def problem(status: int, code: str, detail: str, retry_after: float | None = None) -> JSONResponse:
    headers = {"Retry-After": str(max(1, round(retry_after)))} if retry_after else None
    return JSONResponse({"error": {"code": code, "detail": detail}}, status, headers=headers)


def from_backend(e: RequestError) -> JSONResponse:
    status = next((s for c, s in STATUS.items() if c.value == e.code), 502)
    retry = None
    if status == 429:  # as the backend said ("try again in 300 s"), else a few seconds
        said = re.search(r"in (\d+(?:\.\d+)?) s", e.detail)
        retry = float(said.group(1)) if said else 5.0
    return problem(status, e.code, e.detail, retry)


def backend_down(detail: str) -> JSONResponse:
    return problem(
        503, "backend_unavailable",
        f"the command room's backend did not answer in time ({detail}): what was asked may "
        "or may not have been done; send the same request again later (a report's id, an "
        "action's version keep it from being done twice)",
        RETRY_AFTER_S,
    )  # fmt: skip
