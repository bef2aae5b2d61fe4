"""The lag of a stream by its own clock, and the catch-up rule, with plain numbers."""

from __future__ import annotations

from console.video.stream_clock import CatchUp, StreamClock


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


def test_catch_up_skips_all_but_key_frames_until_live_again() -> None:
    rule = CatchUp(after=1.0)
    assert not rule.skip(0.0, 0.5, keyframe=False)
    assert rule.skip(1.0, 1.5, keyframe=False)
    assert not rule.skip(1.1, 1.4, keyframe=True)  # key frames are decoded
    assert rule.skip(1.2, 0.8, keyframe=False)  # not yet under half the threshold
    assert not rule.skip(1.3, 0.4, keyframe=False)  # caught up
    assert not rule.catching and rule.skipped == 2


def test_a_lag_that_skipping_does_not_shrink_is_upstream_and_frames_are_kept() -> None:
    rule = CatchUp(after=1.0, give_up_after=3.0)
    t, skipped = 0.0, 0
    while t < 10.0:
        skipped += rule.skip(t, 2.0, keyframe=False)  # the recorder itself is 2 s behind
        t += 0.04
    assert rule.upstream == 2.0 and not rule.catching
    assert skipped < 3.5 / 0.04  # stopped after the give-up time
    assert rule.skip(t, 3.5, keyframe=False)  # behind by more again: ours, catch up


def test_a_round_in_which_the_decoder_hardly_ran_is_not_taken_for_an_upstream_lag() -> None:
    """Both cores busy: a starved decoder cannot skip faster than the camera sends. Once the
    CPU is back it must still be catching up, not decoding a 15 s backlog frame by frame."""
    waited = [0.0]
    rule = CatchUp(after=1.0, give_up_after=3.0, cpu_wait=lambda: waited[0])
    t = 0.0
    while t < 20.0:  # the CPU spike: the thread waits for a CPU most of each second
        rule.skip(t, 2.0 + t / 2, keyframe=False)
        waited[0] += 0.04 * 0.9
        t += 0.04
    assert getattr(rule, "catching") and rule.upstream == 0.0, "not given up on"  # noqa: B009
    for _ in range(500):  # the CPU is back: the backlog drains
        if not rule.catching:
            break
        rule.skip(t, max(0.0, 12.0 - (t - 20.0) * 10), keyframe=False)
        t += 0.04
    assert t < 22.0, "live again within two seconds of the spike's end"


def test_timestamps_that_step_back_start_a_new_timeline_not_lag() -> None:
    """A camera's clock set back 2 s (an NTP resync): live before and after, not 2 s behind."""
    clock = StreamClock()
    for i in range(100):
        clock.observe(100.0 + i / 25, 50.0 + i / 25)
    lags = [clock.observe(104.0 + i / 25, 52.0 + i / 25) for i in range(100)]
    assert max(lags) < 0.01


def test_catch_up_that_keeps_shrinking_the_lag_goes_on_and_then_gives_up_on_the_rest() -> None:
    """Skipping takes 5 s of lag down to 3 s, and 3 s is upstream: it stops skipping."""
    rule = CatchUp(after=1.0, give_up_after=3.0)
    t = 0.0
    while t < 60.0:
        lag = max(3.0, 5.0 - t)  # 2 s removed in the first 2 s, then nothing more
        rule.skip(t, lag, keyframe=False)
        t += 0.04
    assert not rule.catching and rule.upstream >= 2.9
