"""The lag of a stream by its own clock, and the catch-up rule, with plain numbers."""

from __future__ import annotations

from console.video.stream_clock import StreamClock


def test_a_stream_read_at_its_own_pace_is_live() -> None:
    clock = StreamClock()
    lags = [clock.observe(100.0 + i / 25 + 0.003 * (i % 3), 5000.0 + i / 25) for i in range(500)]
    assert max(lags) < 0.01


def test_a_backlog_read_late_shows_its_lag() -> None:
    """Decoding at 20 frames a second a stream of 25: 0.2 s behind for every second."""
    clock = StreamClock()
    lags = [clock.observe(100.0 + i / 20, 7.0 + i / 25) for i in range(200)]
    assert 1.9 < lags[-1] < 2.0  # 10 s read, 8 s of stream


def test_the_first_burst_of_a_servers_buffer_does_not_count_as_lag() -> None:
    """A server sends its buffered GOP at once on connect (its last frame is the live one),
    then the stream at its pace."""
    clock = StreamClock()
    burst = [clock.observe(100.0 + i * 0.001, 50.0 + i / 25) for i in range(25)]
    live = [clock.observe(100.024 + i / 25, 50.96 + i / 25) for i in range(1, 100)]
    assert max(burst + live) < 0.01


def test_a_slow_camera_clock_is_not_taken_for_lag_but_a_new_timeline_starts_again() -> None:
    clock = StreamClock()
    # A cheap camera's clock, 300 ppm slow, over five hours: 5.4 s of drift, absorbed (it
    # read as 3.96 s of lag when only 100 ppm was allowed).
    for i in range(0, 5 * 3600, 10):
        phantom = clock.observe(float(i), i * (1 - 300e-6))  # computed, not timed
    assert phantom < 0.01
    assert clock.observe(3601.0, 9_000_000.0) == 0.0  # a camera restarted: not lag


def test_timestamps_that_step_back_start_a_new_timeline_not_lag() -> None:
    """A camera's clock set back 2 s (an NTP resync): live before and after, not 2 s behind."""
    clock = StreamClock()
    for i in range(100):
        clock.observe(100.0 + i / 25, 50.0 + i / 25)
    lags = [clock.observe(104.0 + i / 25, 52.0 + i / 25) for i in range(100)]
    assert max(lags) < 0.01


def test_a_lag_is_kept_across_a_clock_set_back_and_small_steps_back_do_not_add_up() -> None:
    """3 s behind when the camera's clock is set back 2 s: still 3 s behind (it read 0 and
    the tile said 实时). A clock nudged back 0.3 s six times while live: still live (each
    step was taken for lag, 1.8 s of it, for half an hour)."""
    clock = StreamClock()
    for i in range(100):
        clock.observe(100.0 + i / 25, 50.0 + i / 25)
    for i in range(100):  # a pause upstream: the same packets 3 s late
        behind = clock.observe(107.0 + i / 25, 54.0 + i / 25)
    assert 2.9 < behind < 3.1
    after = [clock.observe(111.0 + i / 25, 56.0 + i / 25) for i in range(50)]
    assert all(2.9 < lag < 3.1 for lag in after)

    clock, pts, now = StreamClock(), 10.0, 0.0
    for step in range(6):
        for _ in range(250):
            now, pts = now + 0.04, pts + 0.04
            lag = clock.observe(now, pts)
        pts -= 0.3 * (step % 2 == 0)  # computed, not timed
        assert lag < 0.01


def test_b_frames_by_presentation_time_are_not_lag() -> None:
    """A stream without decoding timestamps: I P B B P B B, each B shown before its P."""
    clock = StreamClock()
    order = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8]
    lags = [
        clock.observe(100.0 + (gop * 10 + i) / 25, (gop * 10 + k) / 25)
        for gop in range(20)
        for i, k in enumerate(order)
    ]
    assert max(lags[10:]) <= 2 / 25 + 1e-9  # a B-frame is at most its reordering late


def test_a_lag_from_the_first_packet_is_seen_by_the_cameras_clock_when_trusted() -> None:
    """Packets at the camera's pace, each 2 s behind the camera's clock (RTCP): by arrival
    alone live, by the camera's clock 2 s behind. 40 s or an hour behind, or ahead: a clock
    that is wrong, not a lag (left out)."""
    for camera_behind, lag in ((2.0, 2.0), (40.0, 0.0), (3600.0, 0.0), (-1.5, 0.0)):
        clock = StreamClock()
        lags = [
            clock.observe(100.0 + i / 25, 7.0 + i / 25, sender_lag=camera_behind + 0.003 * (i % 2))
            for i in range(100)
        ]
        assert abs(lags[-1] - lag) < 0.01, (camera_behind, lags[-1])
        assert clock.sender_gap is not None and abs(clock.sender_gap - camera_behind) < 0.01
    clock = StreamClock()  # no reports: arrival alone
    assert clock.observe(1.0, 1.0) == 0.0 and clock.sender_gap is None
