"""The GUI's requests in flight on the link (link thread only): each is answered exactly once,
by the backend's reply, or here when there is no connection or no answer in time."""

from __future__ import annotations

import time
from collections.abc import Callable

from domain.wire import Message, MsgType


class RequestsInFlight:
    def __init__(self, answered: Callable[[str, Message], None]) -> None:
        self._give_up: dict[str, float] = {}  # request id -> when
        self._answered = answered

    def __bool__(self) -> bool:
        return bool(self._give_up)

    def sent(self, request_id: str, timeout: float) -> None:
        self._give_up[request_id] = time.monotonic() + timeout

    def answer_locally(self, request_id: str, code: str, detail: str) -> None:
        self._give_up.pop(request_id, None)
        reply = Message(MsgType.ERROR, {"code": code, "detail": detail}, reply_to=request_id)
        self._answered(request_id, reply)

    def route(self, reply: Message) -> bool:
        """Hand the answer to a GUI request over; False when it answers something else."""
        if self._give_up.pop(reply.reply_to, None) is None:
            return False
        self._answered(reply.reply_to, reply)
        return True

    def expire(self, all_of_them: bool = False) -> None:
        now = time.monotonic()
        for request_id, give_up in list(self._give_up.items()):
            if all_of_them or now > give_up:
                self.answer_locally(
                    request_id, "timeout", "the backend did not answer; check the row for its state"
                )
