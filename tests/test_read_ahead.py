"""Reading a live stream ahead of a decoder that cannot keep up, on a simulated camera and a
simulated clock: the picture on screen stays as young as the CPU allows, skips land on key
frames, and a lag that is not ours is left alone. Nothing here reads the wall clock: `Time` is
the simulation's own, moved by the simulated camera and decoder, so every figure is exact and
the same on any machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import pytest

from console.video.read_ahead import MOST_AHEAD, ReadAhead

FPS = 25


@dataclass
class Packet:
    pts: int
    is_keyframe: bool
    size: int = 1000
    dts: int | None = None
    time_base: Fraction = Fraction(1, FPS)


class Time:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def camera(time: Time, gop: int, late: dict[int, float] | None = None) -> Iterator[Packet]:
    """A packet every frame from t = 100 s, a key frame every `gop`; `late`: from frame n on,
    each packet comes that many seconds later (a recorder that fell behind). Reading waits for
    the packet that has not come yet."""
    late = late or {}
    extra, i = 0.0, 0
    while True:
        extra = late.get(i, extra)
        time.t = max(time.t, 100.0 + i / FPS + extra)
        yield Packet(i, i % gop == 0)
        i += 1


@dataclass
class Run:
    oldest_picture: float = 0.0
    """Simulated seconds: the age of the oldest picture shown, by the simulation's clock."""
    decoded: int = 0
    frames: int = 0
    skipped: int = 0
    lags: list[float] | None = None
    stamps: list[int] | None = None
    """The frame number of each packet given to the decoder, beside its lag in `lags`."""


def decode(
    speed: float, seconds: float, gop: int = 50, late: dict[int, float] | None = None
) -> tuple[Run, ReadAhead]:
    """A decoder taking 1 / (FPS * speed) s a frame; the age of the picture on screen is taken
    just before each new one replaces it (after the first four GOPs)."""
    time = Time()
    ahead = ReadAhead(camera(time, gop, late), after=0.3, frame=1 / FPS, monotonic=time)
    run, shown, need_key, lags, stamps = Run(), None, False, [], []
    for packet in ahead:
        if packet.pts >= seconds * FPS:
            break
        run.frames = packet.pts + 1
        lags.append(ahead.lag_now(time.t))
        stamps.append(packet.pts)
        if ahead.catch_up(time.t):
            need_key = True
            continue
        assert not need_key or packet.is_keyframe, "a skip goes on from a key frame"
        need_key = False
        time.t += 1 / (FPS * speed)
        if shown is not None and packet.pts > 4 * gop:
            run.oldest_picture = max(run.oldest_picture, time.t - 100.0 - shown / FPS)
        shown = packet.pts
        run.decoded += 1
    run.skipped, run.lags, run.stamps = ahead.skipped, lags, stamps
    return run, ahead


def test_a_decoder_short_of_cpu_keeps_the_picture_as_young_as_it_can() -> None:
    """At 55 % of real time with 2 s GOPs: the oldest picture shown is (1 - 0.55) of a GOP
    (0.9 s) and a few frames' decoding, and the frames decoded are the CPU's share. Skipping once
    0.6 s behind until the next key frame came, as before, left pictures 1.35 s old here and
    decoded 38 % of the frames."""
    run, _ = decode(speed=0.55, seconds=60)
    assert run.oldest_picture < 0.9 + 3 * 0.073, run.oldest_picture
    assert run.decoded / run.frames > 0.5, run.decoded / run.frames


def test_a_decoder_that_keeps_up_skips_nothing() -> None:
    run, ahead = decode(speed=1.3, seconds=60)
    assert run.skipped == 0 and run.decoded == run.frames
    assert ahead.upstream == 0.0 and max(run.lags or [0]) < 0.05


def test_a_backlog_after_a_pause_is_skipped_to_the_newest_key_frame_then_decoded_to_live() -> None:
    """The server stopped for 3 s and then sent what it held at once."""
    held = {i: 3.0 - (i - 250) / FPS for i in range(250, 325)}  # frames 250-324 come at 13 s
    held[325] = 0.0
    run, _ = decode(speed=1.5, seconds=30, late=held)
    assert run.skipped > 0, "skipped to a key frame, not decoded frame by frame"
    assert max(run.lags or []) > 2.0
    live_again = next(i for i, lag in enumerate(run.lags or []) if i > 250 and lag < 0.1)
    assert live_again - 250 < 5 * FPS, "live again within 2 s of the backlog"


