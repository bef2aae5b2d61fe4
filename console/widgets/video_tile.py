"""One tile of the video wall: the newest frame of its camera, its name, place, local time and
the stream's state in plain words. A frame that may be old is dimmed and says so."""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from console import present
from console.video.camera_feed import CameraFeed
from console.video.frame_image import drawn_as_is
from console.video.frame_mailbox import Frame
from console.video.stream_status import StreamState, StreamStatus
from console.video.yuv_picture import DirectPainter, YuvPicture

STATE_COLOURS = {
    StreamState.LIVE: QColor("#2fbf4f"),
    StreamState.CONNECTING: QColor("#f0b429"),
    StreamState.RECONNECTING: QColor("#f0b429"),
    StreamState.NO_SIGNAL: QColor("#e5484d"),
    StreamState.UNAUTHORISED: QColor("#e5484d"),
    StreamState.BAD_URL: QColor("#e5484d"),
    StreamState.NOT_FOUND: QColor("#e5484d"),
}
BACKGROUND = QColor("#0b1220")
LAG_SHOWN = 1.0
"""Seconds behind live from which a tile says so instead of 实时."""

STILL_LIVE_FOR = 0.2
"""A frame shown this long is still the newest (or one and a half of its stream's frame
periods: a 1 fps camera's picture is a second old before the next comes)."""

CAMERA_MIME = "application/x-township-camera"
"""A drag from the camera tree carries the camera's code under this type."""


def bars_beside(outer: QRect, inner: QRect) -> list[QRect]:
    """What of `outer` is left and right of `inner`, and above and below it."""
    bars = [
        QRect(outer.left(), outer.top(), inner.left() - outer.left(), outer.height()),
        QRect(inner.right() + 1, outer.top(), outer.right() - inner.right(), outer.height()),
        QRect(inner.left(), outer.top(), inner.width(), inner.top() - outer.top()),
        QRect(inner.left(), inner.bottom() + 1, inner.width(), outer.bottom() - inner.bottom()),
    ]
    return [bar for bar in bars if bar.width() > 0 and bar.height() > 0]


