"""The demo township is the data DOMAIN.md describes, and its references hold."""

from __future__ import annotations

import math

import pytest

from domain.township import (
    Camera,
    Grid,
    Role,
    Township,
    TownshipDataError,
    Village,
    distance_m,
    load_demo_township,
)


def test_demo_township_has_the_figures_of_the_sources() -> None:
    t = load_demo_township()
    assert len(t.villages) == 55
    assert len(t.grids) == 68
    workers = [p for p in t.people.values() if p.role == Role.GRID_WORKER]
    assert len(workers) == 128
    assert all(
        g.leader in t.people and t.people[g.leader].role == Role.GRID_LEADER
        for g in t.grids.values()
    )
    assert all(g.workers for g in t.grids.values()), "every grid has a full-time grid worker"
    assert 35 <= len(t.cameras) <= 45
    phases = {c.phase for c in t.cameras.values()}
    assert phases == {1, 2, 3}
    high_points = [c for c in t.cameras.values() if c.kind == "high_point"]
    assert len(high_points) == 3 and all(c.coverage_km == 5.0 for c in high_points)
    kinds = {c.kind for c in t.cameras.values()}
    assert {"reservoir", "river", "bike", "market", "village_road"} <= kinds


def test_everything_is_near_the_town_centre() -> None:
    t = load_demo_township()
    places: list[Village | Grid | Camera] = [*t.villages.values(), *t.grids.values()]
    for place in [*places, *t.cameras.values()]:
        km = math.dist(
            (place.lat * 111, place.lon * 111 * math.cos(math.radians(t.lat))),
            (t.lat * 111, t.lon * 111 * math.cos(math.radians(t.lat))),
        )
        assert km < 12, f"{place.name} is {km:.1f} km from the town centre"


def test_names_are_chinese_and_unique() -> None:
    t = load_demo_township()
    names = [v.name for v in t.villages.values()]
    assert len(set(names)) == len(names)
    assert all(n.endswith("村") for n in names)
    assert t.name == "青溪镇"


@pytest.mark.parametrize(
    ("platform_set", "names"),
    [
        ("classic", ["综治工作", "市场监管", "综合执法", "便民服务"]),
        ("1+4", ["党建统领", "经济生态", "平安法治", "公共服务"]),
    ],
)
def test_both_platform_sets_are_available(platform_set: str, names: list[str]) -> None:
    t = load_demo_township(platform_set)
    assert [p.name for p in t.platforms] == names
    for category in t.categories.values():
        assert t.platform_of(category.code) in t.platforms


def test_round_trip_through_dicts() -> None:
    t = load_demo_township()
    data, categories = t.to_dict()
    assert Township.from_dict(data, categories, "classic") == t


def test_dangling_references_are_refused() -> None:
    data, categories = load_demo_township().to_dict()
    data["grids"][0]["leader"] = "P9999"
    with pytest.raises(TownshipDataError, match="unknown person P9999"):
        Township.from_dict(data, categories, "classic")
    with pytest.raises(TownshipDataError, match="unknown platform set"):
        Township.from_dict(*load_demo_township().to_dict(), "2+3")


def test_the_nearest_cameras_are_the_closest_by_distance() -> None:
    from domain.township import distance_m

    t = load_demo_township()
    assert 110_000 < distance_m(0, 0, 1, 0) < 111_500  # a degree of latitude
    camera = next(iter(t.cameras.values()))
    nearest = t.nearest_cameras(camera.lat, camera.lon, 3)
    assert nearest[0] == (camera, 0.0)
    assert [d for _c, d in nearest] == sorted(d for _c, d in nearest)
    everything = sorted(
        distance_m(camera.lat, camera.lon, c.lat, c.lon) for c in t.cameras.values()
    )
    assert [d for _c, d in nearest] == everything[:3]


def test_an_incident_opens_the_covering_high_point_camera_and_the_nearest() -> None:
    t = load_demo_township()
    high = [c for c in t.cameras.values() if c.coverage_km is not None]
    assert high, "the demo township has high-point cameras"
    village = next(iter(t.villages.values()))
    chosen = t.cameras_for_incident(village.lat, village.lon, n=3)
    nearest = [c for c, _d in t.nearest_cameras(village.lat, village.lon, 4)]
    covering = [
        c
        for c in high
        if distance_m(village.lat, village.lon, c.lat, c.lon) <= (c.coverage_km or 0) * 1000
    ]
    assert len(chosen) == len(set(chosen))
    if covering:
        assert chosen[0].coverage_km is not None and chosen[0] in covering
        assert set(chosen[1:]) <= set(nearest)
    else:
        assert chosen == nearest[:3]
