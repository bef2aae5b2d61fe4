"""The video wall area: one tile per camera, named, with its state.

This skeleton places the township's cameras on a 3×3 wall and says plainly that no stream is
decoded yet; live decoding comes with the video-wall issue (console/video/).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from domain.township import Camera, Township


class CameraTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraTile")
        self.setFrameShape(QFrame.Shape.Box)
        self.name = QLabel()
        self.name.setObjectName("tileName")
        self.place = QLabel()
        self.place.setObjectName("tilePlace")
        self.status = QLabel(self.tr("No camera"))
        self.status.setObjectName("tileStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.name)
        layout.addWidget(self.place)
        layout.addWidget(self.status, 1)
        self.camera: Camera | None = None

    def show_camera(self, camera: Camera, place: str) -> None:
        self.camera = camera
        self.name.setText(camera.name)
        self.place.setText(place)
        self.status.setText(self.tr("Video not connected yet"))


class VideoWall(QWidget):
    def __init__(self, columns: int = 3, rows: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Video wall"))
        self.title.setObjectName("panelTitle")
        grid = QGridLayout()
        grid.setSpacing(3)
        self.tiles = [CameraTile() for _ in range(columns * rows)]
        for i, tile in enumerate(self.tiles):
            grid.addWidget(tile, i // columns, i % columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)

    def show_township(self, township: Township) -> None:
        """Put the first cameras of phase 1 (offices, reservoirs, rivers) on the wall."""
        cameras = sorted(township.cameras.values(), key=lambda c: (c.phase, c.code))
        for tile, camera in zip(self.tiles, cameras, strict=False):
            village = township.villages.get(camera.village) if camera.village else None
            place = f"{camera.group} · {village.name if village else township.name}"
            tile.show_camera(camera, place)
