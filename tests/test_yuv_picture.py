"""A YUV picture converted straight into the memory a painter paints on: the same pixels as
PyAV's own conversion, put where the tile is and nowhere else (swscale writes whole blocks of
pixels; a byte beside the tile changed would be another widget's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter, QRegion
from pytestqt.qtbot import QtBot

from console.video import swscale
from console.video.frame_image import FrameImages
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
    assert DirectPainter().paint(p, YuvPicture(frame), box, tile) is not None
    p.end()
    got = pixels(image)
    visible = box & tile
    # the picture moves by a pixel to crop at even offsets (4:2:0 chroma): find where it went
    dx, dy = (visible.x() - box.x()) % 2, (visible.y() - box.y()) % 2
    x0, y0 = visible.x() - box.x() - dx, visible.y() - box.y() - dy
    inside = got[visible.y() : visible.bottom() + 1, visible.x() : visible.right() + 1]
    # An odd last column or row is converted with the picture's next one where it has one,
    # else it repeats the one before it (swscale's fast path takes even sizes only).
    vw, vh = visible.width(), visible.height()
    w = vw if vw % 2 == 0 or x0 + vw < picture[0] else vw - 1
    h = vh if vh % 2 == 0 or y0 + vh < picture[1] else vh - 1
    np.testing.assert_array_equal(inside[:h, :w], reference[y0 : y0 + h, x0 : x0 + w])
    if h < vh:
        np.testing.assert_array_equal(inside[h, :w], inside[h - 1, :w])
    if w < vw:
        np.testing.assert_array_equal(inside[:, w], inside[:, w - 1])
    outside = np.ones(got.shape[:2], bool)
    outside[visible.y() : visible.bottom() + 1, visible.x() : visible.right() + 1] = False
    assert (got[outside] == CANARY).all(), "a pixel beside the tile was written"


def test_an_odd_sized_picture_repeats_its_last_column_and_row_within_the_tile() -> None:
    """A 641×361 camera has no column after its last to convert that one with."""
    rgb = np.random.default_rng(3).integers(0, 255, (361, 641, 3), dtype=np.uint8)
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    image = canvas(700, 400)
    p = QPainter(image)
    tile = QRect(10, 20, 641, 361)
    assert DirectPainter().paint(p, YuvPicture(frame), tile, tile) == tile
    p.end()
    got = pixels(image)
    inside = got[20:381, 10:651]
    np.testing.assert_array_equal(inside[:, 640], inside[:, 639])
    np.testing.assert_array_equal(inside[360, :640], inside[359, :640])
    outside = np.ones(got.shape[:2], bool)
    outside[20:381, 10:651] = False
    assert (got[outside] == CANARY).all()


def test_full_range_and_bt709_pictures_convert_as_pyav_does() -> None:
    """The frame's own matrix and range (an MJPEG camera's full range, HD's BT.709)."""
    painter = DirectPainter()
    for colorspace, colour_range, fmt in ((1, 1, "yuv420p"), (1, 2, "yuv420p"), (5, 0, "yuvj420p")):
        frame = noise_frame(320, 180, fmt=fmt)
        frame.colorspace, frame.color_range = colorspace, colour_range
        image = canvas(320, 180)
        p = QPainter(image)
        whole = QRect(0, 0, 320, 180)
        assert painter.paint(p, YuvPicture(frame), whole, whole) == whole
        p.end()
        np.testing.assert_array_equal(pixels(image), frame.reformat(format="bgra").to_ndarray())


def test_a_device_or_clip_it_cannot_fill_is_left_to_the_painter() -> None:
    frame = noise_frame(64, 48)
    rgb888 = QImage(64, 48, QImage.Format.Format_RGB888)
    p = QPainter(rgb888)
    assert DirectPainter().paint(p, YuvPicture(frame), QRect(0, 0, 64, 48), rgb888.rect()) is None
    p.end()
    image = canvas(64, 48)
    for limit in ("system clip", "own clip", "opacity", "one row", "one column"):
        p = QPainter(image)
        tile = image.rect()
        if limit == "system clip":  # part of the tile exposed
            p.paintEngine().setSystemClip(QRegion(0, 0, 32, 48))
        elif limit == "own clip":  # a painter shared by QWidget.render
            p.setClipRect(0, 0, 32, 48)
        elif limit == "opacity":
            p.setOpacity(0.5)
        elif limit == "one row":  # too little to convert (4:2:0 takes two)
            tile = QRect(0, 47, 64, 1)
        else:
            tile = QRect(63, 0, 1, 48)
        assert DirectPainter().paint(p, YuvPicture(frame), QRect(0, 0, 64, 48), tile) is None, limit
        p.end()
    assert (pixels(image) == CANARY).all()


