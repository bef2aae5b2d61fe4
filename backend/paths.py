"""Where a backend keeps its files by default: light to import, so that the command-line tools
need not load the server to name a folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from client.settings import setting

APP_DIR_NAME = "township-command-room"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_DIR_NAME))


def default_keys_folder() -> Path:
    return default_data_dir() / "keys"


def default_db_url(township: Path | None = None, demo: bool = False) -> str:
    """The room's store, the demo's (`demo`: `make run`, with its known passwords), or a
    township's own (named after its files' directory): a township brought in with `--township`
    never lands in the demo's store, and a start without the demo never opens the demo's."""
    if township is None:
        name = "demo.sqlite3" if demo else "commandroom.sqlite3"
        return f"sqlite:///{default_data_dir() / name}"
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in township.resolve().name)
    return f"sqlite:///{default_data_dir() / f'township-{name}.sqlite3'}"


def existing_store_url(given: str | None, township: Path | None = None) -> str:
    """For a tool that reads or changes a store: the one given, or the default if it exists.
    Never a guess: `audit verify` without --db once opened an empty SQLite file and failed with
    a traceback ("no such table")."""
    if given:
        return given
    if configured := setting("db"):
        return configured
    url = default_db_url(township)
    path = Path(url.removeprefix("sqlite:///"))
    if not path.exists():
        raise SystemExit(
            f"no store at {path}: give the backend's with --db URL (e.g. "
            "postgresql+psycopg://commandroom@db/township), COMMANDROOM_DB or the "
            "configuration file (docs/operations.md)"
        )
    return url