def test_a_lag_upstream_is_not_ours_and_frames_are_kept() -> None:
    """A recorder 2 s behind from frame 200 on, sending at the camera's pace: nothing waits in
    buffers, so skipping would only lose frames."""
    run, ahead = decode(speed=1.3, seconds=60, late={200: 2.0})
    assert ahead.upstream >= 1.9
    assert run.skipped == 0, run.skipped
    assert min((run.lags or [])[300:]) >= 1.9, "and the tile still says how far behind it is"


def test_a_recorder_that_sends_its_backlog_at_last_is_caught_up_by_skipping() -> None:
    """A recorder 4 s late from frame 200 (taken for upstream: nothing waits in buffers), which
    at frame 700 sends what it held at once: the decoder looks again, skips to the newest key
    frame and is live within a second (it decoded on, frame by frame, for 37 s before)."""
    late = {200: 4.0} | {i: 4.0 - (i - 700) / FPS for i in range(700, 800)} | {800: 0.0}
    run, _ = decode(speed=1.1, seconds=60, late=late)
    assert run.skipped > 0
    lags = list(zip(run.stamps or [], run.lags or [], strict=True))
    assert all(lag >= 3.5 for n, lag in lags if 300 <= n < 650), "said 4 s behind meanwhile"
    # Live a second after: the key frame at 800 is decoded 0.125 s behind (simulated), and a
    # decoder at 110 % closes 25 * (1/25 - 1/27.5) = 0.09 s of that a second; then it stays live.
    after = [lag for n, lag in lags if n >= 800 + FPS]
    assert max(after) == pytest.approx(0.125 - 0.092, abs=0.002), "the most left a second after"
    assert after[-1] == pytest.approx(0.0, abs=0.001), "and live from then on"


def test_a_stream_of_key_frames_only_shows_the_newest() -> None:
    """MJPEG: every frame is a key frame; a decoder at half speed shows the newest each time."""
    run, _ = decode(speed=0.5, seconds=30, gop=1)
    assert run.oldest_picture < 0.3 + 2 * 0.08 + 0.02 and run.skipped > 0


def test_key_frames_only_from_a_recorder_2_s_late_are_all_decoded() -> None:
    """Every frame a key frame (MJPEG or all-intra over RTSP) through a recorder 2 s late: the
    newest key frame that has come is as late as the one in hand, so a skip would gain nothing
    and lose every frame (the decoder skipped each one as it came and showed nothing)."""
    run, ahead = decode(speed=1.3, seconds=30, gop=1, late={100: 2.0})
    assert ahead.upstream >= 1.9
    assert run.decoded == run.frames and run.skipped == 0, (run.decoded, run.skipped)


def test_a_long_backlog_is_read_ahead_a_bounded_amount_at_a_time() -> None:
    """A decoder that stood still for 100 s (2,500 packets waiting) reads at most MOST_AHEAD
    in one go, goes on from the newest key frame among them, and reaches live after."""
    time = Time()
    ahead = ReadAhead(camera(time, 50), after=0.3, frame=1 / FPS, monotonic=time)
    jumps = []
    for packet in ahead:
        if packet.pts == 100:
            time.t += 100.0
        if skipped := ahead.catch_up(time.t):
            jumps.append(skipped - 1 + len(ahead._queue))
        if packet.pts > 100 and ahead.lag_now(time.t) < 0.1:
            break
        time.t += 0.001  # a fast decoder
    assert jumps[0] == MOST_AHEAD, "the first read stopped at the bound"
    assert max(jumps) <= MOST_AHEAD


def test_one_slow_read_of_a_buffered_packet_is_not_taken_for_a_lag_upstream() -> None:
    """With many decoder threads, taking the GIL back after a read can take longer than half a
    frame although the packet was waiting: the backlog is still ours (94 false verdicts in 20 s
    on the wall with both cores busy, when one slow read was enough)."""
    time = Time()
    packets = camera(time, 50)

    def slow_once() -> Iterator[Packet]:
        for packet in packets:
            if packet.pts == 61:
                time.t += 0.03  # the read took 30 ms: the GIL, not the camera
            yield packet

    ahead = ReadAhead(slow_once(), after=0.3, frame=1 / FPS, monotonic=time)
    for packet in ahead:
        if packet.pts == 60:
            time.t += 0.5  # the decoder stood still: frames 61-72 wait, no key frame among them
            assert ahead.catch_up(time.t) == 0, "no key frame has come: decode on"
            break
    assert ahead.upstream == 0.0, "one slow read is not a camera sending late"
