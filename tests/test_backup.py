"""Backup while reports flow, restore into a fresh database and folder, a backend on the
restore (issue 21, "done when"): on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from client.request import RequestError, RequestTimeout
from domain.wire import MsgType
from tests.helpers import demo_reports
from tests.processes import REPO, BackendProcess, free_port, fresh_database
from tests.services import staff_client


@pytest.fixture
def fresh_db(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind as `db_url`: where the backup is restored."""
    if db_url.startswith("sqlite:///"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with fresh_database(request.getfixturevalue("postgres")) as url:
        yield url


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


@pytest.mark.slow
def test_a_backup_taken_while_reports_flow_restores_every_acknowledged_report_and_photo(
    db_url: str, fresh_db: str, tmp_path: Path
) -> None:
    photos, keys = tmp_path / "photos", tmp_path / "keys"
    keys.mkdir()
    (keys / "server.key").write_text("public\n")
    backend = BackendProcess(db_url, "--attachments", str(photos)).start(timeout=60)
    acked: list[str] = []
    stop = threading.Event()

    def report_on() -> None:
        with staff_client(backend.router) as c:
            for report in demo_reports(10_000, seed=41):
                if stop.is_set():
                    return
                try:
                    acked.append(c.submit_report(report).body["incident"]["id"])
                except (RequestError, RequestTimeout):
                    return

    try:
        with staff_client(backend.router) as c:
            first = c.submit_report(demo_reports(1, seed=40)[0]).body["incident"]["id"]
            picture = cv2.imencode(".jpg", np.full((48, 64, 3), 120, np.uint8))[1].tobytes()
            photo = c.add_attachment(first, "image/jpeg", picture).body["attachment"]["id"]
        flowing = threading.Thread(target=report_on)
        flowing.start()
        while len(acked) < 20:  # reports flowing before and during the backup
            flowing.join(0.05)
        before = [first, *acked]
        done = _tool("backup", str(tmp_path / "backup"), "--db", db_url,
                     "--attachments", str(photos), "--keys", str(keys))  # fmt: skip
        stop.set()
        flowing.join()
    finally:
        backend.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    restored_photos, restored_keys = tmp_path / "restored-photos", tmp_path / "restored-keys"
    back = _tool("restore", str(tmp_path / "backup"), "--db", fresh_db,
                 "--attachments", str(restored_photos), "--keys", str(restored_keys))  # fmt: skip
    assert back.returncode == 0, back.stderr[-2000:]
    assert "audit trail intact" in back.stdout
    assert (restored_keys / "server.key").read_text() == "public\n"
    assert _tool("audit", "verify", "--db", fresh_db).returncode == 0
    again = BackendProcess(fresh_db, "--attachments", str(restored_photos)).start(timeout=60)
    try:
        with staff_client(again.router) as c:
            _seq, incidents = c.snapshot()
            got = c.request(MsgType.ATTACHMENT_REQUEST, {"id": photo}).body
    finally:
        again.stop()
    assert set(before) <= {i["id"] for i in incidents}, "every report acknowledged before it"
    assert got["data"], "the photo came back with its case"


def test_a_restore_into_a_database_with_cases_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    backend = BackendProcess(sqlite_url).start(timeout=60)
    try:
        with staff_client(backend.router) as c:
            c.submit_report(demo_reports(1, seed=3)[0])
    finally:
        backend.stop()
    assert _tool("backup", str(tmp_path / "b"), "--db", sqlite_url).returncode == 0
    refused = _tool("restore", str(tmp_path / "b"), "--db", sqlite_url,
                    "--attachments", str(tmp_path / "p"))  # fmt: skip
    assert refused.returncode == 1 and "holds incidents" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_restore_touches_no_database_but_an_empty_one_and_no_folder_not_named(
    tmp_path: Path, sqlite_url: str
) -> None:
    """Found walking docs/operations.md: a restore wiped another program's database (it had
    no `incident` table), and wrote the backup's log over the live one and its keys into the
    live key folder when they were not named. Now each target is named, and checked first."""
    live_log = tmp_path / "backend.log"
    live_log.write_text("the live service's witness lines\n")
    backend = BackendProcess(sqlite_url).start(timeout=60)
    backend.stop()
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "server.key").write_text("public\n")
    config = tmp_path / "backend.toml"
    config.write_text(f'witness_log = "{live_log}"\nkeys = "{keys}"\n')
    env = {**os.environ, "COMMANDROOM_CONFIG": str(config)}

    def tool(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "backend", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip

    taken = tool("backup", str(tmp_path / "b"), "--db", sqlite_url)
    assert taken.returncode == 0, taken.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert modes and all(m & 0o077 == 0 for m in modes.values()), modes
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
        db.execute("INSERT INTO invoices VALUES (1)")
    refused = tool("restore", str(tmp_path / "b"), "--db", f"sqlite:///{other}",
                   "--attachments", str(tmp_path / "p"), "--keys", str(tmp_path / "k"))  # fmt: skip
    assert refused.returncode == 1 and "not the command room's (invoices)" in refused.stderr
    with sqlite3.connect(other) as db:
        assert db.execute("SELECT n FROM invoices").fetchall() == [(1,)]
    unnamed = tool("restore", str(tmp_path / "b"), "--db", f"sqlite:///{tmp_path / 'new.db'}",
                   "--attachments", str(tmp_path / "p"))  # fmt: skip
    assert unnamed.returncode == 1 and "needs --keys" in unnamed.stderr
    into_live = tool("restore", str(tmp_path / "b"), "--db", f"sqlite:///{tmp_path / 'new.db'}",
                     "--attachments", str(tmp_path / "p"), "--keys", str(keys))  # fmt: skip
    assert into_live.returncode == 1 and "would let revoked keys in" in into_live.stderr
    over_log = tool("restore", str(tmp_path / "b"), "--db", f"sqlite:///{tmp_path / 'new.db'}",
                    "--attachments", str(tmp_path / "p"), "--keys", str(tmp_path / "k"),
                    "--witness-log", str(live_log))  # fmt: skip
    assert over_log.returncode == 1 and "never written over" in over_log.stderr
    assert live_log.read_text() == "the live service's witness lines\n"
    assert "Traceback" not in refused.stderr + unnamed.stderr + over_log.stderr


def test_a_backup_of_a_database_that_does_not_answer_says_so_and_leaves_no_folder(
    tmp_path: Path,
) -> None:
    dead = f"postgresql+psycopg://x:secret@127.0.0.1:{free_port()}/township"
    done = _tool("backup", str(tmp_path / "b"), "--db", dead)
    assert done.returncode == 1 and "does not answer" in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
    assert not (tmp_path / "b").exists(), "no empty folder to be taken for a backup"
