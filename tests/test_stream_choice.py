"""Main or sub stream: by the tile's size, and by whether the machine keeps up."""

from __future__ import annotations

from console.video.stream_choice import StreamChoice


def test_a_large_tile_takes_the_main_stream_a_small_one_the_sub() -> None:
    choice = StreamChoice()
    assert choice.main_for(1920, 1080, now=0.0)
    assert not choice.main_for(480, 270, now=0.0)


def test_a_main_stream_that_keeps_skipping_drops_to_the_sub_stream_for_a_while() -> None:
    choice = StreamChoice(short_seconds=3, window=10, retry_after=120.0)
    skipped, dropped_at = 0, None
    for second in range(10):
        skipped += 40 if second % 3 == 0 else 0  # caught up three times in ten seconds
        if choice.observe(skipped, on_main=True, now=float(second)):
            dropped_at = second
            break
    assert dropped_at == 6
    assert not choice.main_for(1920, 1080, now=7.0) and choice.reduced(7.0)
    assert choice.main_for(1920, 1080, now=6.0 + 120.0)  # tried again


def test_one_catch_up_is_not_a_shortage_nor_is_skipping_on_the_sub_stream() -> None:
    choice = StreamChoice()
    assert not any(choice.observe(s, on_main=True, now=float(t))
                   for t, s in enumerate([0, 30, 30, 30, 30, 30, 30, 30, 30, 30]))  # fmt: skip
    assert not any(
        choice.observe(s * 10, on_main=False, now=float(t)) for t, s in enumerate(range(20))
    )


def test_a_main_stream_that_keeps_falling_behind_is_tried_again_less_and_less_often() -> None:
    """Each fall in a row waits twice as long (to a cap); one that held starts over."""
    choice = StreamChoice(short_seconds=3, window=10, retry_after=120.0, longest_wait=400.0)
    now, skipped, waits = 0.0, 0, []
    for _ in range(5):
        while not choice.observe(skipped := skipped + 40, on_main=True, now=now):
            now += 1.0
        waits.append(choice.reduced_until - now)
        now = choice.reduced_until
        choice.observe(skipped, on_main=False, now=now - 1.0)  # on the sub stream meanwhile
    assert waits == [120.0, 240.0, 400.0, 400.0, 400.0]
    for second in range(130):  # back on the main stream, and it holds
        assert not choice.observe(skipped, on_main=True, now=now + second)
    now += 130
    while not choice.observe(skipped := skipped + 40, on_main=True, now=now):
        now += 1.0
    assert choice.reduced_until - now == 120.0
