"""The console sized for its screen: a 4K wall scaled by 2, a 1080p one not at all."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from console.screen_scale import scale_for
from tests.processes import REPO


def test_the_factor_follows_the_screens_shorter_side_in_quarter_steps() -> None:
    assert [scale_for(n * 16 // 9, n) for n in (768, 1080, 1200, 1440, 1620, 2160, 4320)] == [
        1.0, 1.0, 1.0, 1.25, 1.5, 2.0, 4.0,
    ]  # fmt: skip
    assert scale_for(1080, 1920) == 1.0, "a portrait 1080p screen"
    assert scale_for(5760, 1080) == 1.0, "three 1080p screens side by side as one"
    assert scale_for(7680, 2160) == 2.0, "two 4K screens side by side"


@pytest.mark.slow
@pytest.mark.parametrize(("screen", "ratio"), [("1920x1080", "1"), ("3840x2160", "2")])
def test_the_console_on_a_screen_of_this_size_starts_at_this_scale(
    tmp_path: os.PathLike[str], screen: str, ratio: str
) -> None:
    """A real X server (Xvfb) of that size; the console starts again under QT_SCALE_FACTOR
    when it must, and its window reports the pixel ratio it got."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR")}
    out = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, "main.py",
         "--mode", "wall", "--user", "duty", "--exit-when-live",
         "--db", f"sqlite:///{tmp_path}/scale.sqlite3"],
        check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    shown = [line for line in out.stdout.splitlines() if line.startswith("WINDOW_SHOWN")]
    assert shown == [f"WINDOW_SHOWN ratio={ratio}"], out.stdout + out.stderr[-2000:]
    assert "LIVE" in out.stdout
