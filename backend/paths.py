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


def default_db_url(township: Path | None = None) -> str:
    """The demo's store, or a township's own (named after its files' directory): a township
    brought in with `--township` never lands in the demo's store."""
    if township is None:
        return f"sqlite:///{default_data_dir() / 'commandroom.sqlite3'}"
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in township.resolve().name)
    return f"sqlite:///{default_data_dir() / f'township-{name}.sqlite3'}"
