"""A frame's way from the decoder to the screen: the mailbox the decoder waits on, and a
picture drawn pixel for pixel in its tile."""

from __future__ import annotations

import dataclasses
import itertools
import os
import threading
import time
import zlib

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from console.video.decoder_priority import DECODER_NICENESS, runnable
from console.video.frame_mailbox import Frame, FrameMailbox
from console.video.frame_memory import keep_frame_buffers
from console.video.stream_decoder import StreamDecoder
from console.video.stream_status import StreamState, StreamStatus
from console.widgets.video_tile import BACKGROUND, VideoTile


def frame(image: QImage | None = None) -> Frame:
    return Frame(image or QImage(4, 4, QImage.Format.Format_RGB32), time.perf_counter(), 1)


def test_a_decoder_waiting_on_a_full_mailbox_goes_on_once_the_gui_takes_the_frame() -> None:
    box = FrameMailbox()
    assert box.wait_taken(0.0), "an empty mailbox: nothing to wait for"
    box.put(frame())
    assert not box.wait_taken(0.01), "nobody took it"
    waited = threading.Event()

    def wait() -> None:
        if box.wait_taken(3600):
            waited.set()

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert box.take() is not None
    waiter.join()
    assert waited.is_set()


def striped(width: int, height: int) -> QImage:
    """Columns alternately white and black: a picture rescaled by any factor near 1 repeats or
    loses a column somewhere, and the stripes break."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for x in range(width):
        colour = QColor("white") if x % 2 == 0 else QColor("black")
        for y in range(height):
            image.setPixelColor(x, y, colour)
    return image


def row_of(tile: VideoTile, y: int) -> list[int]:
    shot = tile.grab().toImage()
    return [shot.pixelColor(x, y).lightness() for x in range(shot.width())]


def test_a_picture_slightly_larger_than_its_tile_is_cropped_pixel_for_pixel(
    qtbot: QtBot,
) -> None:
    """A maximised 1080p camera in a 1044-pixel tile: cropped at its edges, never rescaled
    by the painter (the cost and the blur both)."""
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(400, 200)
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0)
    tile.on_frame(frame(striped(408, 206)))
    row = row_of(tile, 100)
    assert len(row) == 400
    assert all(a != b for a, b in itertools.pairwise(row)), "stripes unbroken"
    assert row[0] == 255, "the picture's 5th column (white) is the tile's first: 4 cropped"


def test_a_picture_far_from_its_tiles_size_is_fitted_with_bars_beside_it(
    qtbot: QtBot,
) -> None:
    """Just after a resize, before the decoder sizes its pictures for the new tile."""
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(400, 200)
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0)
    red = QImage(100, 100, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))
    tile.on_frame(frame(red))
    shot = tile.grab().toImage()
    assert shot.pixelColor(200, 100) == QColor("red"), "scaled up to the tile's height"
    assert shot.pixelColor(50, 100) == BACKGROUND, "a bar beside a square picture"
    assert shot.pixelColor(100, 100) == QColor("red") and shot.pixelColor(99, 100) == BACKGROUND


def test_over_live_video_only_the_title_band_and_the_states_box_are_blended(
    qtbot: QtBot,
) -> None:
    """Each frame blends the overlay's parts again: a transparent part still costs its area
    (the whole bottom row of a 1080p tile: 0.1 ms a frame)."""
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(800, 450)
    tile.name = "青溪上游拦水坝"
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0)
    white = QImage(800, 450, QImage.Format.Format_RGB32)
    white.fill(QColor("white"))
    tile.on_frame(frame(white))
    shot = tile.grab().toImage()
    assert shot.pixelColor(5, 445).lightness() < 200, "the state's box, darkened, bottom left"
    assert shot.pixelColor(795, 445) == QColor("white"), "the rest of the bottom row: video"
    assert shot.pixelColor(795, 5).lightness() < 200, "the title band runs across the top"
    parts = tile._overlay(live=True)
    assert parts[0][1].width() == 800
    assert all(part.width() < 400 for _, part in parts[1:]), "below: the state's box only"


def test_decoders_take_only_the_cpu_the_gui_thread_leaves(qtbot: QtBot) -> None:
    """Equal threads, 16 decoders left the GUI thread a 17th of the machine."""
    decoder = StreamDecoder("rtsp://127.0.0.1:abc/x")  # runs, waits, never decodes
    decoder.start()
    qtbot.waitUntil(lambda: decoder.status.state == StreamState.BAD_URL)
    thread = decoder._thread
    assert thread is not None and thread.native_id is not None
    assert os.getpriority(os.PRIO_PROCESS, thread.native_id) >= DECODER_NICENESS
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert gui < DECODER_NICENESS or gui == 19, "the GUI thread as it was"
    decoder.stop()


def test_frame_buffers_come_from_the_heap_not_fresh_mappings() -> None:
    assert keep_frame_buffers(), "glibc on Linux: set once for the process"


def test_a_picture_that_stopped_changing_is_not_called_live(qtbot: QtBot) -> None:
    """A decoder short of CPU sends no new frame and no new state: the picture's own age says
    it is behind (it said 实时 while 3-7 s behind with both cores busy)."""
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(480, 270)
    tile.status = StreamStatus(StreamState.LIVE, fps=25.0, lag=0.2)
    tile.on_frame(frame())
    assert tile.shown_lag() < 1.0 and "Behind" not in tile.state_text()
    old = dataclasses.replace(frame(), decoded_at=time.perf_counter() - 3.0, lag=0.2)
    tile.on_frame(old)
    assert tile.shown_lag() >= 3.0
    assert tile.state_text().startswith("Behind by 3 s"), tile.state_text()
    late = dataclasses.replace(frame(), decoded_at=time.perf_counter(), lag=1.1)
    tile.on_frame(late)  # decoded just now, but 1.1 s behind when decoded: not live
    assert tile.shown_lag() >= 1.1 and "Behind" in tile.state_text(), tile.state_text()
    slow = dataclasses.replace(old, decoded_at=time.perf_counter() - 1.2, period=1.0)
    tile.on_frame(slow)  # a 1 fps camera between two frames: live
    assert tile.shown_lag() < 1.0 and "Behind" not in tile.state_text()


def test_a_thread_waiting_for_the_cpu_is_told_from_one_waiting_for_the_network() -> None:
    spinning = threading.Event()

    def spin() -> None:  # in C without the GIL, as a decoder decodes
        data = os.urandom(1 << 20)
        while not spinning.is_set():
            zlib.compress(data, 9)

    busy = threading.Thread(target=spin)
    idle = threading.Thread(target=spinning.wait)
    busy.start()
    idle.start()
    try:
        assert any(runnable(busy.native_id) for _ in range(100))
        # Once asleep in its wait (a loaded machine may still be starting it), never runnable.
        assert any(not runnable(idle.native_id) for _ in range(100_000))
        assert not any(runnable(idle.native_id) for _ in range(100))
    finally:
        spinning.set()
        busy.join()
        idle.join()
