"""`python main.py` as a user starts it: embedded backend, demo reports, window, clean exit."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
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
            "--demo-days",
            "0",
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
    assert count >= 1, "demo reports reached the store through the wire"
    assert "backend: stopped" in result.stderr, "the embedded backend stopped with the console"


@pytest.mark.slow
def test_the_console_keeps_the_townships_time_whatever_the_machines_zone() -> None:
    """On a machine set to UTC (or New York), the clock, the queue and the charts still read
    the township's day: 08:00 UTC is 16:00 in the township (UTC+8, the zone its deadline rules
    bring over the wire). The console writes times in that zone (console.present); it does
    not rewrite the process's own zone."""
    probe = (
        "import os, datetime as dt; import console.app;"
        "from console import present; from domain.deadlines import DeadlineRules;"
        "from domain.resources import load_json;"
        "before = present.when(1795507200, '%H:%M');"  # 2026-11-24 08:00 UTC
        "present.use_rules(DeadlineRules(load_json('deadlines.json')));"  # as from the wire
        "print(before, present.time_of_day(1795507200)[:5],"
        " present.local(1795507200 - 9 * 3600).strftime('%d'),"  # 07:00 there: the same day
        " os.environ['TZ'])"
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
        assert result.stdout.split() == ["16:00", "16:00", "24", zone]
