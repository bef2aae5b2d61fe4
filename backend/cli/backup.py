"""`python -m backend backup DIR` / `restore DIR`: the store, the photos, the keys and the
audit witness log, together and consistent with each other (docs/deployment.md, "Backup").

Backup, while the backend runs: the audit head is read, then the database is copied (SQLite:
its online backup; PostgreSQL: `pg_dump -Fc`), then the photos (only ever added: every photo
the copy names is there), the key folder and the witness log. `manifest.json` says what was
taken and the head the copy holds at least.

Restore, into an empty database and the folders named on its command line (never the
configured ones by default: a restore beside the live service must not write into its key
folder or its log): the database (`pg_restore` or the SQLite file), the photos, the keys, the
witness log if asked; then the restored trail is checked entry by entry (domain.audit.verify)
and its head compared with the manifest's. A database holding anything (another program's
tables, or the command room's users, township or cases) is refused before it is touched.
The restore is recorded in the restored trail (`store.restored`, with when the backup was
taken), so that `audit verify` knows the heads the live log witnessed between the backup and
the restore for what they are, and checks every other one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from backend.paths import existing_store_url
from backend.schema import Base
from backend.store import Store
from client.settings import path_setting
from domain.audit import GENESIS, RESTORED, AuditChain, verify

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
    os.umask(0o077)  # every file of a backup holds keys or residents' contacts
    try:
        if args.what == "backup":
            print(backup(args.dir, existing_store_url(args.db),
                         args.attachments or path_setting("attachments"),
                         args.keys or path_setting("keys"),
                         args.witness_log or path_setting("witness_log")))  # fmt: skip
        else:
            print(restore(args.dir, _needed(args), args.attachments, args.keys, args.witness_log))
    except BackupError as e:
        print(f"{args.what}: {e}", file=sys.stderr)
        return 1
    except OperationalError as e:
        print(f"{args.what}: the database does not answer: {_first_line(e)}", file=sys.stderr)
        return 1
    return 0


def _needed(args: argparse.Namespace) -> str:
    """What a restore writes to is said on its command line, each time."""
    manifest = args.dir / MANIFEST
    if not manifest.is_file():
        raise BackupError(f"{args.dir} is not a backup (no {MANIFEST})")
    if not args.db:
        raise BackupError("restore needs --db: the (empty) database to restore into")
    if args.attachments is None:
        raise BackupError("restore needs --attachments: the (new) folder for the photos")
    if (args.dir / "keys").exists() and args.keys is None:
        raise BackupError("restore needs --keys: the (new) folder for the backed-up keys")
    for folder in (args.attachments, args.keys):
        if folder is not None and folder.exists() and any(folder.iterdir()):
            raise BackupError(f"{folder} holds files: a restore goes into a new or empty "
                              "folder (into a live key folder it would let revoked keys in "
                              "again)")  # fmt: skip
    if args.witness_log is not None and args.witness_log.exists():
        raise BackupError(f"{args.witness_log} exists: the backup's witness log goes to a new "
                          "file (a live log is never written over)")  # fmt: skip
    return str(args.db)


def _first_line(e: Exception) -> str:
    return str(getattr(e, "orig", None) or e).strip().splitlines()[0][:300]


class BackupError(Exception):
    pass


def backup(
    folder: Path, url: str, attachments: Path | None, keys: Path | None, witness: Path | None
) -> str:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup goes into a new folder")
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # it holds the keys and the residents' contacts
    try:
        return _backup(folder, url, attachments, keys, witness)
    except BaseException:
        if made:  # no half backup left to be taken for a whole one
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _backup(
    folder: Path, url: str, attachments: Path | None, keys: Path | None, witness: Path | None
) -> str:
    store = Store(url, attachments=attachments)
    try:
        seq, head = store.audit_head()
        incidents = store.incident_count()
        photos = store.attachments
    finally:
        store.close()
    kind = _copy_database(url, folder)
    # copied without their modes: a world-readable photo or key becomes 0600 here (umask)
    if photos.exists():
        shutil.copytree(photos, folder / "attachments", copy_function=shutil.copyfile)
    if keys is not None:
        shutil.copytree(keys, folder / "keys", copy_function=shutil.copyfile)
    if witness is not None and witness.exists():
        shutil.copyfile(witness, folder / "witness.log")
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
    conninfo, env = _libpq(url)
    done = subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(folder / "store.pgdump"), conninfo],
        capture_output=True, text=True, check=False, env=env,
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
        _refuse_unless_empty(target)
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


def _refuse_unless_empty(store: Store) -> None:
    """Nothing but an empty command room's schema (or nothing at all) is restored over."""
    names = set(inspect(store.engine).get_table_names())
    ours = set(Base.metadata.tables) | {"alembic_version"}
    foreign = sorted(names - ours)
    if foreign:
        raise BackupError(
            f"the database to restore into holds tables that are not the command room's "
            f"({', '.join(foreign[:5])}): restore into an empty database"
        )
    with store.engine.connect() as c:
        full = sorted(t for t in names & set(Base.metadata.tables)
                      if c.execute(select(Base.metadata.tables[t]).limit(1)).first())  # fmt: skip
    if full:
        what = "incidents" if "incident" in full else ", ".join(full[:5])
        raise BackupError(f"the database to restore into holds {what}: restore into an empty one")


def _pg_restore(dump: Path, url: str) -> None:
    """Into the empty database: the schema the dump carries replaces the migrated one."""
    conninfo, env = _libpq(url)
    reset = subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c",
         "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", conninfo],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    if reset.returncode != 0:
        raise BackupError(f"emptying the database failed: {reset.stderr.strip()[-500:]}")
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", conninfo, str(dump)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[-500:]}")


def _check(url: str, attachments: Path | None, manifest: dict[str, object]) -> str:
    store = Store(url, attachments=attachments)
    try:
        store.migrate()  # a backup of an older version comes up to this one
        entries = store.audit()  # a page of 100,000: a township's years fit in a few
        seq, head = store.audit_head()
        if not verify(entries, GENESIS if not entries or entries[0].seq == 1 else None):
            # On the record: heads the live log witnessed between the backup and now are
            # the service this store no longer is (audit verify reads this entry).
            restored = AuditChain(seq, head).add(
                time.time(), "restore", "administrator", "backend", RESTORED, "store", "ok",
                {"taken_at": manifest["taken_at"], "backup_seq": manifest["audit_seq"]},
            )  # fmt: skip
            store.add_audit([restored])
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
        f"restored: audit trail intact to {seq} (the backup's head {manifest['audit_seq']}), "
        "the restore recorded after it; heads the live log witnessed between the backup and "
        "this restore are the service this store no longer is (audit verify says so)"
    )


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """postgresql+psycopg://… as the PostgreSQL tools take it, and their environment: a
    password written in the URL goes to them as PGPASSWORD, never on a command line that `ps`
    shows (.pgpass is the documented way)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env
