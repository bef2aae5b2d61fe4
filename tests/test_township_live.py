"""A township's files applied while the room runs: the backend takes the new version in,
audits it and every console redraws, without a restart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import zmq
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from backend.store import Store
from backend.township.template import write_templates
from client.request import RequestClient
from console.app import Console
from console.link_state import LinkState
from domain.township import load_demo_township
from domain.wire import Message, MsgType, decode
from tests.helpers import start_live, wait_for
from tests.processes import BackendProcess
from tests.services import staff_client

REPO = Path(__file__).resolve().parents[1]
NEW_CAMERA = ["C900", "新桥头", "road", "道路", 3, "V01", 28.86, 119.78,
              "rtsp://127.0.0.1:8554/C900/main", "", ""]  # fmt: skip


def renamed_with_a_camera(directory: Path) -> Path:
    """The demo township's files with 陈宅村 renamed, one camera more and a shorter time to
    accept a normal case."""
    write_templates(directory, load_demo_township())
    path = directory / "township.xlsx"
    book = load_workbook(path)
    book["村社"].cell(3, 2, "陈宅新村")
    book["摄像头"].append(NEW_CAMERA)
    book["时限"].cell(3, 2, "15分钟")  # 受理, normal: 30m by default
    book.save(path)
    return directory


def apply(directory: Path, db_url: str, by: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend", "township", "apply", str(directory), "--db", db_url,
         "--by", by],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def next_of(sub: zmq.Socket[bytes], type_: str) -> Message:
    found: list[Message] = []

    def arrived() -> bool:
        while sub.poll(0):
            msg = decode(sub.recv_multipart()[1])
            if msg.type == type_:
                found.append(msg)
        return bool(found)

    wait_for(arrived, timeout=30)
    return found[0]


def test_an_apply_is_taken_in_audited_and_announced(
    backend: BackendProcess, subscriber: zmq.Socket[bytes], tmp_path: Path
) -> None:
    files = renamed_with_a_camera(tmp_path / "files")
    done = apply(files, backend.db_url, "王主任")
    assert done.returncode == 0, done.stdout + done.stderr
    changed = next_of(subscriber, MsgType.TOWNSHIP_CHANGED)
    assert changed.body["version"] == 2  # the demo's seed was 1
    client: RequestClient
    with staff_client(backend.router) as client:
        body: dict[str, Any] = client.request(MsgType.TOWNSHIP_REQUEST).body
    villages = {v["code"]: v["name"] for v in body["township"]["villages"]}
    assert villages["V01"] == "陈宅新村"
    assert "C900" in {c["code"] for c in body["township"]["cameras"]}
    assert body["deadline_rules"]["stages"]["accept"]["normal"] == "15m"  # at once, no restart
    store = Store(backend.db_url)
    try:
        entries = [e for e in store.audit() if e.what == "township.applied"]
    finally:
        store.close()
    assert [e.detail["version"] for e in entries] == [1, 2]  # the seed, at start; then this
    assert entries[1].who.startswith("王主任 (os: ")


def test_an_apply_while_no_backend_runs_is_put_on_record_at_the_next_start(
    sqlite_url: str, tmp_path: Path
) -> None:
    first = BackendProcess(sqlite_url, "--no-demo").start()
    first.stop()
    done = apply(renamed_with_a_camera(tmp_path / "files"), sqlite_url, "王主任")
    assert done.returncode == 0, done.stdout + done.stderr
    second = BackendProcess(sqlite_url, "--no-demo").start()
    try:
        store = Store(sqlite_url)
        try:
            entries = [e for e in store.audit() if e.what == "township.applied"]
        finally:
            store.close()
    finally:
        second.stop()
    assert [e.detail["version"] for e in entries] == [1, 2]
    late = entries[1]
    assert late.who.startswith("王主任 (os: ") and late.detail["while_stopped"] is True
    assert late.detail["last_recorded"] == 1


def test_a_console_redraws_the_new_township_and_stays_live(
    qtbot: QtBot, console: Console, backend: BackendProcess, tmp_path: Path
) -> None:
    start_live(qtbot, console, backend.router)
    window = console.window
    assert window.township is not None and window.township.villages["V01"].name == "陈宅村"
    files = renamed_with_a_camera(tmp_path / "files")
    done = apply(files, backend.db_url, "王主任")
    assert done.returncode == 0, done.stdout + done.stderr

    def redrawn() -> bool:
        t = window.township
        return t is not None and t.villages["V01"].name == "陈宅新村"

    qtbot.waitUntil(redrawn, timeout=30_000)
    qtbot.waitUntil(lambda: "C900" in window.camera_tree.visible_codes(), timeout=10_000)
    qtbot.waitUntil(lambda: window.link_status.state == LinkState.LIVE, timeout=15_000)