class VideoTile(QWidget):
    maximise_requested = Signal(object)  # this tile
    camera_dropped = Signal(object, str)  # this tile, the camera's code
    snapshot_requested = Signal(object, bool)  # this tile, attach to the selected case?
    span_change_requested = Signal(object, str)  # this tile, "right" / "below" / "split"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoTile")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we paint every pixel
        self.feed: CameraFeed | None = None
        self.name = ""
        self.place = ""
        self.status = StreamStatus(StreamState.IDLE)
        self.frame: Frame | None = None
        self.painted = 0  # frames painted, each once (a repaint of the same is not counted)
        self.ages_ms: deque[float] = deque(maxlen=2000)
        """Age of each frame when first painted, from the moment its decoder returned it."""
        self._painted_at: deque[float] = deque(maxlen=50)  # for the rate shown
        self._fps = 0.0
        self._font = QFont(self.font())
        self._overlay_key: object = None
        self._overlay_parts: list[tuple[QPoint, QImage]] = []
        self.direct = DirectPainter()  # YUV pictures converted straight into the screen
        self._state_width = 0  # the live state's box, in the bottom corner
        self.alarm = ""  # the incident that took this tile, shown until acknowledged
        self.current = False  # the keyboard's tile
        self.setAcceptDrops(True)

    # --- what it shows -------------------------------------------------------------------------

    def show_feed(self, feed: CameraFeed | None, name: str = "", place: str = "") -> None:
        if self.feed is not None:
            self.feed.frame.disconnect(self.on_frame)
            self.feed.status.disconnect(self.on_status)
            self.feed.stop()
        self.feed, self.name, self.place, self.frame = feed, name, place, None
        self.status = StreamStatus(StreamState.CONNECTING if feed else StreamState.IDLE)
        if feed is not None:
            feed.frame.connect(self.on_frame)
            feed.status.connect(self.on_status)
            feed.set_size(self.width(), self.height(), self.devicePixelRatioF())
            feed.start()
        self.update()

    def on_frame(self, frame: Frame) -> None:
        self.frame = frame
        self.update()

    def on_status(self, status: StreamStatus) -> None:
        changed = status.state != self.status.state
        self.status = status
        self._fps = self._painted_fps()  # once a status: the overlay is redrawn once a second
        if changed or status.state != StreamState.LIVE:
            self.update()

    def tick(self) -> None:
        """Once a second (the wall's watchdog): the rate and a picture's age move on even when
        no frame and no state come (a decoder short of CPU)."""
        self._fps = self._painted_fps()
        if self.isVisible() and (
            self.status.state != StreamState.LIVE or self.shown_lag() >= LAG_SHOWN
        ):
            self.update()

    def state_text(self) -> str:
        s = self.status
        match s.state:
            case StreamState.IDLE:
                return self.tr("No camera")
            case StreamState.CONNECTING:
                if s.failures:  # trying again after a failed attempt: still no picture
                    return self.tr("No signal · reconnecting…")
                return self.tr("Connecting…")
            case StreamState.LIVE:
                return self._live_text()
            case StreamState.NO_SIGNAL | StreamState.RECONNECTING:
                return self._no_signal_text()
            case StreamState.UNAUTHORISED:
                return self.tr("Not authorised: check the camera's user and password")
            case StreamState.BAD_URL:
                return self.tr("Bad address: this is not a stream we can open")
            case StreamState.NOT_FOUND:
                return self.tr("No such channel: the camera has no stream at this address")
            case StreamState.HIDDEN:
                return ""

    def _live_text(self) -> str:
        fps = self.shown_fps()
        lag = self.shown_lag()
        if lag >= LAG_SHOWN:  # old video is never called live
            behind = self.tr("Behind by %1 s").replace("%1", f"{lag:.0f}")
            return behind + " · " + self.tr("%1 fps").replace("%1", f"{fps:.0f}")
        live = self.tr("Live")  # just joined: no rate yet
        if fps >= 1:
            live = self.tr("Live · %1 fps").replace("%1", f"{fps:.0f}")
        if self.feed is not None and self.feed.reduced:
            return live + " · " + self.tr("sub stream: the machine is short of CPU")
        if self.feed is not None and self.feed.main_missing:
            return live + " · " + self.tr("sub stream: the main stream is not available")
        return live

    def shown_lag(self) -> float:
        """How old the picture on screen is, by its stream's clock: its lag when decoded and
        the time since. A decoder short of CPU sends no new frame and no new state, so the
        picture's own age is what says that it is no longer live."""
        lag = self.status.lag
        if self.frame is not None:
            age = time.perf_counter() - self.frame.decoded_at
            lag = max(
                lag, self.frame.lag + max(0.0, age - max(STILL_LIVE_FOR, 1.5 * self.frame.period))
            )
        return lag

    def shown_fps(self) -> float:
        """New frames painted per second over the last ones, never above what the decoder
        reports (itself never above the source's rate): what the duty officer sees. Taken
        when a status comes (about once a second)."""
        return self._fps

    def _painted_fps(self) -> float:
        """Over the last two seconds only: a tile that was hidden, or starved, is not averaged
        with what it painted before."""
        now = time.perf_counter()
        times = [t for t in self._painted_at if now - t <= 2.0]
        if len(times) < 2:
            return 0.0 if self._painted_at else self.status.fps
        end = times[-1] if now - times[-1] < 0.5 else now  # a stalled tile's rate falls
        return min(self.status.fps, (len(times) - 1) / (end - times[0]))

    def _no_signal_text(self) -> str:
        """Since when, if it was ever live, and when the next try comes."""
        s = self.status
        lost = self.tr("No signal")
        if s.last_frame_at is not None:
            since = present.time_of_day(s.last_frame_at)
            lost = self.tr("No signal since %1").replace("%1", since)
        if s.state != StreamState.RECONNECTING:
            return lost
        left = max(0, round((s.retry_at or 0) - time.monotonic()))
        return lost + " · " + self.tr("Reconnecting in %1 s").replace("%1", str(left))

    # --- Qt -------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.feed is not None:
            self.feed.set_size(self.width(), self.height(), self.devicePixelRatioF())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.maximise_requested.emit(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        code = bytes(event.mimeData().data(CAMERA_MIME).data()).decode()
        if code:
            event.acceptProposedAction()
            self.camera_dropped.emit(self, code)

    def snapshot(self) -> QImage:
        """What the tile shows, overlay included (name, place, time, state): a picture that
        says by itself where and when it was taken."""
        return self.grab().toImage()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        save = menu.addAction(self.tr("Save a snapshot…"))
        attach = menu.addAction(self.tr("Attach a snapshot to the selected case"))
        menu.addSeparator()
        spans = {
            menu.addAction(self.tr("Merge with the tile to the right")): "right",
            menu.addAction(self.tr("Merge with the tile below")): "below",
            menu.addAction(self.tr("Split into single tiles")): "split",
        }
        chosen = menu.exec(event.globalPos())
        if chosen is save:
            self.snapshot_requested.emit(self, False)
        elif chosen is attach:
            self.snapshot_requested.emit(self, True)
        elif chosen in spans:
            self.span_change_requested.emit(self, spans[chosen])

    def set_marks(self, alarm: str | None = None, current: bool | None = None) -> None:
        if alarm is not None:
            self.alarm = alarm
        if current is not None:
            self.current = current
        self._overlay_key = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        live = self.status.state == StreamState.LIVE
        if self.frame is not None:
            picture = self.frame.image
            box, ratio = self._picture_box(picture.size())
            covered = None  # device pixels painted straight from YUV
            if isinstance(picture, YuvPicture) and ratio is not None:
                covered = self.direct.paint(p, picture, box, self.rect())
            if covered is not None:
                # Beside it in device pixels: at a fractional ratio the painter's rounding of
                # `box` may leave a row between the two that nobody paints.
                p.save()
                to_device = p.deviceTransform()
                p.setWorldTransform(to_device.inverted()[0])
                tile = to_device.mapRect(QRectF(self.rect())).toRect()
                for bar in bars_beside(tile, covered):
                    p.fillRect(bar, BACKGROUND)
                p.restore()
            else:
                image = picture if isinstance(picture, QImage) else self.direct.image(picture)
                image.setDevicePixelRatio(ratio or 1.0)
                p.drawImage(box, image)
                # Only the bars beside the picture: filling the whole tile first cost a 1080p
                # tile about a millisecond a frame.
                for bar in bars_beside(self.rect(), box.intersected(self.rect())):
                    p.fillRect(bar, BACKGROUND)
            fresh = not self._painted_at or self._painted_at[-1] != self.frame.decoded_at
            if live and fresh:  # a new frame, not a repaint of the last
                self.painted += 1
                self.ages_ms.append((time.perf_counter() - self.frame.decoded_at) * 1000)
                self._painted_at.append(self.frame.decoded_at)
            if not live:  # the last picture is not the present: say so by dimming it
                p.fillRect(self.rect(), QColor(0, 0, 0, 150))
        else:
            p.fillRect(self.rect(), BACKGROUND)
        for at, part in self._overlay(live):
            p.drawImage(at, part)
        p.end()

    def _picture_box(self, size: QSize) -> tuple[QRect, float | None]:
        """Where the picture goes, in the tile's coordinates, and the device pixel ratio to
        draw it at pixel for pixel, centred, as the decoder sized it for the tile in device
        pixels (frame_image.drawn_as_is); None: fitted (the tile was resized since)."""
        ratio = self.devicePixelRatioF()
        tile = self.size() * ratio
        as_is = drawn_as_is((size.width(), size.height()), (tile.width(), tile.height()))
        if as_is:
            fit = size / ratio
        else:
            fit = size.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        box = QRect(0, 0, fit.width(), fit.height())
        box.moveCenter(self.rect().center())
        return box, ratio if as_is else None

    def _overlay(self, live: bool) -> list[tuple[QPoint, QImage]]:
        """Name, place, clock and state, drawn once a second (or on a change) into a
        transparent image: a tile repaints 25 times a second, and each QPainter call from
        Python waits for the GIL behind the decoder threads. Over live video only its bands
        are blended (the whole of a 1080p tile's cost half a millisecond a frame)."""
        key = (self.size(), live, self.state_text(), present.time_of_day(time.time()), self.name,
               self.alarm, self.current)  # fmt: skip
        if key != self._overlay_key:
            self._overlay_key = key
            ratio = self.devicePixelRatioF()  # sharp type on a scaled (4K) screen
            image = QImage(self.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            line = self._paint_overlay(painter, live)
            painter.end()
            self._overlay_parts = self._bands(image, line) if live else [(QPoint(0, 0), image)]
        return self._overlay_parts

    def _bands(self, image: QImage, line: int) -> list[tuple[QPoint, QImage]]:
        """The parts of a live tile's overlay that are not transparent: the title band (and
        the alarm's under it), the state in the bottom corner, and a marked tile's frame."""
        w, h = self.width(), self.height()
        top = min(h, (line + 6) * (2 if self.alarm else 1))
        bottom = max(top, h - line - 6)
        # Below, only the state's box in its corner, unless a frame runs along the bottom:
        # blending a 1080p tile's whole bottom row of transparent pixels cost 0.1 ms a frame.
        framed = bool(self.alarm or self.current)
        rows = [
            QRect(0, 0, w, top),
            QRect(0, bottom, w if framed else min(w, self._state_width), h - bottom),
        ]
        if framed:  # the frame's sides between the bands
            rows += [QRect(0, top, 4, bottom - top), QRect(w - 4, top, 4, bottom - top)]
        ratio = image.devicePixelRatio()
        parts = []
        for r in rows:
            if r.width() > 0 and r.height() > 0:
                part = image.copy(QRect(r.topLeft() * ratio, r.size() * ratio))
                part.setDevicePixelRatio(ratio)
                parts.append((r.topLeft(), part))
        return parts

    def _paint_overlay(self, p: QPainter, live: bool) -> int:
        """Returns the height of a line of its type."""
        if self.alarm or self.current:
            pen = QPen(
                QColor("#e5484d") if self.alarm else QColor("#ffffff"), 4 if self.alarm else 2
            )
            p.setPen(pen)
            p.drawRect(self.rect().adjusted(1, 1, -2, -2))
        font = self._font
        font.setPixelSize(max(11, min(22, self.height() // 14)))
        p.setFont(font)
        line = p.fontMetrics().height()
        band = QRect(0, 0, self.width(), line + 6)
        p.fillRect(band, QColor(0, 0, 0, 140))
        p.setPen(QColor("white"))
        title = f"{self.name} · {self.place}" if self.place else self.name
        clock = present.time_of_day(time.time())
        room = band.width() - 12 - p.fontMetrics().horizontalAdvance(clock + "  ")
        title = p.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, max(0, room))
        p.drawText(band.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, title)
        p.drawText(
            band.adjusted(6, 0, -6, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            clock,
        )
        if self.alarm:
            tag = QRect(0, line + 6, self.width(), line + 6)
            p.fillRect(tag, QColor(229, 72, 77, 210))
            p.setPen(QColor("white"))
            p.drawText(tag.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, self.alarm)
        text = self.state_text()
        self._state_width = 0
        if not text:
            return line
        colour = STATE_COLOURS.get(self.status.state, QColor("#9aa4b2"))
        if self.status.state == StreamState.LIVE and self.shown_lag() >= LAG_SHOWN:
            colour = STATE_COLOURS[StreamState.RECONNECTING]  # amber: behind
        if live:  # small, in a corner: the picture is what matters
            box = QRect(
                0,
                self.height() - line - 6,
                p.fontMetrics().horizontalAdvance("● " + text) + 12,
                line + 6,
            )
            p.fillRect(box, QColor(0, 0, 0, 140))
            p.setPen(colour)
            p.drawText(box.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, "● " + text)
            self._state_width = box.width()
        else:  # across the middle, where nobody can take the picture for live
            p.setPen(colour)
            box = self.rect().adjusted(8, line + 8, -8, -8)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        return line
