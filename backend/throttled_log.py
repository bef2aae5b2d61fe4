"""Log lines a peer can provoke (a refused request, a failed handshake) at most once every few
seconds, each line counting the ones left out since the last: a flood of garbage must not bury
the log or fill the disk, and no refusal goes uncounted."""

from __future__ import annotations

import logging
import time


class ThrottledLog:
    def __init__(self, logger: logging.Logger, every_s: float) -> None:
        self.logger = logger
        self.every_s = every_s
        self.unlogged = 0
        """Lines left out since the last one written."""
        self._written = -every_s

    def warning(self, line: str, *args: object) -> None:
        """`line` is formatted with `args` only when written: under a flood, most are not."""
        self._log(logging.WARNING, line, *args)

    def info(self, line: str, *args: object) -> None:
        self._log(logging.INFO, line, *args)

    def _log(self, level: int, line: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._written < self.every_s:
            self.unlogged += 1
            return
        more = f" (and {self.unlogged} more since the last such line)" if self.unlogged else ""
        self.logger.log(level, line + "%s", *args, more)
        self._written, self.unlogged = now, 0
