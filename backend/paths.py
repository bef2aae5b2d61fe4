"""Where a backend keeps its files by default: light to import, so that the command-line tools
need not load the server to name a folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

APP_DIR_NAME = "township-command-room"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_DIR_NAME))


def default_keys_folder() -> Path:
    return default_data_dir() / "keys"


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'commandroom.sqlite3'}"
