"""The backend's log, one record a line: the audit trail's witness lines (domain.audit) are read
back from it, so no line may be written by a client.

A message is written with its line breaks escaped, so that a value a request carried (a login
name, a field) cannot begin a line; a traceback's lines are indented, so that none of them
begins as a record does.
"""

from __future__ import annotations

import logging
import sys
import time

from sqlalchemy.exc import OperationalError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OneLineFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).replace("\r", "\\r").replace("\n", "\\n")

    def formatException(self, ei: object) -> str:
        return _indented(super().formatException(ei))  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


class OutageFilter(logging.Filter):
    """While the database does not answer, every part that reads it each second fails: the
    first failure is written with its traceback, the next ones within `quiet_s` are counted
    and said in one line (an outage of 10 s wrote 1,379 lines)."""

    def __init__(self, quiet_s: float = 60.0) -> None:
        super().__init__()
        self.quiet_s = quiet_s
        self.left_out = 0
        self._last = -quiet_s

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, OperationalError):
            return True
        now = time.monotonic()
        if now - self._last < self.quiet_s:
            self.left_out += 1
            return False
        if self.left_out:
            record.msg = f"{record.msg} ({self.left_out} more database failures left out)"
        else:
            self._last = now
            return True
        self._last, self.left_out = now, 0
        record.exc_info, record.exc_text = None, None  # the first one had the traceback
        return True


def configure(level: int | str) -> None:
    """Standard error, one record a line (as `logging.basicConfig` would, with this format)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(FORMAT))
    handler.addFilter(OutageFilter())
    logging.basicConfig(level=level, handlers=[handler])
