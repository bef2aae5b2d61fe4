"""Regression: PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void call and
to True on every emit, and aborts with `Fatal Python error: none_dealloc` after a few thousand.
The dependency spec caps PySide6 below 6.12 on Python < 3.12; these tests keep it honest."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import PySide6
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
CALLS = 200_000

PROBE = f"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication([])

class Emitter(QObject):
    flagged = Signal(bool)
    pinged = Signal()

emitter = Emitter()
received = [0]
emitter.flagged.connect(lambda flag: received.__setitem__(0, received[0] + 1))
emitter.pinged.connect(lambda: None)
image = QImage(16, 16, QImage.Format.Format_RGB32)
painter = QPainter(image)
colour = QColor("red")
widget = QWidget()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range({CALLS}):
    painter.fillRect(0, 0, 4, 4, colour)   # void C++ call returning None
    widget.update()                        # another void call
    emitter.flagged.emit(True)             # emit returning True, carrying True
    emitter.pinged.emit()
painter.end()
assert received[0] == {CALLS}
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_200k_void_calls_and_emits_leave_none_and_true_intact() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, f"the process died: {result.stderr[-2000:]}"
    none_drift, true_drift = (int(x) for x in result.stdout.split())
    if sys.version_info < (3, 12):  # immortal objects from 3.12 on: counts are meaningless
        assert abs(none_drift) < 1000 and abs(true_drift) < 1000, result.stdout


def test_dependency_spec_never_allows_the_bad_pair() -> None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pyside = [Requirement(d) for d in deps if d.lower().startswith("pyside6")]
    assert pyside
    for python in ("3.11", "3.12", "3.13"):
        env = {"python_version": python, "python_full_version": f"{python}.0"}
        allowed = [r for r in pyside if r.marker is None or r.marker.evaluate(env)]
        assert len(allowed) == 1, f"exactly one PySide6 requirement applies on {python}"
        allows_612 = allowed[0].specifier.contains("6.12.0")
        assert allows_612 == (python != "3.11"), f"6.12.0 on Python {python}"


def test_the_installed_pair_is_a_safe_one() -> None:
    if sys.version_info < (3, 12):
        assert Version(PySide6.__version__) < Version("6.12"), PySide6.__version__
