"""Camera health from the consoles' tile states."""

from __future__ import annotations

import pytest

from domain.camera_health import FORGET_AFTER, CameraHealth, CameraReportError


def test_online_rate_is_among_the_cameras_watched_and_the_longest_down_comes_first() -> None:
    health = CameraHealth(["c1", "c2", "c3", "c4"])
    assert health.figures(100.0)["online_rate"] is None  # nobody watching: no rate, not 0 %
    assert health.report(
        {
            "c1": {"state": "live", "since": 99.0},
            "c2": {"state": "no_signal", "since": 40.0},
            "c3": {"state": "reconnecting", "since": None},
            "c4": {"state": "connecting", "since": None},  # says nothing: not watched
        },
        100.0,
    )
    f = health.figures(100.0)
    assert (f["total"], f["watched"], f["online"]) == (4, 3, 1)
    assert f["online_rate"] == pytest.approx(1 / 3)
    assert f["offline"] == [{"camera": "c2", "since": 40.0}, {"camera": "c3", "since": 100.0}]


def test_a_channel_the_recorder_does_not_have_is_a_camera_offline() -> None:
    health = CameraHealth(["c1"])
    health.report({"c1": {"state": "live", "since": None}}, 1000.0)
    health.report({"c1": {"state": "not_found", "since": 990.0}}, 1010.0)
    f = health.figures(1010.0)
    assert (f["online"], f["offline"]) == (0, [{"camera": "c1", "since": 990.0}])


def test_a_camera_stays_down_since_it_first_went_down() -> None:
    health = CameraHealth(["c1"])
    health.report({"c1": {"state": "reconnecting", "since": None}}, 100.0)
    assert not health.report({"c1": {"state": "no_signal", "since": None}}, 160.0)
    assert health.figures(160.0)["offline"] == [{"camera": "c1", "since": 100.0}]
    assert health.report({"c1": {"state": "live", "since": 170.0}}, 170.0)
    assert health.figures(170.0)["offline"] == []


def test_a_camera_nobody_reported_lately_is_not_counted_online() -> None:
    health = CameraHealth(["c1"])
    health.report({"c1": {"state": "live", "since": 1.0}}, 1.0)
    assert health.figures(1.0 + FORGET_AFTER)["online"] == 1
    f = health.figures(2.0 + FORGET_AFTER)
    assert (f["watched"], f["online"], f["online_rate"]) == (0, 0, None)


@pytest.mark.parametrize(
    ("states", "detail"),
    [
        ([], "object"),
        ({"c9": {"state": "live"}}, "unknown camera"),
        ({"c1": {"state": 3}}, "state"),
        ({"c1": "live"}, "state"),
        ({"c1": {"state": "live", "since": "noon"}}, "since"),
        ({"c1": {"state": "no_signal", "since": 1e12}}, "future"),
    ],
)
def test_a_bad_report_is_refused_whole(states: object, detail: str) -> None:
    health = CameraHealth(["c1", "c2"])
    bad = {"c2": {"state": "live", "since": None}, **(states if isinstance(states, dict) else {})}
    with pytest.raises(CameraReportError, match=detail):
        health.report(bad if isinstance(states, dict) else states, 100.0)
    assert health.figures(100.0)["watched"] == 0  # c2's good entry was not taken either
