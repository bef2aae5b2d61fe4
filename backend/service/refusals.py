"""Every refusal counted and logged, throttled with counts: bad input must not flood the log,
and refusals for want of a login or a role are logged apart, so bad input cannot hide them."""

from __future__ import annotations

import logging
import re

from backend.service.stats import ServerStats
from backend.throttled_log import ThrottledLog
from domain.wire import ErrorCode, Message, error_reply

log = logging.getLogger("backend.server")
REFUSAL_LOG_EVERY = 1.0


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _unquoted(detail: str) -> str:
    """The refusal's words without the values it quotes back: those are the sender's, and may
    be a phone number typed where an id goes; the sender gets them, the log does not."""
    return _QUOTED.sub("'…'", detail)


class Refusals:
    def __init__(self, stats: ServerStats) -> None:
        self.stats = stats
        self.refusal_log = ThrottledLog(log, REFUSAL_LOG_EVERY)
        self.denial_log = ThrottledLog(log, REFUSAL_LOG_EVERY)

    def count(self, envelope: list[bytes], console: str, code: str, detail: str) -> None:
        self.stats.refused += 1
        self.stats.by_error[code] = self.stats.by_error.get(code, 0) + 1
        denied = code in (ErrorCode.NOT_ALLOWED, ErrorCode.NOT_LOGGED_IN)
        (self.denial_log if denied else self.refusal_log).warning(
            "refused a request from %s (%s): %s: %.200s",
            envelope[0].hex() if envelope else "?", console, code, _unquoted(detail),
        )  # fmt: skip

    def reply(
        self, envelope: list[bytes], console: str, code: str, detail: str, reply_to: str = ""
    ) -> Message:
        """Counted, logged, and the error to send."""
        self.count(envelope, console, str(code), detail)
        return error_reply(str(code), detail, reply_to)
