"""The minute history's counting, rolling, back-filling and stepping, by hand."""

from __future__ import annotations

from domain.indicator_history import MinuteCounter, MinuteRow, backfill, series
from domain.lifecycle import Change

T0 = 1_700_000_040  # a minute's start


def change(action: str, at: float) -> Change:
    return Change("i", action, "甲", "grid_worker", at, None, "reported", 1, {})


def test_a_minute_is_stored_when_it_ends_with_the_standing_figures_of_then() -> None:
    counter = MinuteCounter(T0 + 5)
    for action in ("report", "report", "accept", "close", "settle", "reopen"):
        counter.record(change(action, T0 + 10))
    assert counter.roll(T0 + 59.9, {"open": 9}) == []
    standing = {"open": 9, "overdue": 2, "in_progress": 4}
    assert counter.roll(T0 + 60, standing) == [MinuteRow(T0, 2, 2, 9, 2, 4)]
    assert (counter.minute, counter.received, counter.closed) == (T0 + 60, 0, 0)


def test_a_stalled_clock_stores_the_minutes_it_missed_empty() -> None:
    counter = MinuteCounter(T0)
    counter.record(change("report", T0 + 1))
    rows = counter.roll(T0 + 185, {"open": 1, "overdue": 0, "in_progress": 0})
    assert [(r.at, r.received) for r in rows] == [(T0, 1), (T0 + 60, 0), (T0 + 120, 0)]
    assert counter.minute == T0 + 180


def test_backfill_counts_only_minutes_not_stored_and_ended() -> None:
    changes = [
        change("report", T0 + 1),  # stored already
        change("report", T0 + 61),
        change("close", T0 + 70),
        change("accept", T0 + 130),  # neither received nor closed: no row
        change("report", T0 + 181),  # the minute in progress
    ]
    rows = backfill(changes, after=T0, now=T0 + 200)
    assert rows == [MinuteRow(T0 + 60, 1, 1)]
    assert rows[0].open is None  # the standing figures of a minute not seen are not guessed
    assert backfill(changes, after=None, now=T0 + 200)[0] == MinuteRow(T0, 1, 0)


def test_steps_sum_the_counts_and_keep_the_peak_of_the_standing_figures() -> None:
    rows = [
        MinuteRow(T0, 1, 0, 5, 1, 2),
        MinuteRow(T0 + 60, 2, 1, 7, 0, 3),
        MinuteRow(T0 + 180, 4, 0, None, None, None),  # back-filled
        MinuteRow(T0 + 600, 9, 9, 9, 9, 9),  # after `until`: left out
    ]
    body = series(rows, T0, T0 + 600, 5)
    assert body["points"] == 2
    assert body["step"] == 300
    s = body["series"]
    assert s["received"] == [7, None]
    assert s["closed"] == [1, None]
    assert s["open"] == [7, None]
    assert s["overdue"] == [1, None]
    one = series(rows, T0, T0 + 240, 1)["series"]
    assert one["received"] == [1, 2, None, 4]
    assert one["open"] == [5, 7, None, None]
