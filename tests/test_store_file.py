"""The SQLite file, which holds residents' phones and ID numbers in clear, is its owner's only
(issue 18, item 11): made 0600 in a new folder made 0700; one that others can read is said. So
is a key folder that was open to others."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from backend.keyring import KeyRing
from backend.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_is_its_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "room.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.close()
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    for extra in path.parent.glob("room.sqlite3-*"):  # -wal, -shm while open
        assert mode(extra) & 0o077 == 0, extra


def test_a_store_others_can_read_is_said_not_changed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "room.sqlite3"
    Store(f"sqlite:///{path}").close()
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, "backend.store"):
        Store(f"sqlite:///{path}").close()
    assert "readable by other users (mode 644)" in caplog.text
    assert mode(path) == 0o644  # the operator's to change


def test_a_key_folder_open_to_others_is_closed_and_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    KeyRing(tmp_path / "keys").init()
    assert mode(tmp_path / "keys") == 0o700
    assert "open to other users" not in caplog.text
    (tmp_path / "keys").chmod(0o777)
    with caplog.at_level(logging.WARNING, "backend.keys"):
        KeyRing(tmp_path / "keys").init()
    assert mode(tmp_path / "keys") == 0o700
    assert "was open to other users (mode 777)" in caplog.text
