"""Every bench in bench/ runs in its quick mode: the same code path in a few seconds, its figures
printed and not judged (figures are for docs/benchmarks.md, measured in full by `make bench`).
A bench that no longer runs fails the suite instead of rotting until someone needs its figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.processes import REPO

HELPERS = {
    "__init__.py": "the package marker",
    "burst_publisher.py": "run by bench/console.py burst",
    "durable_floor.py": "run by bench/backend.py latency",
    "fanout_subscriber.py": "run by bench/backend.py fanout",
    "rtsp_cameras.py": "run by bench/video_rtsp.py",
}
"""Scripts in bench/ that other benches start: they run with them."""

BENCHES = sorted(p.name for p in (REPO / "bench").glob("*.py") if p.name not in HELPERS)


def test_every_script_in_bench_is_a_bench_or_a_known_helper() -> None:
    assert len(BENCHES) >= 10, BENCHES
    for name in HELPERS:
        assert (REPO / "bench" / name).is_file(), f"{name} is gone: drop it from HELPERS"


@pytest.mark.slow
@pytest.mark.timeout(360)
@pytest.mark.parametrize("bench", BENCHES)
def test_a_bench_runs_in_its_quick_mode_and_prints_its_figures(bench: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / bench), "--quick"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{bench} --quick exited {done.returncode}:\n{done.stderr[-3000:]}"
    figures = [line for line in done.stdout.splitlines() if re.search(r"\d", line)]
    assert figures, f"{bench} --quick printed no figures:\n{done.stdout}"
