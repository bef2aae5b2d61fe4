"""The replay guard's window, by hand."""

from __future__ import annotations

from domain.replay_guard import ReplayGuard


def test_an_id_is_refused_while_remembered_and_stale_once_forgotten() -> None:
    guard = ReplayGuard(window_s=300)
    assert guard.check("a", sent_at=1000, now=1000) is None
    assert guard.check("a", sent_at=1000, now=1200) == "replayed"
    assert guard.check("b", sent_at=1000, now=1301) == "stale"  # 301 s late
    assert guard.check("c", sent_at=1400, now=1099) == "stale"  # 301 s early
    # Forgotten after two windows: by then the same message is stale anyway.
    assert guard.check("a", sent_at=1000, now=1601) == "stale"
    assert guard.check("d", sent_at=1650, now=1650) is None
    assert "a" not in guard._seen and "d" in guard._seen
