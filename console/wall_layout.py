"""The wall's one window and its further screens: which panel is the main one, and what each
further screen shows (config.json's `wall_main` and `wall_screens`, or --wall-main and
--screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

from console.theme import CHART_TEXT_PT, MAP_TEXT_PT
from console.widgets.indicator_pages import DashboardScreen
from console.widgets.video_wall import VideoWall

if TYPE_CHECKING:
    from console.main_window import MainWindow

MAIN_PANELS = ("video", "map")


def build_wall(window: MainWindow, screen_roles: list[str], main: str = "video") -> None:
    """`main`: "video" (the video wall top left, the map beside the queue) or "map" (the map
    top left, where a room of one screen reads it across the room, and the video wall,
    2×2, beside the queue)."""
    top = QSplitter(Qt.Orientation.Horizontal)
    bottom = QSplitter(Qt.Orientation.Horizontal)
    big, small = (
        (window.map_panel, window.video_wall)
        if main == "map"
        else (window.video_wall, window.map_panel)
    )
    if main == "map":
        window.video_wall.set_layout("2x2")
    top.addWidget(big)
    top.addWidget(window.metrics)
    top.setStretchFactor(0, 3)
    top.setStretchFactor(1, 2)
    top.setSizes([1152, 768])  # 3:2 (the charts' size hints would take more)
    bottom.addWidget(window.queue)
    bottom.addWidget(small)  # beside the queue it is read with
    # The queue keeps its columns through 剩余时限 at 1920 px; a wall of several screens
    # shows the map whole on the second (config.json's wall_screens).
    bottom.setStretchFactor(0, 3)
    bottom.setStretchFactor(1, 1)
    bottom.setSizes([1440, 480])
    whole = QSplitter(Qt.Orientation.Vertical)
    whole.addWidget(top)
    whole.addWidget(bottom)
    # The queue gets the larger share: at 1600×900 an even split left it two rows. The top
    # gets 45 %, not 40 %: with the backend's indicator row, 40 % squeezed the charts flat.
    whole.setStretchFactor(0, 2)
    whole.setStretchFactor(1, 3)
    whole.setSizes([560, 520] if main == "map" else [450, 550])  # the map: tall enough to read
    window.setCentralWidget(whole)
    for k, screen in enumerate(QGuiApplication.screens()[1:]):
        role = screen_roles[min(k, len(screen_roles) - 1)] if screen_roles else "video"
        window.extra_screens.append(_screen(window, role, screen.name()))
        window.extra_screens[-1].setScreen(screen)
        window.extra_screens[-1].setGeometry(screen.geometry())


def _screen(window: MainWindow, role: str, name: str) -> QWidget:
    """A further screen: all the indicator charts at once, the map whole, or a 4×4 video wall
    showing the cameras after the ones already on screen."""
    extra: QWidget
    if role == "dashboard":
        extra = DashboardScreen(CHART_TEXT_PT["wall"])
        extra.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Key indicators") + f" · {name}"
        )
        window.dashboards.append(extra)
    elif role == "map":
        extra = window.maps.add_screen(MAP_TEXT_PT["wall"])
        extra.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Township map") + f" · {name}"
        )
        extra.map.camera_chosen.connect(window.video_wall.put_on_current)
    else:
        extra = VideoWall("4x4", url_of=window.video_wall.url_of)
        extra.setWindowTitle(QCoreApplication.translate("MainWindow", "Video wall") + f" · {name}")
        window.extra_walls.append(extra)
    return extra
