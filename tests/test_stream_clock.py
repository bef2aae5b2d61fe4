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
