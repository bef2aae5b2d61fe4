"""`python -m backend backup DIR` / `restore DIR`: the store, the photos, the keys and the
audit witness log, together and consistent with each other (docs/deployment.md, "Backup").

Backup, while the backend runs: the audit head is read, then the database is copied (SQLite:
its online backup; PostgreSQL: `pg_dump -Fc`), then the photos (only ever added: every photo
the copy names is there), the key folder and the witness log. `manifest.json` says what was
taken and the head the copy holds at least.

Restore, into an empty database and folders: the database (`pg_restore` or the SQLite file),
the photos, the keys; then the restored trail is checked entry by entry (domain.audit.verify)
and its head compared with the manifest's. Witness lines newer than the restored head are
not a break: they record what happened after the backup, and the check says so.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from backend.config import path_setting
from backend.paths import existing_store_url
from backend.store import Store
from domain.audit import GENESIS, verify

MANIFEST = "manifest.json"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend backup|restore", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("what", choices=("backup", "restore"))
    p.add_argument("dir", type=Path, help="the backup's folder (backup: a new one)")
    p.add_argument("--db", help="SQLAlchemy URL (backup: default the backend's, if it exists)")
    p.add_argument("--attachments", type=Path, help="the photos' folder (default: the store's)")
    p.add_argument("--keys", type=Path, help="the backend's key folder, if it has one")
    p.add_argument("--witness-log", type=Path, help="the log the audit head is witnessed in")
    args = p.parse_args(argv)
    args.attachments = args.attachments or path_setting("attachments")
    args.keys = args.keys or path_setting("keys")
    args.witness_log = args.witness_log or path_setting("witness_log")
    try:
        if args.what == "backup":
            print(backup(args.dir, existing_store_url(args.db), args.attachments, args.keys,
                         args.witness_log))  # fmt: skip
        else:
            if not args.db:
                raise BackupError("restore needs --db: the (empty) database to restore into")
            print(restore(args.dir, args.db, args.attachments, args.keys, args.witness_log))
    except BackupError as e:
        print(f"{args.what}: {e}", file=sys.stderr)
        return 1
    return 0


class BackupError(Exception):
    pass


def backup(
    folder: Path, url: str, attachments: Path | None, keys: Path | None, witness: Path | None
) -> str:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # it holds the keys and the residents' contacts
    store = Store(url, attachments=attachments)
    try:
        seq, head = store.audit_head()
        incidents = store.incident_count()
        photos = store.attachments
    finally:
        store.close()
    kind = _copy_database(url, folder)
    if photos.exists():
        shutil.copytree(photos, folder / "attachments")
    if keys is not None:
        shutil.copytree(keys, folder / "keys")
    if witness is not None and witness.exists():
        shutil.copy2(witness, folder / "witness.log")
    manifest = {
        "taken_at": time.time(), "database": kind, "audit_seq": seq, "audit_head": head,
        "incidents_at_least": incidents, "keys": keys is not None,
        "witness_log": witness is not None and witness.exists(),
    }  # fmt: skip
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return f"backed up to {folder}: {kind}, {incidents}+ incidents, audit head at least {seq}"


def _copy_database(url: str, folder: Path) -> str:
    if url.startswith("sqlite:///"):
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        target = sqlite3.connect(folder / "store.sqlite3")
        with target:
            source.backup(target)  # a consistent copy while the backend writes
        source.close()
        target.close()
        return "sqlite"
    done = subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(folder / "store.pgdump"), _libpq(url)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
    return "postgresql"


def restore(
    folder: Path, url: str, attachments: Path | None, keys: Path | None, witness: Path | None
) -> str:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    target = Store(url, attachments=attachments)
    try:
        target.migrate()
        if target.has_incidents():
            raise BackupError("the database to restore into holds incidents: restore into an "
                              "empty one")  # fmt: skip
        photos = target.attachments
    finally:
        target.close()
    if manifest["database"] == "sqlite":
        if not url.startswith("sqlite:///"):
            raise BackupError("a SQLite backup restores into a SQLite file")
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy2(folder / "store.sqlite3", path)
    else:
        _pg_restore(folder / "store.pgdump", url)
    if (folder / "attachments").exists():
        shutil.copytree(folder / "attachments", photos, dirs_exist_ok=True)
    if keys is not None and (folder / "keys").exists():
        shutil.copytree(folder / "keys", keys, dirs_exist_ok=True)
    if witness is not None and (folder / "witness.log").exists():
        shutil.copy2(folder / "witness.log", witness)
    return _check(url, attachments, manifest)


def _pg_restore(dump: Path, url: str) -> None:
    """Into the empty database: the schema the dump carries replaces the migrated one."""
    reset = subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c",
         "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", _libpq(url)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if reset.returncode != 0:
        raise BackupError(f"emptying the database failed: {reset.stderr.strip()[-500:]}")
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", _libpq(url), str(dump)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[-500:]}")


def _check(url: str, attachments: Path | None, manifest: dict[str, object]) -> str:
    store = Store(url, attachments=attachments)
    try:
        store.migrate()  # a backup of an older version comes up to this one
        entries = store.audit()  # a page of 100,000: a township's years fit in a few
        seq, _head = store.audit_head()
    finally:
        store.close()
    first = entries[0].seq if entries else 1
    breaks = verify(entries, GENESIS if first == 1 else None)
    if breaks:
        raise BackupError(f"the restored audit trail breaks at {breaks[0].seq}: {breaks[0].why}")
    taken = int(str(manifest["audit_seq"]))
    if seq < taken:
        raise BackupError(f"the restored trail ends at {seq}, before the backup's {taken}")
    return (
        f"restored: audit trail intact to {seq} (the backup's head {manifest['audit_seq']}); "
        "witness lines after it record what happened after the backup, not a break"
    )


def _libpq(url: str) -> str:
    """postgresql+psycopg://… as the PostgreSQL tools take it (a password from .pgpass or
    PGPASSWORD, never from here)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
