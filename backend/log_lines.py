"""The backend's log, one record a line: the audit trail's witness lines (domain.audit) are read
back from it, so no line may be written by a client.

A message is written with its line breaks escaped, so that a value a request carried (a login
name, a field) cannot begin a line; a traceback's lines are indented, so that none of them
begins as a record does.
"""

from __future__ import annotations

import logging
import sys

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


def configure(level: int | str) -> None:
    """Standard error, one record a line (as `logging.basicConfig` would, with this format)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
