"""Start-up figures for the foundation issue, as ratios to a bare Qt window in the same run.

Measures, N times each, the wall time from spawning to
  - a bare PySide6 window shown (the reference: what Qt itself costs here),
  - the console's window shown, and to the queue live with data, via `python main.py`,
  - the same via `make run` (warm: venv and system packages already in place; under xvfb-run
    when there is no display, as a user without a screen gets it).
Run: .venv/bin/python bench/startup.py [--runs 5] [--quick]
--quick: one run of the bare window and `python main.py`, leaving out `make run` (whose set-up
may install packages); figures printed, not meaningful (tests/test_bench_quick.py runs it so
that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

BARE_QT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("综合信息指挥室"); w.show()
QTimer.singleShot(0, lambda: (print("WINDOW_SHOWN", flush=True), app.quit()))
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawn to each marker line the command prints."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word = line.split(" ", 1)[0].strip()
        if word in ("WINDOW_SHOWN", "LIVE"):
            marks[word] = time.perf_counter() - start
    proc.wait(60)
    marks["exit"] = time.perf_counter() - start
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run, no make")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env_offscreen = {**env, "QT_QPA_PLATFORM": "offscreen"}
    db = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    console_args = ["--db", db, "--user", "duty", "--exit-when-live"]
    py = str(REPO / ".venv" / "bin" / "python")
    cases = {
        "bare Qt window (reference)": [py, "-c", BARE_QT],
        "python main.py": [py, "main.py", *console_args],
    }
    if not args.quick:
        subprocess.run(["make", "-s", "setup"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        cases["make run (warm, under xvfb-run)"] = [
            "make", "-s", "run", f"ARGS={' '.join(console_args)}",
        ]  # fmt: skip
    results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            results[name].append(timed(cmd, env if name.startswith("make") else env_offscreen))
    reference = statistics.median(r["WINDOW_SHOWN"] for r in results["bare Qt window (reference)"])
    print(f"{'case':34} {'window shown':>14} {'live with data':>16} {'ratio to bare Qt':>18}")
    for name, runs in results.items():
        shown = statistics.median(r["WINDOW_SHOWN"] for r in runs)
        live = [r["LIVE"] for r in runs if "LIVE" in r]
        live_text = f"{statistics.median(live):.2f} s" if live else "–"
        print(f"{name:34} {shown:12.2f} s {live_text:>16} {shown / reference:17.1f}×")
    print(f"(median of {args.runs} runs; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
