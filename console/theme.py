"""Style sheets for the two modes: a dark wall readable from across the room, a calm desk."""

from __future__ import annotations

import pyqtgraph as pg

WALL = """
QWidget { background: #0b1626; color: #e6edf5; font-size: 18pt; }
QLabel#panelTitle { font-size: 22pt; font-weight: bold; color: #7fc4ff; }
QLabel#staleBanner { background: #8a5a00; color: white; padding: 6px; font-weight: bold; }
QLabel#refusal { background: #b3261e; color: white; padding: 6px; font-weight: bold;
                 border-radius: 4px; }
QFrame#urgentAlert { background: #10203a; border-radius: 4px; }
QFrame#urgentAlert[active="true"] { background: #b3261e; }
QLabel#urgentAlertText { background: transparent; color: #6f8299; font-size: 15pt; }
QFrame#urgentAlert[active="true"] QLabel#urgentAlertText { color: white; font-weight: bold; }
QFrame#kpiTile { background: #122640; border-radius: 6px; }
QLabel#kpiValue { background: transparent; font-size: 26pt; font-weight: bold; color: #ffffff; }
QLabel#kpiValue:disabled { color: #5a6a80; }
QLabel#kpiName { background: transparent; font-size: 12pt; color: #9fb3c8; }
QTableView { background: #0b1626; alternate-background-color: #10203a; gridline-color: #1d3352;
             font-size: 16pt; selection-background-color: #1f4d7a; }
QHeaderView::section { background: #14294a; color: #cfe3ff; font-size: 15pt; padding: 4px;
                       border: 0; }
QStatusBar { background: #08101c; font-size: 14pt; }
"""

DESK = """
QLabel#panelTitle { font-size: 13pt; font-weight: bold; color: #1f4d7a; }
QLabel#staleBanner { background: #ffe08a; color: #5a3d00; padding: 4px; font-weight: bold; }
QLabel#refusal { background: #b3261e; color: white; padding: 6px; font-weight: bold;
                 border-radius: 4px; }
QFrame#urgentAlert { background: #f3f5f8; border-radius: 4px; }
QFrame#urgentAlert[active="true"] { background: #b3261e; }
QLabel#urgentAlertText { background: transparent; color: #8a94a0; }
QFrame#urgentAlert[active="true"] QLabel#urgentAlertText { color: white; font-weight: bold; }
QLabel#holdNote { color: #8a5a00; }
QFrame#kpiTile { background: #eef3f8; border-radius: 4px; }
QLabel#kpiValue { font-size: 22pt; font-weight: bold; color: #1f4d7a; }
QLabel#kpiValue:disabled { color: #a0a8b0; }
QLabel#kpiName { color: #556; }
"""


CHART_TEXT_PT = {"wall": 16, "desk": 10}
MAP_TEXT_PT = {"wall": 15, "desk": 9}
"""The map's names and counts: read from across the room on the wall."""


def configure_charts(wall: bool) -> None:
    """pyqtgraph's colours are global options: set them before any plot exists."""
    pg.setConfigOptions(
        antialias=False,
        background="#0b1626" if wall else "w",
        foreground="#cfe3ff" if wall else "#333333",
    )
