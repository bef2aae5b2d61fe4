"""The video wall: live camera tiles in the layouts command rooms use, one decoder per tile.

Cameras go on tiles in the order of the township's phases (offices and reservoirs first). A
double-click maximises a tile and brings it back; the other tiles stop decoding meanwhile
(key frames only), and the maximised one moves to the camera's main stream by its size.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.video.camera_feed import CameraFeed, UrlOf, camera_url
from console.video.stream_decoder import DecoderTiming
from console.video.stream_status import StreamState
from console.widgets.video_tile import VideoTile
from domain.township import Camera, Township

Span = tuple[int, int, int, int]  # row, column, rows, columns


def _grid(n: int) -> tuple[int, list[Span]]:
    return n, [(r, c, 1, 1) for r in range(n) for c in range(n)]


def _one_plus(n: int, big: int) -> tuple[int, list[Span]]:
    """A big tile of big×big cells in the top left of an n×n grid, small tiles around it."""
    spans: list[Span] = [(0, 0, big, big)]
    spans += [(r, c, 1, 1) for r in range(n) for c in range(n) if r >= big or c >= big]
    return n, spans


def _one_plus_twelve() -> tuple[int, list[Span]]:
    """4×4 with a 2×2 tile in the middle and twelve around it."""
    spans: list[Span] = [(1, 1, 2, 2)]
    spans += [(r, c, 1, 1) for r in range(4) for c in range(4) if not (0 < r < 3 and 0 < c < 3)]
    return 4, spans


LAYOUTS: dict[str, tuple[int, list[Span]]] = {
    "1": _grid(1),
    "2x2": _grid(2),
    "3x3": _grid(3),
    "4x4": _grid(4),
    "5x5": _grid(5),
    "1+5": _one_plus(3, 2),
    "1+7": _one_plus(4, 3),
    "1+12": _one_plus_twelve(),
}


class VideoWall(QWidget):
    def __init__(
        self,
        layout_name: str = "3x3",
        url_of: UrlOf = camera_url,
        timing: DecoderTiming | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.url_of = url_of
        self.timing = timing
        self.township: Township | None = None
        self.cameras: list[Camera] = []
        self.tiles: list[VideoTile] = []
        self.maximised: VideoTile | None = None
        self.title = QLabel(self.tr("Video wall"))
        self.title.setObjectName("panelTitle")
        self.layout_box = QComboBox()
        self.layout_box.addItems(list(LAYOUTS))
        self.layout_box.setToolTip(self.tr("Wall layout"))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.layout_box)
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(self.grid, 1)
        self.layout_name = ""
        self.set_layout(layout_name)
        self.layout_box.currentTextChanged.connect(self.set_layout)
        # The watchdog: a stream silent too long says so, a stuck decoder is replaced; tiles
        # without a live picture repaint their clock and countdown.
        self._watchdog = QTimer(self)
        self._watchdog.timeout.connect(self._check)
        self._watchdog.start(1000)

    # --- layouts and cameras --------------------------------------------------------------------

    def set_layout(self, name: str) -> None:
        if name == self.layout_name or name not in LAYOUTS:
            return
        self.layout_name = name
        self.layout_box.setCurrentText(name)
        self._restore()
        n, spans = LAYOUTS[name]
        while len(self.tiles) < len(spans):
            tile = VideoTile()
            tile.maximise_requested.connect(self.toggle_maximised)
            self.tiles.append(tile)
        for tile in self.tiles[len(spans) :]:  # tiles beyond the layout: feed stopped, gone
            tile.show_feed(None)
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = self.tiles[: len(spans)]
        for tile, (r, c, rows, cols) in zip(self.tiles, spans, strict=True):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, r, c, rows, cols)
        for k in range(5):
            self.grid.setRowStretch(k, 1 if k < n else 0)
            self.grid.setColumnStretch(k, 1 if k < n else 0)
        self._fill()

    def show_township(self, township: Township) -> None:
        """Put the first cameras of phase 1 (offices, reservoirs, rivers) on the wall."""
        self.township = township
        self.cameras = sorted(township.cameras.values(), key=lambda c: (c.phase, c.code))
        self._fill()

    def show_camera(self, tile: VideoTile, camera: Camera | None) -> None:
        if camera is None:
            tile.show_feed(None)
            return
        if tile.feed is not None and tile.feed.camera == camera:
            return
        tile.show_feed(
            CameraFeed(camera, self.url_of, self.timing), camera.name, self._place(camera)
        )

    def _fill(self) -> None:
        for k, tile in enumerate(self.tiles):
            self.show_camera(tile, self.cameras[k] if k < len(self.cameras) else None)

    def _place(self, camera: Camera) -> str:
        t = self.township
        village = t.villages.get(camera.village) if t and camera.village else None
        return village.name if village else (t.name if t else "")

    # --- maximise -------------------------------------------------------------------------------

    def toggle_maximised(self, tile: VideoTile) -> None:
        if self.maximised is not None:
            self._restore()
            return
        self.maximised = tile
        for other in self.tiles:
            if other is not tile:
                other.hide()
                if other.feed is not None:
                    other.feed.set_visible(False)
        self.grid.removeWidget(tile)
        self.grid.addWidget(tile, 0, 0, 5, 5)

    def _restore(self) -> None:
        if self.maximised is None:
            return
        self.maximised = None
        _n, spans = LAYOUTS[self.layout_name]
        for tile, (r, c, rows, cols) in zip(self.tiles, spans, strict=False):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, r, c, rows, cols)
            tile.show()
            if tile.feed is not None:
                tile.feed.set_visible(True)

    def sizeHint(self) -> QSize:
        return QSize(720, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 200)

    def stop(self) -> None:
        for tile in self.tiles:
            tile.show_feed(None)

    def _check(self) -> None:
        for tile in self.tiles:
            if tile.feed is not None:
                tile.feed.check()
            if tile.status.state != StreamState.LIVE and tile.isVisible():
                tile.update()
