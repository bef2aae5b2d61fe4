"""What a handler is given and what it gives back: nothing of one request lives on the loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.sessions import Session
from domain.incident import Incident
from domain.lifecycle import Change
from domain.requests import RequestSpec
from domain.township import Role
from domain.wire import Message


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Who sent it (as the backend holds the login, never as the request claims), with which
    console key, when it arrived, and where the answer goes."""

    envelope: list[bytes]
    request: Message
    spec: RequestSpec[Any]
    who: Session | None
    console: str
    now: float

    @property
    def role(self) -> Role | None:
        return None if self.who is None else self.who.role

    def logged_in(self) -> Session:
        """The session of a request that needs one (admission has checked it)."""
        assert self.who is not None, f"{self.request.type} is a logged-in request"
        return self.who


class Refusal(Exception):
    """A handler's no: `code` (domain.wire.ErrorCode or a domain error's) and its words."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = str(code)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class IncidentChanged:
    """An incident committed in a new state: the live map, the indicators and consoles learn it."""

    type: str
    incident: Incident
    change: Change | None = None
    wire: dict[str, Any] | None = None
    """Its masked wire form, when the handler made it already for its reply."""


@dataclass(frozen=True, slots=True)
class Announcement:
    """Anything else published as it is: to every login, or where `incident` is seen (an
    attachment added)."""

    type: str
    body: dict[str, Any]
    incident: str | None = None


Published = IncidentChanged | Announcement


@dataclass(slots=True)
class Reply:
    """The answer's type and body, and what the request changed, committed already: the loop
    publishes the changes, then answers with the sequence number of the last one."""

    type: str
    body: dict[str, Any]
    changes: Sequence[Published] = field(default_factory=list)
    seq: int | None = None
    """Sent with the reply (a snapshot's or hello's); None: the last change's, or 0."""


NO_REPLY = Reply("", {})
"""The handler answers by other means (a snapshot goes out in chunks)."""

Finish = Callable[[], Reply]
"""A slow job's last step, taken back on the serve loop (a login's session and audit entry)."""
SlowJob = Callable[[], Reply | Finish]
"""Run on the slow-request worker; what it returns is sent from the serve loop."""
