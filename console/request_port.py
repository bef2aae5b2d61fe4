"""What a widget asks the backend through: a request port and the pending reply it returns.

Widgets depend on `RequestPort`, never on the link (docs/architecture.md, "Console"): each
request returns its own `PendingReply`, whose `answered` or `refused` fires once, on the GUI
thread, for that request only. A refusal is the backend's `error` reply or the link's own
(no connection, no answer in time), so a widget has one place for "it did not happen".
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from domain.wire import Message, MsgType


class PendingReply(QObject):
    """One request's answer to come. Lives on the GUI thread; the port holds it until it is
    settled, so a widget need not keep it."""

    answered = Signal(object)  # Message: the backend's reply (never an `error`)
    refused = Signal(str, str)  # error code, detail: the backend's or the link's words

    def __init__(self, request_id: str, request_type: str) -> None:
        super().__init__()
        self.request_id = request_id
        self.request_type = request_type
        self.settled = False

    def settle(self, reply: Message) -> None:
        """(GUI thread) Tell the asker; an `error` reply is a refusal."""
        if self.settled:
            return
        self.settled = True
        if reply.type == MsgType.ERROR:
            self.refused.emit(str(reply.body.get("code", "")), str(reply.body.get("detail", "")))
        else:
            self.answered.emit(reply)


class RequestPort(Protocol):
    """The only way a widget reaches the backend."""

    @property
    def secure(self) -> bool:
        """Requests travel encrypted (CurveZMQ); False: plain text, one machine only."""
        ...

    def request(self, type_: str, body: dict[str, Any], timeout: float = 5.0) -> PendingReply:
        """(GUI thread) Send a request; its answer comes on the returned object, within
        `timeout` seconds or as a refusal `timeout`."""
        ...


class ReplyRouter(QObject):
    """Request id → pending reply, on the GUI thread: the link's replies (emitted on its own
    thread, queued here) reach the one object that asked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, PendingReply] = {}

    def expect(self, request_id: str, request_type: str) -> PendingReply:
        """(GUI thread) Before the request goes out, so that no answer can come first."""
        pending = PendingReply(request_id, request_type)
        self._pending[request_id] = pending
        return pending

    def route(self, request_id: str, reply: Message) -> None:
        """(GUI thread) An answer (a local one included); one nobody waits for is dropped."""
        pending = self._pending.pop(request_id, None)
        if pending is not None:
            pending.settle(reply)

    def __len__(self) -> int:
        return len(self._pending)
