"""The video wall against real streams: a real RTSP server killed and restarted, real files,
and sockets that answer badly. The real decoder threads, the real tiles, qtbot."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QMimeData,
    QPointF,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from console.link import BackendLink
from console.main_window import MainWindow
from console.video.camera_feed import CameraFeed
from console.video.frame_dispatcher import FrameDispatcher
from console.video.frame_mailbox import Frame
from console.video.stream_decoder import DecoderTiming, StreamDecoder
from console.video.stream_status import StreamState
from console.widgets.camera_tree import CODE_ROLE, CameraTree
from console.widgets.video_tile import CAMERA_MIME, VideoTile
from console.widgets.video_wall import LAYOUTS, VideoWall
from domain.incident import Urgency
from domain.township import Camera, load_demo_township
from tests.processes import REPO, RtspServer, SilentServer, free_port
from tests.queue_data import incidents

QUICK = DecoderTiming(
    open_timeout=2.0, read_timeout=1.5, stall_after=2.0, abandon_after=6.0,
    first_retry=0.3, max_retry=1.5,
)  # fmt: skip
LOST = (StreamState.NO_SIGNAL, StreamState.RECONNECTING)


def camera(code: str, main_url: str, sub_url: str | None = None) -> Camera:
    return Camera(code, f"camera {code}", "test", "tests", 1, None, 28.9, 119.8,
                  main_url, sub_url or main_url)  # fmt: skip


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small H.264 files, made by ffmpeg: a sub (640×360) and a main (1280×720) stream."""
    out = tmp_path_factory.mktemp("clips")
    made = {}
    for name, size in (("sub", "640x360"), ("main", "1280x720")):
        path = out / f"{name}.mp4"
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size={size}:rate=25", "-t", "3", "-c:v", "libx264", "-preset",
             "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p", str(path)],
            check=True,
        )  # fmt: skip
        made[name] = path
    return made


def _tile(qtbot: QtBot, cam: Camera, timing: DecoderTiming = QUICK) -> VideoTile:
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(480, 270)
    tile.show()
    tile.show_feed(CameraFeed(cam, timing=timing), cam.name, "test")
    return tile


@pytest.fixture
def rtsp() -> Iterator[RtspServer]:
    server = RtspServer().start()
    yield server
    server.kill()


def test_a_killed_rtsp_server_shows_no_signal_and_comes_back_live_by_itself(
    qtbot: QtBot, rtsp: RtspServer, clips: dict[str, Path]
) -> None:
    live = _tile(qtbot, camera("R1", rtsp.url))
    other = _tile(qtbot, camera("F1", f"file://{clips['sub']}"))
    qtbot.waitUntil(
        lambda: live.status.state == StreamState.LIVE and live.painted > 10, timeout=10_000
    )
    assert live.frame is not None and live.frame.image.width() == 480

    rtsp.kill()
    qtbot.waitUntil(lambda: live.status.state in LOST, timeout=15_000)
    painted_before = other.painted
    qtbot.waitUntil(lambda: "No signal since" in live.state_text(), timeout=15_000)
    # the other tile plays on
    qtbot.waitUntil(lambda: other.painted > painted_before + 10, timeout=15_000)

    rtsp.start()
    qtbot.waitUntil(lambda: live.status.state == StreamState.LIVE, timeout=15_000)
    painted = live.painted
    qtbot.waitUntil(lambda: live.painted > painted + 10, timeout=15_000)
    for tile in (live, other):
        tile.show_feed(None)


@pytest.mark.parametrize(
    "kind",
    ["refused", "silent", "garbage_rtsp", "garbage_http", "bad_scheme", "no_file", "bad_port",
     "bad_ipv6", "no_host"],
)  # fmt: skip
def test_bad_sources_end_in_a_clear_state_without_a_hang(qtbot: QtBot, kind: str) -> None:
    talks = kind in ("silent", "garbage_rtsp", "garbage_http")
    server = SilentServer(garbage=kind.startswith("garbage")) if talks else None
    port = server.port if server else free_port()
    url = {
        "refused": f"rtsp://127.0.0.1:{port}/cam",
        "silent": f"rtsp://127.0.0.1:{port}/cam",
        "garbage_rtsp": f"rtsp://127.0.0.1:{port}/cam",
        "garbage_http": f"http://127.0.0.1:{port}/video.mjpg",
        "bad_scheme": "nosuchproto://camera/1",
        "no_file": "/nonexistent/camera.mp4",
        "bad_port": "rtsp://127.0.0.1:abc/cam",
        "bad_ipv6": "rtsp://[::1/cam",
        "no_host": "rtsp:///cam",
    }[kind]
    bad = kind in ("bad_scheme", "no_file", "bad_port", "bad_ipv6", "no_host")
    expected = {StreamState.BAD_URL} if bad else {StreamState.RECONNECTING, StreamState.NO_SIGNAL}
    tile = _tile(qtbot, camera("B1", url))
    qtbot.waitUntil(lambda: tile.status.state in expected, timeout=8_000)
    text = tile.state_text()
    assert text and "Live" not in text
    assert "Bad address" in text if bad else "No signal" in text
    if bad:  # named once, and asked again only after a minute (a camera reconfigured)
        assert tile.status.retry_at is not None
        assert tile.status.retry_at - time.monotonic() > QUICK.recheck_after - 10
    assert tile.frame is None and tile.painted == 0
    tile.show_feed(None)  # stopping does not wait for the decoder (bench/video_wall.py stalls)
    assert tile.status.state == StreamState.IDLE
    if server:
        assert server.accepted >= 1, "the decoder did knock"
        server.close()