def test_a_context_swscale_could_not_make_is_not_used_again() -> None:
    """sws_getCachedContext frees the context it is given when it cannot make the new one:
    keeping the freed pointer crashed the next call (a double free)."""
    converter = swscale.Converter()
    frame = noise_frame(64, 48)
    good = swscale.Planes.of(frame)
    out = np.zeros((48, 64, 4), np.uint8)
    at = out.__array_interface__["data"][0]
    assert converter.convert(good, (0, 0, 64, 48), at, 64 * 4)
    for name in ("cuda", "no such format"):  # a format swscale does not take; none at all
        bad = swscale.Planes(name, good.colours, good.pointers, good.strides)
        assert not converter.convert(bad, (0, 0, 64, 48), at, 64 * 4)
    assert not converter.convert(good, (0, 0, 0, 48), at, 64 * 4), "nothing to convert"
    for _ in range(3):
        assert converter.convert(good, (0, 0, 64, 48), at, 64 * 4)
    converter.close()
    np.testing.assert_array_equal(out, frame.reformat(format="bgra").to_ndarray())


@pytest.mark.parametrize("width", [1940, 500, 478, 1282])
def test_an_image_of_any_width_is_converted_to_its_last_column(width: int) -> None:
    """PyAV's BGRA rows are not padded and swscale's SIMD stops at the last whole block that
    fits them: widths not a multiple of 8 kept junk in their last columns."""
    frame = av.VideoFrame.from_ndarray(
        np.full((1080 * 3 // 2, width), 128, np.uint8), format="yuv420p"
    )  # mid grey: every pixel the same
    painted = DirectPainter().image(YuvPicture(frame))  # a painter that needs an image
    grey = FrameImages().image(frame, (width // 2, 540))  # scaled by half, then converted
    for image in (painted, grey):
        assert isinstance(image, QImage)
        got = pixels(image)
        assert (got == got[0, 0]).all(), f"{image.width()} wide: a column not converted"


def test_a_tile_at_a_fractional_scale_leaves_no_row_unpainted(tmp_path: Path) -> None:
    """At 150 % a tile's picture, in device pixels, and the bars beside it, rounded from the
    tile's own pixels, can miss a row between them that keeps the last frame's (red)."""
    script = tmp_path / "tile_at_150.py"
    script.write_text(FRACTIONAL_TILE)
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[1], check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert line.endswith("red 0 direct 1"), line


FRACTIONAL_TILE = """
import time, numpy as np, av
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])


class Window(QWidget):
    # A child painted after the tile, that keeps a copy of the window's backing store (device
    # pixels, as they are: a grab would be scaled).
    def paintEvent(self, event):
        p = QPainter(self)
        self.store = p.paintEngine().paintDevice().copy()
        p.end()


from console.video.frame_image import FrameImages
from console.video.frame_mailbox import Frame
from console.video.stream_status import StreamState, StreamStatus
from console.video.yuv_picture import YuvPicture
from console.widgets.video_tile import VideoTile
sizes = (((235, 196), (352, 288)), ((853, 481), (1280, 720)), ((427, 241), (640, 360)))
for (tw, th), (pw, ph) in sizes:
    tile = VideoTile()
    tile.resize(tw, th)
    tile.show()
    while not tile.windowHandle().isExposed():
        app.processEvents()
    ratio = tile.devicePixelRatioF()
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0)
    # red over every pixel (a little larger than the tile: cropped), then the YUV picture
    red = QImage(int(tw * ratio) + 4, int(th * ratio) + 4, QImage.Format.Format_RGB32)
    red.fill(QColor(255, 0, 0))
    tile.on_frame(Frame(red, time.perf_counter(), 1))
    tile.repaint()
    grey = av.VideoFrame.from_ndarray(np.full((ph * 3 // 2, pw), 128, np.uint8), format="yuv420p")
    tile.on_frame(Frame(YuvPicture(grey), time.perf_counter(), 2))
    spy = Window(tile)
    spy.resize(1, 1)
    spy.show()
    tile.repaint()
    shot = spy.store.convertToFormat(QImage.Format.Format_RGB32)
    px = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), -1)
    px = px[:, : shot.width() * 4].reshape(shot.height(), shot.width(), 4)
    red_left = int(((px[..., 2] > 240) & (px[..., 1] < 20) & (px[..., 0] < 20)).sum())
    print(f"{tw}x{th} at {ratio}: red {red_left} direct {tile.direct.painted}")
    tile.close()
"""


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
