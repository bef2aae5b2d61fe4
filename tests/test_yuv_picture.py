"""A YUV picture converted straight into the memory a painter paints on: the same pixels as
PyAV's own conversion, put where the tile is and nowhere else (swscale writes whole blocks of
pixels; a byte beside the tile changed would be another widget's)."""

from __future__ import annotations

from typing import Any

import av
import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter, QRegion
from pytestqt.qtbot import QtBot

from console.video import swscale
from console.video.frame_mailbox import Frame
from console.video.stream_status import StreamState, StreamStatus
from console.video.yuv_picture import DirectPainter, YuvPicture
from console.widgets.video_tile import VideoTile

CANARY = (0x11, 0x22, 0x33, 0xFF)  # B, G, R, A: no YUV noise converts to exactly this

pytestmark = pytest.mark.skipif(not swscale.available(), reason="no libswscale in the process")


def noise_frame(w: int, h: int, seed: int = 1, fmt: str = "yuv420p") -> Any:
    planes = np.random.default_rng(seed).integers(16, 236, (h * 3 // 2, w), dtype=np.uint8)
    frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
    return frame if fmt == "yuv420p" else frame.reformat(format=fmt)


def pixels(image: QImage) -> np.ndarray:
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)


def canvas(w: int, h: int, fmt: QImage.Format = QImage.Format.Format_RGB32) -> QImage:
    image = QImage(w, h, fmt)
    pixels_ = np.frombuffer(image.bits(), np.uint8).reshape(h, -1)[:, : w * 4]
    pixels_.reshape(h, w, 4)[:] = CANARY
    return image


@pytest.mark.parametrize(
    ("picture", "tile", "at"),
    [
        ((1920, 1080), QRect(0, 0, 1912, 1044), (0, 0)),  # the maximised tile: cropped
        ((1920, 1080), QRect(3, 5, 1913, 1045), (3, 5)),  # odd place, odd crop
        ((1280, 720), QRect(7, 0, 1281, 760), (7, 20)),  # narrower than its tile: bars below
        ((640, 360), QRect(1, 1, 637, 359), (-1, 0)),  # not a whole number of SIMD blocks
        ((96, 64), QRect(33, 9, 90, 63), (30, 9)),  # a tail only, at a width of 90
        ((64, 48), QRect(0, 0, 20, 48), (-22, 0)),  # narrower than one block
    ],
)
def test_the_same_pixels_as_pyav_in_the_tile_and_nothing_beside_it(
    picture: tuple[int, int], tile: QRect, at: tuple[int, int]
) -> None:
    frame = noise_frame(*picture)
    reference = frame.reformat(format="bgra").to_ndarray()
    image = canvas(tile.right() + 40, tile.bottom() + 30)
    p = QPainter(image)
    box = QRect(at[0], at[1], *picture)
    assert DirectPainter().paint(p, YuvPicture(frame), box, tile)
    p.end()
    got = pixels(image)
    visible = box & tile
    # the picture moves by a pixel to crop at even offsets (4:2:0 chroma): find where it went
    dx, dy = (visible.x() - box.x()) % 2, (visible.y() - box.y()) % 2
    x0, y0 = visible.x() - box.x() - dx, visible.y() - box.y() - dy
    inside = got[visible.y() : visible.bottom() + 1, visible.x() : visible.right() + 1]
    w, h = visible.width() & ~1, visible.height() & ~1  # swscale's fast path: even sizes
    np.testing.assert_array_equal(inside[:h, :w], reference[y0 : y0 + h, x0 : x0 + w])
    if w < visible.width():  # an odd last column repeats the one before it
        np.testing.assert_array_equal(inside[:h, w], inside[:h, w - 1])
    if h < visible.height():
        np.testing.assert_array_equal(inside[h], inside[h - 1])
    outside = np.ones(got.shape[:2], bool)
    outside[visible.y() : visible.bottom() + 1, visible.x() : visible.right() + 1] = False
    assert (got[outside] == CANARY).all(), "a pixel beside the tile was written"


def test_full_range_and_bt709_pictures_convert_as_pyav_does() -> None:
    """The frame's own matrix and range (an MJPEG camera's full range, HD's BT.709)."""
    painter = DirectPainter()
    for colorspace, colour_range, fmt in ((1, 1, "yuv420p"), (1, 2, "yuv420p"), (5, 0, "yuvj420p")):
        frame = noise_frame(320, 180, fmt=fmt)
        frame.colorspace, frame.color_range = colorspace, colour_range
        image = canvas(320, 180)
        p = QPainter(image)
        assert painter.paint(p, YuvPicture(frame), QRect(0, 0, 320, 180), QRect(0, 0, 320, 180))
        p.end()
        np.testing.assert_array_equal(pixels(image), frame.reformat(format="bgra").to_ndarray())


def test_a_device_or_clip_it_cannot_fill_is_left_to_the_painter() -> None:
    frame = noise_frame(64, 48)
    rgb888 = QImage(64, 48, QImage.Format.Format_RGB888)
    p = QPainter(rgb888)
    assert not DirectPainter().paint(p, YuvPicture(frame), QRect(0, 0, 64, 48), rgb888.rect())
    p.end()
    image = canvas(64, 48)
    p = QPainter(image)
    p.paintEngine().setSystemClip(QRegion(0, 0, 32, 48))  # part of the tile exposed
    assert not DirectPainter().paint(p, YuvPicture(frame), QRect(0, 0, 64, 48), image.rect())
    p.end()
    assert (pixels(image) == CANARY).all()


def test_a_tile_paints_its_yuv_picture_into_the_window_and_into_a_snapshot(
    qtbot: QtBot,
) -> None:
    """Through Qt's own backing store (the window's memory) and through grab()."""
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    tile.show()
    qtbot.waitUntil(lambda: tile.windowHandle().isExposed())
    frame = noise_frame(320, 180)
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0)
    tile.on_frame(Frame(YuvPicture(frame), 0.0, 1))
    tile.repaint()
    assert tile.direct.painted == 1, "converted straight into the window's backing store"
    reference = frame.reformat(format="bgra").to_ndarray()
    # the offscreen platform grabs a window from its backing store, as the screen shows it
    window = tile.screen().grabWindow(tile.winId()).toImage()
    window = window.convertToFormat(QImage.Format.Format_RGB32)
    middle = (slice(60, 120), slice(40, 280))  # under neither the title band nor the state
    np.testing.assert_array_equal(pixels(window)[middle][..., :3], reference[middle][..., :3])
    snapshot = tile.snapshot().convertToFormat(QImage.Format.Format_RGB32)
    assert tile.direct.painted == 2, "and into the snapshot's pixmap"
    np.testing.assert_array_equal(pixels(snapshot)[middle][..., :3], reference[middle][..., :3])
    assert tile.painted == 1