def test_a_channel_the_server_does_not_have_is_named_and_not_hammered(
    qtbot: QtBot, rtsp: RtspServer
) -> None:
    tile = _tile(qtbot, camera("N1", rtsp.url.replace("/cam", "/no-such-channel")))
    qtbot.waitUntil(lambda: tile.status.state == StreamState.NOT_FOUND, timeout=10_000)
    assert "No such channel" in tile.state_text()
    assert tile.status.retry_at is not None
    assert tile.status.retry_at - time.monotonic() > QUICK.recheck_after - 10
    tile.show_feed(None)


def test_a_small_tile_on_a_large_picture_decodes_without_deblocking(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    small = _tile(qtbot, camera("D1", f"file://{clips['main']}"))  # 480×270 of 1280×720
    near = _tile(qtbot, camera("D2", f"file://{clips['sub']}"))  # 480×270 of 640×360
    for tile in (small, near):
        qtbot.waitUntil(lambda t=tile: t.painted > 5, timeout=10_000)  # type: ignore[misc]
    assert small.feed is not None and small.feed.decoder.light
    assert near.feed is not None and not near.feed.decoder.light
    near.show_feed(None)
    # Maximised on the same stream (a camera without a sub stream): deblocked again from the
    # next key frame, without a new connection and without a gap.
    decoder, painted = small.feed.decoder, small.painted
    small.resize(1280, 720)
    qtbot.waitUntil(lambda: not decoder.light and small.painted > painted + 30, timeout=15_000)
    assert small.feed.decoder is decoder
    small.show_feed(None)


def test_a_main_stream_that_cannot_be_had_leaves_the_tile_on_its_sub_stream_for_a_while(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    tile = _tile(qtbot, camera("M1", "/nonexistent/main.mp4", f"file://{clips['sub']}"))
    assert tile.feed is not None
    qtbot.waitUntil(lambda: tile.painted > 3, timeout=10_000)
    tile.resize(1280, 720)  # large: the main stream is wanted, and fails
    qtbot.waitUntil(lambda: tile.feed is not None and not tile.feed.main, timeout=10_000)
    for _ in range(3):
        tile.feed.check()  # not asked again at once, nor taken for a shortage of CPU
    assert not tile.feed.main and not tile.feed.reduced
    assert tile.feed.decoder.url == f"file://{clips['sub']}"
    painted = tile.painted
    qtbot.waitUntil(lambda: tile.painted > painted + 5, timeout=10_000)
    assert "the main stream is not available" in tile.state_text(), "the small picture, said"
    tile.show_feed(None)


def test_frames_the_gui_has_no_time_for_are_not_converted_yet_the_newest_still_comes(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    """A GUI that never takes a frame: the decoder converts about every other one (each
    replacing one at most two frames old), not every one."""
    decoder = StreamDecoder(f"file://{clips['main']}", timing=QUICK, on_frame=lambda d: None)
    decoder.start()
    qtbot.waitUntil(lambda: decoder.frames_decoded >= 40, timeout=15_000)
    first = decoder.mailbox.take()
    qtbot.waitUntil(lambda: decoder.frames_decoded >= 80, timeout=15_000)
    newest = decoder.mailbox.take()
    decoder.stop()
    assert first is not None and newest is not None and newest.number > first.number + 30
    converted = decoder.frames_decoded - decoder.unconverted
    assert decoder.unconverted >= 20 and converted >= 10, (decoder.unconverted, converted)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/cam", "/bframes"])
def test_a_paused_server_shows_its_lag_and_the_tile_catches_up_to_live(
    qtbot: QtBot, rtsp: RtspServer, path: str
) -> None:
    """The server stopped for 3 s, then sending its backlog: while the picture stands still the
    tile says how far behind it is (never 实时), and once the backlog comes it goes on from its
    newest key frame and is live again. With B-frames too: frames the decoder held back for
    reordering come out after the skip and must not carry the new packet's small lag."""
    timing = dataclasses.replace(QUICK, read_timeout=20.0, abandon_after=30.0)
    tile = _tile(qtbot, camera("L1", rtsp.url.replace("/cam", path)), timing=timing)
    assert tile.feed is not None and rtsp.process is not None
    seen: list[tuple[StreamState, float, str]] = []
    tile.feed.status.connect(lambda st: seen.append((st.state, st.lag, tile.state_text())))
    posted = _record_posted(tile.feed.decoder)
    qtbot.waitUntil(lambda: tile.status.state == StreamState.LIVE and tile.painted > 10,
                    timeout=10_000)  # fmt: skip
    live = len(posted)
    os.kill(rtsp.process.pid, signal.SIGSTOP)
    qtbot.waitUntil(lambda: "Behind by" in tile.state_text(), timeout=10_000)
    assert "Live" not in tile.state_text()
    stopped = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - stopped > 2.0, timeout=10_000)
    os.kill(rtsp.process.pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: tile.feed.decoder.skipped > 0, timeout=10_000)  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: tile.status.state == StreamState.LIVE and tile.status.lag < 0.5, timeout=10_000
    )
    behind = [text for state, lag, text in seen if state == StreamState.LIVE and lag >= 1.0]
    assert all("Behind by" in t and "Live" not in t for t in behind), seen
    qtbot.waitUntil(lambda: "Live" in tile.state_text(), timeout=10_000)
    assert tile.shown_fps() <= 25.5, "a burst of catching up is not a faster camera"
    more = len(posted) + 25
    qtbot.waitUntil(lambda: len(posted) >= more, timeout=10_000)  # a second of live video
    tile.show_feed(None)
    # Each frame's lag against its own timestamp: the stream's offset from our clock while it
    # was live, then how much later than that each frame was handed over.
    stamped = [(at, f) for at, f in posted if f.stamp is not None]
    floor = min(at - f.stamp for at, f in stamped[:live] if f.stamp is not None)
    understated = [
        (round(f.lag, 2), round(at - floor - f.stamp, 2))
        for at, f in stamped[live:]
        if f.stamp is not None and at - floor - f.stamp > f.lag + 0.5
    ]
    assert not understated, "(lag the frame carried, its age by its timestamp)"


def _record_posted(decoder: StreamDecoder) -> list[tuple[float, Frame]]:
    """Every frame the decoder hands over, with when (monotonic): the test's own view."""
    posted: list[tuple[float, Frame]] = []
    put = decoder.mailbox.put

    def recording(frame: Frame) -> bool:
        posted.append((time.monotonic(), frame))
        return put(frame)

    decoder.mailbox.put = recording  # type: ignore[method-assign]
    return posted


@pytest.mark.parametrize(("late", "said"), [(2.0, "Behind by 2"), (3600.0, "Live")])
def test_a_stream_late_by_its_cameras_clock_says_so_and_a_clock_far_off_is_not_lag(
    qtbot: QtBot, late: float, said: str
) -> None:
    """The RTCP sender reports put the camera's clock 2 s behind ours: the stream was late from
    its first packet (a relay passing it on late), which arrival alone cannot see; the tile
    says so. An hour behind: the camera's clock is wrong, not the stream late."""
    server = RtspServer(skew=late).start()
    try:
        tile = _tile(qtbot, camera("S1", server.url))
        assert tile.feed is not None
        decoder = tile.feed.decoder
        qtbot.waitUntil(
            lambda: decoder.ahead is not None and decoder.ahead.clock.sender_gap is not None,
            timeout=15_000,
        )
        assert decoder.ahead is not None and decoder.ahead.clock.sender_gap is not None
        assert late - 0.1 < decoder.ahead.clock.sender_gap < late + 0.5
        painted = tile.painted
        qtbot.waitUntil(lambda: tile.painted > painted + 25, timeout=10_000)
        qtbot.waitUntil(lambda: said in tile.state_text(), timeout=10_000)
        assert ("Live" in tile.state_text()) == (said == "Live")
        tile.show_feed(None)
    finally:
        server.kill()


def test_an_mjpeg_camera_over_http_at_its_own_rate_is_live_not_behind(qtbot: QtBot) -> None:
    """A cheap camera's MJPEG over HTTP at 10 frames a second: FFmpeg numbers its frames as if
    25 came a second, so by those numbers it fell 0.6 s further behind every second, and the
    tile skipped every frame and said 无信号. Its timestamps are not the camera's: no lag is
    read from them."""
    port = free_port()
    camera_process = subprocess.Popen(
        ["ffmpeg", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
         "testsrc2=size=320x180:rate=10", "-t", "60", "-c:v", "mjpeg", "-q:v", "8",
         "-f", "mpjpeg", "-listen", "1", f"http://127.0.0.1:{port}/cam.mjpg"],
    )  # fmt: skip
    try:
        timing = dataclasses.replace(QUICK, open_timeout=10.0)
        tile = _tile(qtbot, camera("M1", f"http://127.0.0.1:{port}/cam.mjpg"), timing=timing)
        assert tile.feed is not None
        qtbot.waitUntil(lambda: tile.painted >= 40, timeout=30_000)  # 4 s of the camera's
        assert tile.feed.decoder.skipped <= 3  # what came together on connecting, at most
        assert tile.status.state == StreamState.LIVE and "Live" in tile.state_text()
        assert tile.shown_fps() <= 10.5
        tile.show_feed(None)
    finally:
        camera_process.kill()
        camera_process.wait()


@pytest.mark.slow
def test_a_waiting_decoder_is_left_alone_and_its_back_off_reaches_the_cap(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A camera that hangs up at once, a back-off cap longer than the watchdog's patience: the
    decoder waits between tries without being "replaced", and the tries thin out to the cap."""
    server = SilentServer(hang_up=True)
    timing = DecoderTiming(open_timeout=2, read_timeout=2, stall_after=1, abandon_after=2,
                           first_retry=0.25, max_retry=4.0)  # fmt: skip
    tile = _tile(qtbot, camera("W1", f"rtsp://127.0.0.1:{server.port}/cam"), timing=timing)
    assert tile.feed is not None
    watchdog = QTimer()
    watchdog.timeout.connect(tile.feed.check)
    watchdog.start(250)
    qtbot.waitUntil(lambda: len(server.knocks) >= 7, timeout=60_000)
    watchdog.stop()
    gaps = [b - a for a, b in zip(server.knocks, server.knocks[1:], strict=False)]
    assert tile.feed.decoder.abandoned == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert gaps[-1] >= timing.max_retry / 2, gaps  # full jitter, never below half the cap
    assert "No signal" in tile.state_text()
    tile.show_feed(None)
    server.close()


def test_a_decoder_stuck_in_a_native_call_is_replaced_not_waited_for(qtbot: QtBot) -> None:
    """A server that accepts and never answers, with an open timeout longer than the watchdog's
    patience: the thread sits inside av.open; the watchdog gives up on it and starts another."""
    server = SilentServer()
    stuck = DecoderTiming(open_timeout=30, read_timeout=30, stall_after=1, abandon_after=2)
    tile = _tile(qtbot, camera("S1", f"rtsp://127.0.0.1:{server.port}/cam"), timing=stuck)
    assert tile.feed is not None
    qtbot.waitUntil(lambda: (tile.feed.check() or tile.feed.decoder.abandoned) >= 1, timeout=6_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: server.accepted >= 2, timeout=3_000)  # the replacement knocks again
    tile.show_feed(None)  # not waiting for the stuck thread (bench/video_wall.py stalls)
    assert tile.status.state == StreamState.IDLE
    server.close()


def test_a_hidden_tile_decodes_nothing_and_is_live_at_once_when_shown(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    tile = _tile(qtbot, camera("H1", f"file://{clips['sub']}"))
    qtbot.waitUntil(lambda: tile.painted > 5, timeout=5_000)
    assert tile.feed is not None
    decoder = tile.feed.decoder
    for _ in range(3):
        tile.feed.set_visible(False)
        qtbot.wait(100)
        decoded, painted = decoder.frames_decoded, tile.painted
        qtbot.wait(1700)  # past the next key frame (one a second)
        assert tile.painted == painted, "nothing shown"
        assert decoder.frames_decoded - decoded == 0, "nothing decoded"
        assert tile.status.state == StreamState.HIDDEN
        tile.feed.set_visible(True)
        qtbot.waitUntil(lambda p=painted: tile.painted > p, timeout=15_000)  # type: ignore[misc]
        # The held GOP is decoded in one burst, with no wait for the next key frame: how long
        # that takes is measured by `bench/video_wall.py recovery`, not asserted here.
        qtbot.waitUntil(lambda p=painted: tile.painted > p + 10, timeout=3_000)  # type: ignore[misc]
    tile.show_feed(None)


def _connections_to(port: int) -> int:
    """Established TCP connections to `port` on 127.0.0.1 (any process on this machine)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        remote, state = fields[2], fields[3]
        if state == "01" and int(remote.split(":")[1], 16) == port:
            count += 1
    return count


@pytest.mark.slow
def test_a_tile_hidden_for_long_lets_its_stream_go_and_reconnects_when_shown(
    qtbot: QtBot, rtsp: RtspServer
) -> None:
    timing = dataclasses.replace(QUICK, release_hidden_after=1.0, abandon_after=2.0)
    tile = _tile(qtbot, camera("L1", rtsp.url), timing)
    qtbot.waitUntil(lambda: tile.painted > 3, timeout=10_000)
    assert _connections_to(rtsp.port) == 1
    assert tile.feed is not None
    tile.feed.set_visible(False)
    qtbot.waitUntil(lambda: _connections_to(rtsp.port) == 0, timeout=5_000)
    assert tile.status.state == StreamState.HIDDEN
    for _ in range(6):  # the watchdog must not take the waiting decoder for a stuck one
        qtbot.wait(500)
        tile.feed.check()
    assert tile.feed.decoder.abandoned == 0
    painted = tile.painted
    tile.feed.set_visible(True)
    qtbot.waitUntil(lambda: tile.painted > painted + 3, timeout=5_000)
    assert _connections_to(rtsp.port) == 1
    tile.show_feed(None)


def test_every_layout_covers_its_grid_once() -> None:
    for name, (n, spans) in LAYOUTS.items():
        cells = [
            (r + i, c + j) for r, c, rows, cols in spans for i in range(rows) for j in range(cols)
        ]
        assert sorted(cells) == [(r, c) for r in range(n) for c in range(n)], name
    assert {name: len(spans) for name, (_n, spans) in LAYOUTS.items()} == {
        "1": 1, "2x2": 4, "3x3": 9, "4x4": 16, "5x5": 25, "1+5": 6, "1+7": 8, "1+12": 13,
    }  # fmt: skip


def _maximised(wall: VideoWall) -> VideoTile | None:
    return wall.maximised


def test_maximised_the_tile_moves_to_the_main_stream_without_a_gap(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    cams = [camera(f"M{k}", f"file://{clips['main']}", f"file://{clips['sub']}") for k in range(4)]
    wall = VideoWall("2x2", timing=QUICK)
    qtbot.addWidget(wall)
    wall.resize(1800, 1000)
    wall.show()
    wall.cameras = cams
    wall._fill()
    first = wall.tiles[0]
    qtbot.waitUntil(lambda: all(t.painted > 3 for t in wall.tiles), timeout=8_000)
    assert first.feed is not None and not first.feed.main
    assert first.frame is not None and first.frame.image.width() <= 900

    QTest.mouseDClick(first, Qt.MouseButton.LeftButton)
    assert wall.maximised is first and all(t.isHidden() for t in wall.tiles[1:])
    qtbot.waitUntil(
        lambda: first.feed is not None and first.feed.decoder.url.endswith("main.mp4"),
        timeout=5_000,
    )
    assert first.frame is not None and first.frame.image.width() > 960, "the main stream's picture"

    QTest.mouseDClick(first, Qt.MouseButton.LeftButton)
    assert _maximised(wall) is None and all(t.isVisible() for t in wall.tiles)
    wall.stop()


def test_a_tile_resized_back_before_the_main_stream_came_stays_on_its_sub_stream(
    qtbot: QtBot, clips: dict[str, Path]
) -> None:
    server = SilentServer()  # the main stream: accepts, never answers
    tile = _tile(
        qtbot, camera("B1", f"rtsp://127.0.0.1:{server.port}/main", f"file://{clips['sub']}")
    )
    feed = tile.feed
    assert feed is not None
    qtbot.waitUntil(lambda: tile.painted > 3, timeout=8_000)
    tile.resize(1280, 720)
    qtbot.waitUntil(lambda: server.accepted >= 1, timeout=5_000)  # the main stream is asked for
    assert "main stream" not in tile.state_text(), "not yet: it is being asked for"
    tile.resize(480, 270)  # before its first frame
    assert feed._next is None and not feed.main, "the main stream is no longer wanted"
    painted = tile.painted
    qtbot.waitUntil(lambda: tile.painted > painted + 10, timeout=8_000)
    assert feed.decoder.url.endswith("sub.mp4")
    tile.show_feed(None)


def test_the_dispatcher_wakes_the_gui_once_for_all_waiting_frames(qtbot: QtBot) -> None:
    dispatcher = FrameDispatcher()
    handled: list[int] = []
    sources = list(range(24))
    for s in sources:
        dispatcher.register(s, functools.partial(handled.append, s))

    def mark_many(source: int) -> None:
        for _ in range(50):
            dispatcher.mark(source)

    threads = [threading.Thread(target=mark_many, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    qtbot.waitUntil(lambda: set(handled) == set(sources), timeout=2_000)
    qtbot.wait(50)
    assert dispatcher.wakeups < 24 * 50 / 10, "wake-ups batched, not one per mark"
    assert max(handled.count(s) for s in sources) <= dispatcher.wakeups, "once per wake-up"
    dispatcher.unregister(0)
    before, ones = handled.count(0), handled.count(1)
    dispatcher.mark(0)
    dispatcher.mark(1)  # drained in the same wake-up as 0 would be
    qtbot.waitUntil(lambda: handled.count(1) > ones, timeout=15_000)
    assert handled.count(0) == before, "an unregistered source is not called"


def _still_wall(qtbot: QtBot, n: int = 12, layout: str = "2x2") -> VideoWall:
    """A wall whose cameras are files that do not exist: tiles settle at once ("bad address"),
    which is all the tests of placing cameras need."""
    wall = VideoWall(layout, timing=QUICK)
    qtbot.addWidget(wall)
    wall.resize(800, 450)
    wall.show()
    wall.cameras = [camera(f"C{k:02d}", f"/nonexistent/{k}.mp4") for k in range(n)]
    wall._fill()
    return wall


def _codes(wall: VideoWall) -> list[str | None]:
    return [t.feed.camera.code if t.feed else None for t in wall.tiles]


def test_an_alarm_takes_the_first_tiles_until_acknowledged_and_pauses_the_tour(
    qtbot: QtBot,
) -> None:
    wall = _still_wall(qtbot)
    wall.start_tour(wall.cameras, period_s=0.05)
    qtbot.waitUntil(lambda: wall.tour_step >= 2, timeout=2_000)
    before = _codes(wall)
    alarm_cams = [wall.cameras[9], wall.cameras[10]]
    wall.raise_alarm("SJ000123 矛盾纠纷", alarm_cams)
    assert _codes(wall)[:2] == ["C09", "C10"] and _codes(wall)[2:] == before[2:]
    assert all(t.alarm == "SJ000123 矛盾纠纷" for t in wall.tiles[:2]) and not wall.tiles[2].alarm
    assert wall.ack_button.isVisible() and wall.tour_paused()
    step = wall.tour_step
    qtbot.wait(300)
    assert wall.tour_step == step, "no tour while an alarm waits"
    wall.raise_alarm("SJ000124 防汛隐患", [wall.cameras[11]])  # a second, with fewer cameras
    assert _codes(wall)[0] == "C11" and _codes(wall)[1:] == before[1:], "the rest come back"
    assert wall.tiles[0].alarm == "SJ000124 防汛隐患" and not wall.tiles[1].alarm
    wall.acknowledge_alarm()
    assert _codes(wall) == before and not any(t.alarm for t in wall.tiles)
    assert not wall.ack_button.isVisible()
    qtbot.waitUntil(lambda: wall.tour_step > step, timeout=2_000)
    wall.stop()


def test_a_dropped_camera_stays_while_the_other_tiles_tour(qtbot: QtBot) -> None:
    wall = _still_wall(qtbot)
    tile = wall.tiles[1]
    data = QMimeData()
    data.setData(CAMERA_MIME, b"C11")
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    tile.dropEvent(drop)
    assert _codes(wall)[1] == "C11" and 1 in wall.fixed
    assert wall.tour_paused(), "an operator's action pauses the tour"
    wall._tour_paused_until = 0  # thirty seconds on
    wall.start_tour(wall.cameras, period_s=0.05)
    qtbot.waitUntil(lambda: wall.tour_step >= 3, timeout=2_000)
    assert _codes(wall)[1] == "C11", "the fixed tile keeps its camera"
    seen: set[str | None] = set()
    for _ in range(6):
        seen.update(c for k, c in enumerate(_codes(wall)) if k != 1)
        qtbot.wait(60)
    assert len(seen) > 3, "the touring tiles move on"
    wall.stop()


def test_the_keyboard_moves_between_tiles_and_maximises(qtbot: QtBot) -> None:
    wall = _still_wall(qtbot, layout="1+5")
    wall.setFocus()
    assert wall.current == 0
    QTest.keyClick(wall, Qt.Key.Key_Right)
    assert wall.current == 1 and wall.tiles[1].current and not wall.tiles[0].current
    QTest.keyClick(wall, Qt.Key.Key_Down)
    assert wall.current == 2
    QTest.keyClick(wall, Qt.Key.Key_Left)  # into the big tile, which spans two rows
    assert wall.current == 0
    QTest.keyClick(wall, Qt.Key.Key_Return)
    assert wall.maximised is wall.tiles[0]
    QTest.keyClick(wall, Qt.Key.Key_Escape)
    assert _maximised(wall) is None
    wall.stop()


def test_the_camera_tree_groups_searches_and_drags_a_camera_code(qtbot: QtBot) -> None:
    township = load_demo_township()
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.set_township(township)
    assert sorted(tree.visible_codes()) == sorted(township.cameras)
    groups = {tree.tree.topLevelItem(k).text(0) for k in range(tree.tree.topLevelItemCount())}  # type: ignore[union-attr]
    tree.grouping.setCurrentIndex(2)  # by phase
    phases = {tree.tree.topLevelItem(k).text(0) for k in range(tree.tree.topLevelItemCount())}  # type: ignore[union-attr]
    assert len(phases) == len({c.phase for c in township.cameras.values()}) and phases != groups
    some = next(iter(township.cameras.values()))
    tree.search.setText(some.name)
    assert some.code in tree.visible_codes() and len(tree.visible_codes()) < len(township.cameras)
    group = tree.tree.topLevelItem(0)
    assert group is not None
    children = [c for c in (group.child(k) for k in range(group.childCount())) if c is not None]
    item = next(c for c in children if c.data(0, CODE_ROLE) == some.code)
    mime = tree.tree.mimeData([item])
    assert bytes(mime.data(CAMERA_MIME).data()) == some.code.encode()
    activated: list[str] = []
    tree.camera_activated.connect(activated.append)
    tree.tree.itemActivated.emit(item, 0)
    assert activated == [some.code]


def test_a_named_layout_comes_back_with_its_cameras(
    qtbot: QtBot, settings_of_this_test: None
) -> None:
    wall = _still_wall(qtbot, layout="1+5")
    wall._on_camera_dropped(wall.tiles[0], "C07")
    wall._on_camera_dropped(wall.tiles[3], "C11")
    wall.save_named("防汛")
    wall.set_layout("4x4")
    wall.fixed.clear()
    wall._fill()
    assert wall.layout_name == "4x4" and _codes(wall)[0] == "C00"
    assert wall.named_layouts() == ["防汛"]
    assert wall.restore_named("防汛")
    assert wall.layout_name == "1+5" and len(wall.tiles) == 6
    assert _codes(wall)[0] == "C07" and _codes(wall)[3] == "C11" and wall.fixed == {0, 3}
    assert not wall.restore_named("no such layout")
    wall.stop()


SCREENS = {
    "synchronousWindowSystemEvents": False,
    "windowFrameMargins": False,
    "screens": [
        {"name": f"wall-{k}", "x": 1920 * k, "y": 0, "width": 1920, "height": 1080,
         "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}
        for k in range(4)
    ],
}  # fmt: skip

WALL_ON_TWO_SCREENS = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from console.link import BackendLink
from console.main_window import MainWindow
from domain.township import load_demo_township
window = MainWindow(BackendLink(), mode="wall", video_url_of=lambda c, m: "/nonexistent.mp4")
window.show()
window.show_extra_walls(False)
window.on_township_received(load_demo_township())
app.processEvents()
print(json.dumps({
    "screens": [s.name() for s in app.screens()],
    "main": [window.screen().name(), window.video_wall.tiles[0].feed.camera.code,
             len(window.video_wall.tiles)],
    "extra": [[w.screen().name(), w.geometry().x(), w.isVisible(), w.tiles[0].feed.camera.code]
              for w in window.extra_walls],
    "dashboards": [[w.screen().name(), w.isVisible(), len(w.charts)] for w in window.dashboards],
    "maps": [[m.screen().name(), m.isVisible(), len(m.map.layers.grids)]
             for m in window.maps.screens],
}))
window.stop_video()
"""


def test_a_wall_on_four_screens_gives_one_to_the_map_one_to_the_charts_one_to_more_cameras(
    tmp_path: Path,
) -> None:
    """Real further screens: Qt's offscreen platform made to have four. By config.json's
    `wall_screens`, the second shows the township map (一张图), the third every indicator
    chart, the fourth the next cameras."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    out = subprocess.run(
        [sys.executable, "-c", WALL_ON_TWO_SCREENS], env=env, cwd=REPO,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    assert shown["screens"] == ["wall-0", "wall-1", "wall-2", "wall-3"]
    ordered = sorted(load_demo_township().cameras.values(), key=lambda c: (c.phase, c.code))
    screen, first, tiles = shown["main"]
    assert screen == "wall-0" and first == ordered[0].code and tiles == 9
    assert shown["maps"] == [["wall-1", True, len(load_demo_township().grids)]]
    assert shown["dashboards"] == [["wall-2", True, 9]]
    assert shown["extra"] == [["wall-3", 5760, True, ordered[9].code]]


def _cells_covered_once(wall: VideoWall) -> bool:
    n = wall.grid_n
    cells = [(r + i, c + j) for r, c, rs, cs in wall.spans for i in range(rs) for j in range(cs)]
    return sorted(cells) == [(r, c) for r in range(n) for c in range(n)]


def test_tiles_merge_into_rectangles_and_split_back(
    qtbot: QtBot, settings_of_this_test: None
) -> None:
    wall = _still_wall(qtbot, layout="3x3")
    kept = wall.tiles[0]
    wall._on_camera_dropped(kept, "C05")
    assert wall.merge(0, "right") and wall.spans[0] == (0, 0, 1, 2) and len(wall.tiles) == 8
    assert wall.merge(0, "below") and wall.spans[0] == (0, 0, 2, 2) and len(wall.tiles) == 6
    assert wall.tiles[0] is kept and _codes(wall)[0] == "C05", "the merged tile keeps its camera"
    assert wall.layout_name == "custom" and _cells_covered_once(wall)
    assert not wall.merge(2, "right"), "nothing to the right of the last column"
    # a merge whose rectangle would cut through another tile is refused
    wall.set_layout("3x3")
    assert wall.merge(4, "below") and wall.spans[4] == (1, 1, 2, 1)
    assert wall.merge(0, "right") and wall.spans[0] == (0, 0, 1, 2)
    before = list(wall.spans)
    assert not wall.merge(0, "below") and wall.spans == before
    assert wall.split(0) and len(wall.tiles) == 8 and _cells_covered_once(wall)
    assert not wall.split(0), "a single tile does not split"

    custom = list(wall.spans)
    wall.save_named("自定义")
    wall.set_layout("2x2")
    assert wall.restore_named("自定义") and wall.spans == custom
    overlapping = {
        "layout": "custom",
        "n": 2,
        "spans": [[0, 0, 2, 2], [0, 0, 1, 1]],
        "cameras": [],
    }
    QSettings().setValue(f"{VideoWall.SETTINGS_GROUP}/damaged", json.dumps(overlapping))
    assert not wall.restore_named("damaged") and wall.spans == custom
    wall.stop()


def test_a_waiting_alarm_is_not_replaced_by_every_new_urgent_case(qtbot: QtBot) -> None:
    """In a burst, each batch has urgent cases: the alarm tiles must not switch every batch.
    A waiting alarm gives way only to a more urgent case; a supervisor's request always wins."""
    window = MainWindow(BackendLink(), mode="wall", video_url_of=lambda c, m: "/nonexistent.mp4")
    qtbot.addWidget(window)
    window.on_township_received(load_demo_township())
    window.on_snapshot_received([], 0)
    urgent, other_urgent, very_urgent, asked = (
        dataclasses.replace(i, urgency=u)
        for i, u in zip(
            incidents(4, seed=9),
            (Urgency.URGENT, Urgency.URGENT, Urgency.VERY_URGENT, Urgency.NORMAL),
            strict=True,
        )
    )
    wall = window.video_wall
    window.on_incidents_updated([urgent])
    assert wall.alarm_label.startswith(urgent.display_number)
    window.on_incidents_updated([other_urgent])
    assert wall.alarm_label.startswith(urgent.display_number), "as urgent: it waits in the bar"
    window.on_incidents_updated([very_urgent])
    assert wall.alarm_label.startswith(very_urgent.display_number), "more urgent: it takes over"
    window.detail.open_cameras.emit(asked)  # a supervisor's "open on the video wall"
    assert wall.alarm_label.startswith(asked.display_number)
    window.on_incidents_updated([dataclasses.replace(very_urgent, id="x", number=99)])
    assert wall.alarm_label.startswith(asked.display_number), "what was asked for stays"
    window.queue.alert.acknowledge()
    assert wall.alarm_label == ""
    window.on_incidents_updated([dataclasses.replace(urgent, id="y", number=100)])
    assert wall.alarm_label.startswith("SJ000100"), "after acknowledgement, the next one shows"
    window.stop_video()
