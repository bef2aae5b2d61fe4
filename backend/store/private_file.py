"""The SQLite file holds residents' phones and ID numbers in clear (docs/security.md): made
readable by its owner only, in a folder of the owner's; an existing one that others can read is
said, once, at open (changing an operator's own permissions without a word would hide it)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("backend.store")


def private_sqlite(path: Path) -> None:
    """`path`'s folder made 0700 if it is new, and `path` made 0600 if it is (SQLite then makes
    its -wal and -shm files with the same permissions)."""
    if path.as_posix() in ("", ":memory:"):
        return
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning("%s is readable by other users (mode %o): it holds residents' contacts; "
                        "chmod 600 it", path, mode)  # fmt: skip
