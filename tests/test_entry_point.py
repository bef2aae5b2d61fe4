"""`python main.py` as a user starts it: embedded backend, demo reports, window, clean exit."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[1]


def test_main_starts_the_embedded_backend_shows_incidents_and_exits_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "run.sqlite3"
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--db",
            f"sqlite:///{db}",
            "--demo-rate",
            "240",
            "--screenshot",
            str(shot),
            "--screenshot-delay",
            "5",
        ],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    image = QImage(str(shot))
    assert image.width() >= 1200 and image.height() >= 700
    count = sqlite3.connect(db).execute("SELECT count(*) FROM incident").fetchone()[0]
    assert count >= 3, "demo reports reached the store through the wire"
    assert "backend: stopped" in result.stderr, "the embedded backend stopped with the console"


def test_the_console_keeps_the_townships_time_whatever_the_machines_zone() -> None:
    """On a machine set to UTC (or New York), the clock, the queue and the charts still read
    the township's day: 08:00 UTC is 16:00 in the township (UTC+8, resources/deadlines.json)."""
    probe = (
        "import time; from console.app import township_time; township_time();"
        "from PySide6.QtCore import QDateTime;"
        "print(time.strftime('%H:%M', time.localtime(1795507200)),"  # 2026-11-24 08:00 UTC
        " QDateTime.fromSecsSinceEpoch(1795507200).toString('HH:mm'))"
    )
    for zone in ("UTC", "America/New_York"):
        result = subprocess.run(
            [sys.executable, "-c", probe],
            check=True,
            cwd=REPO,
            env={**os.environ, "TZ": zone},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.split() == ["16:00", "16:00"]
