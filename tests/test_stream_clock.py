"""The lag of a stream by its own clock, and the catch-up rule, with plain numbers."""

from __future__ import annotations

import pytest

from console.video.stream_clock import StreamClock

# Every clock here is the test's own numbers, nothing is timed: each lag is a value worked out
# from them, compared with what it must be (to within 0.01 s of stream time).


def live(lags: list[float]) -> object:
    return pytest.approx([0.0] * len(lags), abs=0.01)


def test_a_stream_read_at_its_own_pace_is_live() -> None:
    clock = StreamClock()
    lags = [clock.observe(100.0 + i / 25 + 0.003 * (i % 3), 5000.0 + i / 25) for i in range(500)]
    assert lags == live(lags)


def test_a_backlog_read_late_shows_its_lag() -> None:
    """Decoding at 20 frames a second a stream of 25: 0.2 s behind for every second."""
    clock = StreamClock()
    lags = [clock.observe(100.0 + i / 20, 7.0 + i / 25) for i in range(200)]
    assert lags[-1] == pytest.approx(1.98, abs=0.01)  # 10 s read, 8 s of stream, less drift


def test_the_first_burst_of_a_servers_buffer_does_not_count_as_lag() -> None:
    """A server sends its buffered GOP at once on connect (its last frame is the live one),
    then the stream at its pace."""
    clock = StreamClock()
    burst = [clock.observe(100.0 + i * 0.001, 50.0 + i / 25) for i in range(25)]
    after = [clock.observe(100.024 + i / 25, 50.96 + i / 25) for i in range(1, 100)]
    assert burst + after == live(burst + after)


def test_a_slow_camera_clock_is_not_taken_for_lag_but_a_new_timeline_starts_again() -> None:
    clock = StreamClock()
    # A cheap camera's clock, 300 ppm slow, over five hours: 5.4 s of drift, absorbed (it
    # read as 3.96 s of lag when only 100 ppm was allowed).
    for i in range(0, 5 * 3600, 10):
        phantom = clock.observe(float(i), i * (1 - 300e-6))  # computed, not timed
    assert phantom == pytest.approx(0.0, abs=0.01)
    assert clock.observe(3601.0, 9_000_000.0) == 0.0  # a camera restarted: not lag


def test_timestamps_that_step_back_start_a_new_timeline_not_lag() -> None:
    """A camera's clock set back 2 s (an NTP resync): live before and after, not 2 s behind."""
    clock = StreamClock()
    for i in range(100):
        clock.observe(100.0 + i / 25, 50.0 + i / 25)
    lags = [clock.observe(104.0 + i / 25, 52.0 + i / 25) for i in range(100)]
    assert lags == live(lags)


def test_a_timeline_that_jumps_in_a_backlog_keeps_its_lag_and_one_at_the_cameras_pace_is_live() -> (
    None
):
    """Timestamps that step back 2 s, or forward 5 s, in a backlog read 2 s behind: still
    about 2 s behind (the step back read as live, and the tile said 实时). A stream stalled
    3 s that comes back at the camera's pace with timestamps 10 s lower (a server restarted
    it): live, as a new connection is (it read 3 s behind for the next 50 minutes). Nudged
    back 0.3 s six times while live: still live (each step was taken for lag, and added up)."""
    for step in (-2.0, 5.0):
        clock = StreamClock()
        for i in range(100):
            clock.observe(100.0 + i / 25, 50.0 + i / 25)
        for i in range(25):  # a second of a 3 s backlog, read at once
            clock.observe(107.0 + i * 0.001, 54.0 + i / 25)
        lags = [clock.observe(107.025 + i * 0.001, 55.0 + step + i / 25) for i in range(10)]
        # 2.06 s behind at the step, then 0.04 s of stream read each millisecond
        assert lags == pytest.approx([2.061 - 0.039 * i for i in range(10)], abs=0.01), step

    clock = StreamClock()
    for i in range(100):
        clock.observe(100.0 + i / 25, 50.0 + i / 25)
    lags = [clock.observe(107.0 + i / 25, 44.0 + i / 25) for i in range(100)]
    assert lags == live(lags)

    clock, pts, now = StreamClock(), 10.0, 0.0
    for step in range(6):
        for _ in range(250):
            now, pts = now + 0.04, pts + 0.04
            lag = clock.observe(now, pts)
        pts -= 0.3 * (step % 2 == 0)
        assert lag == pytest.approx(0.0, abs=0.01)


def test_the_cameras_clock_is_not_read_once_the_timestamps_jumped() -> None:
    """A relay 3 s late, seen by the camera's clock; then the timestamps jump 5 s forward,
    which the mapping from the first report does not know: still 3 s late (it went to 0 and
    stayed there, the gap below zero)."""
    clock = StreamClock()
    lags = [
        clock.observe(100.0 + i / 25, 50.0 + i / 25, sender_lag=3.0 + 0.001 * (i % 3))
        for i in range(100)
    ]
    assert lags[-1] == pytest.approx(3.0, abs=0.01)
    lags = [clock.observe(104.0 + i / 25, 59.0 + i / 25, sender_lag=3.0 - 5.0) for i in range(100)]
    assert lags == pytest.approx([3.0] * len(lags), abs=0.01)


def test_b_frames_by_presentation_time_are_not_lag() -> None:
    """A stream without decoding timestamps: I P B B P B B, each B shown before its P."""
    clock = StreamClock()
    order = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8]
    lags = [
        clock.observe(100.0 + (gop * 10 + i) / 25, (gop * 10 + k) / 25)
        for gop in range(20)
        for i, k in enumerate(order)
    ]
    assert lags[10:] == live(lags[10:])  # a B-frame's step back is not lag (it read 0.12 s)


def test_a_lag_from_the_first_packet_is_seen_by_the_cameras_clock_when_trusted() -> None:
    """Packets at the camera's pace, each 2 s behind the camera's clock (RTCP): by arrival
    alone live, by the camera's clock 2 s behind. 40 s or an hour behind, or ahead: a clock
    that is wrong, not a lag (left out); 0.3 s is the camera's own encoding and sending."""
    for camera_behind, lag in ((2.0, 2.0), (0.3, 0.0), (40.0, 0.0), (3600.0, 0.0), (-1.5, 0.0)):
        clock = StreamClock()
        lags = [
            clock.observe(100.0 + i / 25, 7.0 + i / 25, sender_lag=camera_behind + 0.003 * (i % 2))
            for i in range(100)
        ]
        assert lags[-1] == pytest.approx(lag, abs=0.01), camera_behind
        assert clock.sender_gap == pytest.approx(camera_behind, abs=0.01)
    clock = StreamClock()  # no reports: arrival alone
    assert clock.observe(1.0, 1.0) == 0.0 and clock.sender_gap is None
