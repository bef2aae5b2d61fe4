"""The field's pushes not yet taken, on disk: a backend killed or restarted while the
township's messaging system is down still tells the handlers of the dispatch it committed.

One file a push (`<delivery>.json`: its body, when it was first made), written whole (a
temporary file, fsync'd, renamed) when the change is committed and removed when the system
takes it or it is given up; read back at start."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import orjson

log = logging.getLogger("backend.push")


@dataclass(frozen=True, slots=True)
class Spooled:
    delivery: str
    body: bytes
    first_at: float


class PushSpool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def keep(self, push: Spooled) -> None:
        path = self.folder / f"{push.delivery}.json"
        temporary = path.with_suffix(".tmp")
        data = orjson.dumps({"delivery": push.delivery, "body": push.body.decode(),
                             "first_at": push.first_at})  # fmt: skip
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as f:  # the handlers' phone numbers: the backend's alone
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        temporary.replace(path)
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def forget(self, delivery: str) -> None:
        (self.folder / f"{delivery}.json").unlink(missing_ok=True)

    def waiting(self) -> list[Spooled]:
        """The pushes a stopped backend left, oldest first; a file that cannot be read is
        renamed `.bad` (kept for a person to look at) and said in the log."""
        found = []
        for path in self.folder.glob("*.json"):
            try:
                said = orjson.loads(path.read_bytes())
                found.append(Spooled(str(said["delivery"]), str(said["body"]).encode(),
                                     float(said["first_at"])))  # fmt: skip
            except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                log.error("push file %s cannot be read (%s): kept as .bad", path.name, e)
                path.replace(path.with_suffix(".bad"))
        for stale in self.folder.glob("*.tmp"):  # a write a kill cut short: never acknowledged
            stale.unlink(missing_ok=True)
        return sorted(found, key=lambda p: p.first_at)
