"""Type, tiles and tables sized for the screen: a 4K wall reads from across the room as a 1080p
wall does. Qt scales a whole application by QT_SCALE_FACTOR, read once when it starts, and a
screen that reports 96 dpi whatever its size (a 4K television on a wall, Xvfb) gets no scaling
of its own; so the console measures its screen first and, if the factor is not 1, starts again
with it set. A factor the user set (QT_SCALE_FACTOR, or --scale) is left as it is."""

from __future__ import annotations

import logging
import math
import os
import sys

from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

DESIGN_LINES = 1080
"""The screen height the console's sizes are chosen for."""


def scale_for(width: int, height: int) -> float:
    """By the screen's shorter side: 1 up to 1080, then in quarter steps: 2 for 2160, 1.5 for
    1620; never below 1 (a smaller screen keeps the sizes it has, and scrolls). The shorter
    side, so that a portrait screen or three 1080p screens side by side as one (5760×1080)
    are not scaled up as if they were tall."""
    return max(1.0, round(min(width, height) / DESIGN_LINES * 4) / 4)


def restart_scaled(app: QGuiApplication, choice: str) -> None:
    """`choice`: "auto" (by the primary screen's size in logical pixels, which already counts
    any scaling the desktop applies) or a number. Returns if nothing is to change; else
    replaces this process with the same command under QT_SCALE_FACTOR (nothing else has
    started yet: no backend, no window)."""
    if "QT_SCALE_FACTOR" in os.environ or app.platformName() in ("offscreen", "minimal"):
        return
    screen = app.primaryScreen()
    if choice == "auto":
        size = screen.geometry().size() if screen is not None else None
        factor = scale_for(size.width(), size.height()) if size is not None else 1.0
    else:
        try:
            factor = float(choice)
        except ValueError:
            factor = math.nan
        if not 0.5 <= factor <= 8:  # nan fails too
            raise SystemExit(f"--scale {choice!r}: auto or a number from 0.5 to 8, e.g. 2")
    if factor == 1.0:
        return
    log.info("screen %s: scaled by %g (QT_SCALE_FACTOR)", screen and screen.size(), factor)
    os.environ["QT_SCALE_FACTOR"] = f"{factor:g}"
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
