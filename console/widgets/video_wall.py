"""The video wall: live camera tiles in the layouts command rooms use, one decoder per tile.

Cameras go on tiles in the order of the township's phases (offices and reservoirs first). A
double-click (or Enter on the keyboard's tile) maximises a tile and brings it back; the other
tiles stop decoding meanwhile (holding their GOP), and the maximised one moves to the camera's
main stream by its size. A camera dragged from the tree onto a tile stays there.

Tours (轮巡) cycle the touring tiles through a camera group; a tile an operator put a camera on
is fixed. An operator's action pauses the tour for `TOUR_RESUME_AFTER_S`; an alarm (an incident's
cameras on the first tiles) pauses it until the alarm is acknowledged.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.video.camera_feed import CameraFeed, UrlOf, camera_url
from console.video.stream_decoder import DecoderTiming, StreamDecoder
from console.widgets import named_layouts
from console.widgets.named_layouts import SavedLayout
from console.widgets.video_tile import VideoTile
from console.widgets.wall_layouts import LAYOUTS, Span, merged, next_tile
from console.widgets.wall_tours import TOUR_RESUME_AFTER_S, WallTours
from domain.township import Camera, Township

__all__ = ["LAYOUTS", "TOUR_RESUME_AFTER_S", "VideoWall"]


class VideoWall(WallTours, QWidget):
    alarm_changed = Signal(str)  # the alarm's label, "" when acknowledged
    snapshot_taken = Signal(object, str, bool)  # QImage, the camera's name, attach it?

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
        head = self._build_head()
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(self.grid, 1)
        self.layout_name = ""
        self.grid_n = 1
        self.spans: list[Span] = []
        self.fixed: set[int] = set()  # tiles an operator put a camera on: no tour there
        self.alarm_label = ""
        self._before_alarm: dict[int, Camera | None] = {}
        self.tour: list[Camera] = []
        self.tour_step = 0
        self._tour_paused_until = 0.0
        self._tour_timer = QTimer(self)
        self._tour_timer.timeout.connect(self._tour_tick)
        self.current = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_layout(layout_name)
        self.layout_box.currentTextChanged.connect(self.set_layout)
        # The watchdog: a stream silent too long says so, a stuck decoder is replaced; tiles
        # without a live picture repaint their clock and countdown.
        self._watchdog = QTimer(self)
        self._watchdog.timeout.connect(self._check)
        self._watchdog.start(1000)

    def _build_head(self) -> QHBoxLayout:
        """Title, alarm acknowledgement, tour, saved layouts, layout."""
        self.title = QLabel(self.tr("Video wall"))
        self.title.setObjectName("panelTitle")
        self.layout_box = QComboBox()
        self.layout_box.addItems(list(LAYOUTS))
        self.layout_box.setToolTip(self.tr("Wall layout"))
        self.ack_button = QPushButton(self.tr("Acknowledge alarm"))
        self.ack_button.setObjectName("alarmAck")
        self.ack_button.hide()
        self.ack_button.clicked.connect(self.acknowledge_alarm)
        self.tour_button = QPushButton(self.tr("Tour"))
        self.tour_button.setCheckable(True)
        self.tour_button.setToolTip(self.tr("Cycle the tiles through every camera"))
        self.tour_button.toggled.connect(self._on_tour_toggled)
        self.saved_button = QToolButton()
        # The style's menu arrow sat in the corner, on the text: an arrow of our own instead.
        self.saved_button.setText(self.tr("Saved layouts") + " ▾")
        self.saved_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.saved_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_menu = QMenu(self.saved_button)
        self.saved_menu.aboutToShow.connect(self._fill_saved_menu)
        self.saved_button.setMenu(self.saved_menu)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.ack_button)
        head.addWidget(self.tour_button)
        head.addWidget(self.saved_button)
        head.addWidget(self.layout_box)
        return head

    # --- layouts and cameras --------------------------------------------------------------------

    def set_layout(self, name: str) -> None:
        if name == self.layout_name or name not in LAYOUTS:
            return
        self.layout_name = name
        self.layout_box.setCurrentText(name)
        n, spans = LAYOUTS[name]
        self._apply_spans(n, spans)
        self._fill()

    def _apply_spans(self, n: int, spans: list[Span]) -> None:
        """Tiles for `spans` on an n×n grid: the first tiles kept (cameras and all), new ones
        made, the ones beyond dropped."""
        self._restore()
        self.grid_n, self.spans = n, list(spans)
        while len(self.tiles) < len(spans):
            tile = VideoTile()
            tile.maximise_requested.connect(self._on_maximise_requested)
            tile.camera_dropped.connect(self._on_camera_dropped)
            tile.span_change_requested.connect(self._on_span_change)
            tile.snapshot_requested.connect(
                lambda t, attach: self.snapshot_taken.emit(t.snapshot(), t.name, attach)
            )
            self.tiles.append(tile)
        for tile in self.tiles[len(spans) :]:  # tiles beyond the layout: feed stopped, gone
            self._drop_tile(tile)
        self.tiles = self.tiles[: len(spans)]
        self.fixed = {k for k in self.fixed if k < len(spans)}
        self.current = min(self.current, len(spans) - 1)
        self._place_tiles()

    def _place_tiles(self) -> None:
        for tile, (r, c, rows, cols) in zip(self.tiles, self.spans, strict=True):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, r, c, rows, cols)
        for k in range(max(5, self.grid_n)):
            self.grid.setRowStretch(k, 1 if k < self.grid_n else 0)
            self.grid.setColumnStretch(k, 1 if k < self.grid_n else 0)

    def _drop_tile(self, tile: VideoTile) -> None:
        tile.show_feed(None)
        self.grid.removeWidget(tile)
        tile.deleteLater()

    # --- custom spans: tiles merged and split by the operator -----------------------------------

    def merge(self, k: int, direction: str) -> bool:
        """Merge tile `k` with its neighbour to the "right" or "below" (and whatever lies in
        the rectangle the two make); False where that is not a clean rectangle."""
        if self._before_alarm or not 0 <= k < len(self.spans):
            return False
        found = merged(self.spans, k, direction)
        if found is None:
            return False
        union, inside = found
        gone = sorted(inside, reverse=True)
        for i in gone:
            self._drop_tile(self.tiles.pop(i))
            self.spans.pop(i)
        k -= sum(1 for i in gone if i < k)
        self.spans[k] = union
        self.fixed = {f - sum(1 for i in gone if i < f) for f in self.fixed if f not in gone}
        self.current = k
        self._custom()
        return True

    def split(self, k: int) -> bool:
        """A merged tile back into single cells; the new tiles take cameras as the wall does."""
        if self._before_alarm or not 0 <= k < len(self.spans):
            return False
        r, c, rs, cs = self.spans[k]
        if rs * cs == 1:
            return False
        self.spans[k] = (r, c, 1, 1)
        extra = [(r + i, c + j, 1, 1) for i in range(rs) for j in range(cs) if (i, j) != (0, 0)]
        self._apply_spans(self.grid_n, self.spans + extra)
        self._custom()
        self._fill()
        return True

    def _custom(self) -> None:
        self.layout_name = "custom"
        self.layout_box.blockSignals(True)
        if self.layout_box.findText("custom") < 0:
            self.layout_box.addItem("custom")
        self.layout_box.setCurrentText("custom")
        self.layout_box.blockSignals(False)
        self._place_tiles()
        self.operator_acted()

    def _on_span_change(self, tile: VideoTile, operation: str) -> None:
        if tile in self.tiles:
            k = self.tiles.index(tile)
            self.split(k) if operation == "split" else self.merge(k, operation)

    def show_township(self, township: Township, first: int = 0) -> None:
        """Put the cameras on the wall in the order of their phase (offices, reservoirs and
        rivers first), from the `first`-th on (a second screen carries on from the first)."""
        self.township = township
        ordered = sorted(township.cameras.values(), key=lambda c: (c.phase, c.code))
        first %= max(1, len(ordered))
        self.cameras = ordered[first:] + ordered[:first]
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
            if k in self.fixed or k in self._before_alarm:
                continue
            self.show_camera(tile, self.cameras[k] if k < len(self.cameras) else None)

    def camera(self, code: str) -> Camera | None:
        t = self.township
        return t.cameras.get(code) if t else next((c for c in self.cameras if c.code == code), None)

    def _on_camera_dropped(self, tile: VideoTile, code: str) -> None:
        camera = self.camera(code)
        if camera is None or tile not in self.tiles:
            return
        k = self.tiles.index(tile)
        self.fixed.add(k)
        self._before_alarm.pop(k, None)
        self.show_camera(tile, camera)
        self.operator_acted()

    # --- alarms: an incident's cameras on the first tiles ----------------------------------------

    def raise_alarm(self, label: str, cameras: list[Camera]) -> None:
        """Open `cameras` on the first tiles, marked with `label`, until acknowledged. A second
        alarm replaces the first on the same tiles; what the tiles showed before comes back on
        acknowledgement."""
        if not cameras or not self.tiles:
            return
        if self.maximised is not None:
            self._restore()
        for k in [k for k in self._before_alarm if k >= len(cameras)]:  # the last alarm's extra
            self.tiles[k].set_marks(alarm="")
            self.show_camera(self.tiles[k], self._before_alarm.pop(k))
        for k, camera in enumerate(cameras[: len(self.tiles)]):
            tile = self.tiles[k]
            if k not in self._before_alarm:
                self._before_alarm[k] = tile.feed.camera if tile.feed else None
            self.show_camera(tile, camera)
            tile.set_marks(alarm=label)
        self.alarm_label = label
        # Short: the wall's header is narrow in big type; the tiles carry the case's name.
        self.ack_button.setToolTip(self.tr("Acknowledge alarm: %1").replace("%1", label))
        self.ack_button.show()
        self.alarm_changed.emit(label)

    def acknowledge_alarm(self) -> None:
        for k, camera in self._before_alarm.items():
            if k < len(self.tiles):
                self.tiles[k].set_marks(alarm="")
                self.show_camera(self.tiles[k], camera)
        self._before_alarm.clear()
        self.alarm_label = ""
        self.ack_button.hide()
        self.alarm_changed.emit("")

    def put_on_current(self, code: str) -> None:
        """A camera chosen in the tree goes on the keyboard's tile (or the maximised one)."""
        tile = self.maximised or (self.tiles[self.current] if self.tiles else None)
        if tile is not None:
            self._on_camera_dropped(tile, code)

    def _place(self, camera: Camera) -> str:
        return present.village_name(self.township, camera.village)

    # --- maximise -------------------------------------------------------------------------------

    def _on_maximise_requested(self, tile: VideoTile) -> None:
        self.operator_acted()
        self.toggle_maximised(tile)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows move the keyboard's tile, Enter maximises it and back, Escape restores."""
        if not self.tiles:
            return
        key = event.key()
        moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1),
                 Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}  # fmt: skip
        if key in moves and self.maximised is None:
            hit = next_tile(self.grid_n, self.spans, self.current, moves[Qt.Key(key)])
            if hit is not None:
                self._set_current(hit)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_maximise_requested(self.tiles[self.current])
        elif key == Qt.Key.Key_Escape and self.maximised is not None:
            self._restore()
        else:
            super().keyPressEvent(event)
            return
        self.operator_acted()

    def _set_current(self, k: int) -> None:
        self.tiles[self.current].set_marks(current=False)
        self.current = k
        self.tiles[k].set_marks(current=True)

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
        for tile, (r, c, rows, cols) in zip(self.tiles, self.spans, strict=False):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, r, c, rows, cols)
            tile.show()
            if tile.feed is not None:
                tile.feed.set_visible(True)

    # --- named layouts, kept between runs (console.widgets.named_layouts) ----------------------

    SETTINGS_GROUP = named_layouts.SETTINGS_GROUP

    def named_layouts(self) -> list[str]:
        return named_layouts.names()

    def save_named(self, name: str) -> None:
        """The layout and the camera on each tile an operator placed, under `name`."""
        cameras = [t.feed.camera.code if t.feed and k in self.fixed else None
                   for k, t in enumerate(self.tiles)]  # fmt: skip
        named_layouts.save(name, SavedLayout(self.layout_name, self.grid_n, self.spans, cameras))

    def restore_named(self, name: str) -> bool:
        saved = named_layouts.load(name)
        if saved is None:
            return False
        if self.maximised is not None:
            self._restore()
        self.fixed.clear()
        if saved.layout in LAYOUTS:
            self.set_layout(saved.layout)
        else:  # custom spans, checked when read: a damaged setting is not shown
            self._apply_spans(saved.n, saved.spans)
            self._custom()
        for k, code in enumerate(saved.cameras[: len(self.tiles)]):
            camera = self.camera(code) if code is not None else None
            if camera is not None and k not in self._before_alarm:
                self.fixed.add(k)
                self.show_camera(self.tiles[k], camera)
        self._fill()
        return True

    def _fill_saved_menu(self) -> None:
        self.saved_menu.clear()
        save = self.saved_menu.addAction(self.tr("Save this layout…"))
        save.triggered.connect(self._ask_and_save)
        names = self.named_layouts()
        if names:
            self.saved_menu.addSeparator()
        for name in names:
            action = self.saved_menu.addAction(name)
            action.triggered.connect(lambda _checked=False, n=name: self.restore_named(n))

    def _ask_and_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save layout"), self.tr("Name:"))
        if ok and name.strip():
            self.save_named(name.strip())

    def sizeHint(self) -> QSize:
        return QSize(720, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 200)

    def camera_health(self) -> dict[str, dict[str, Any]]:
        """What each tile's camera is doing, for the backend's camera health (a state that says
        nothing of the camera, such as hidden, is skipped there)."""
        return {
            tile.feed.camera.code: {
                "state": tile.status.state.value,
                "since": tile.status.last_frame_at,
            }
            for tile in self.tiles
            if tile.feed is not None
        }

    def stop(self) -> None:
        """Every tile off its camera, and their decoder threads given a second to end (the
        wall is going away: a thread still running at exit can crash the process)."""
        for tile in self.tiles:
            tile.show_feed(None)
        StreamDecoder.finish_stopped()

    def _check(self) -> None:
        for tile in self.tiles:
            if tile.feed is not None:
                tile.feed.check()
            tile.tick()
