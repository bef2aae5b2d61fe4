"""Tours (轮巡) of the video wall: the touring tiles cycle through a camera group.

A tile an operator put a camera on is fixed; an operator's action pauses the tour for
`TOUR_RESUME_AFTER_S`; an alarm or a maximised tile pauses it until it ends.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from domain.township import Camera

if TYPE_CHECKING:
    from console.widgets.video_tile import VideoTile

TOUR_RESUME_AFTER_S = 30.0


class WallTours:
    """The tour half of `VideoWall` (a mixin: the wall owns the tiles, the buttons and the
    timer this uses)."""

    tour: list[Camera]
    tour_step: int
    tour_button: QPushButton
    cameras: list[Camera]
    tiles: list[VideoTile]
    fixed: set[int]
    maximised: VideoTile | None
    _before_alarm: dict[int, Camera | None]
    _tour_paused_until: float
    _tour_timer: QTimer

    def show_camera(self, tile: VideoTile, camera: Camera | None) -> None:
        raise NotImplementedError

    def start_tour(self, cameras: list[Camera], period_s: float = 15.0) -> None:
        """Cycle the touring tiles through `cameras`, a page of them every `period_s`."""
        self.tour, self.tour_step = list(cameras), 0
        self._tour_timer.start(int(period_s * 1000))
        self.tour_button.blockSignals(True)
        self.tour_button.setChecked(True)
        self.tour_button.blockSignals(False)

    def stop_tour(self) -> None:
        self.tour = []
        self._tour_timer.stop()
        self.tour_button.blockSignals(True)
        self.tour_button.setChecked(False)
        self.tour_button.blockSignals(False)

    def _on_tour_toggled(self, on: bool) -> None:
        if on:
            self.start_tour(self.cameras)
        else:
            self.stop_tour()

    def operator_acted(self) -> None:
        self._tour_paused_until = time.monotonic() + TOUR_RESUME_AFTER_S

    def touring_tiles(self) -> list[VideoTile]:
        return [
            t
            for k, t in enumerate(self.tiles)
            if k not in self.fixed and k not in self._before_alarm
        ]

    def tour_paused(self) -> bool:
        return (
            bool(self._before_alarm)
            or self.maximised is not None
            or time.monotonic() < self._tour_paused_until
        )

    def _tour_tick(self) -> None:
        if not self.tour or self.tour_paused():
            return
        tiles = self.touring_tiles()
        if not tiles:
            return
        self.tour_step += 1
        start = self.tour_step * len(tiles)
        for n, tile in enumerate(tiles):
            self.show_camera(tile, self.tour[(start + n) % len(self.tour)])
