"""Coordinate conversion against reference points published with other implementations."""

from __future__ import annotations

import pytest

from domain.coords import (
    CoordinateSystem,
    bd09_to_gcj02,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

# (WGS-84 lat, lon) -> (GCJ-02 lat, lon): the test points of googollee/eviltransform
# (Shanghai, Shenzhen, Beijing).
WGS_GCJ = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
]
# WGS-84 -> GCJ-02 -> BD-09 of one point near Jiaxing, from another tool's published tests.
CHAIN = (
    (30.6107779, 121.0917077),
    (30.608604331756705, 121.09626935575027),
    (30.61484572185035, 121.10271732371203),
)

MM = 1e-8  # degrees: about a millimetre


@pytest.mark.parametrize(("wgs", "gcj"), WGS_GCJ)
def test_wgs84_to_gcj02_matches_the_published_points(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    got = wgs84_to_gcj02(*wgs)
    assert got == pytest.approx(gcj, abs=MM)


@pytest.mark.parametrize(("wgs", "gcj"), WGS_GCJ)
def test_gcj02_back_to_wgs84_within_a_millimetre(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    assert gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=MM)


def test_the_bd09_chain_matches_the_published_point() -> None:
    wgs, gcj, bd = CHAIN
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-6)  # a 0.1 m variant there
    assert gcj02_to_bd09(*gcj) == pytest.approx(bd, abs=MM)
    assert bd09_to_gcj02(*bd) == pytest.approx(gcj, abs=1e-6)
    assert to_wgs84(*bd, CoordinateSystem.BD09) == pytest.approx(wgs, abs=1e-6)
    assert from_wgs84(*wgs, CoordinateSystem.BD09) == pytest.approx(bd, abs=1e-6)


def test_the_offset_is_hundreds_of_metres_in_china_and_none_outside() -> None:
    lat, lon = 28.9012, 119.8123  # the demo township
    _g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert 1e-3 < abs(g_lon - lon) < 1e-2
    assert wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)  # Paris
    assert to_wgs84(lat, lon, CoordinateSystem.CGCS2000) == (lat, lon)


@pytest.mark.parametrize(
    ("text", "system"),
    [
        ("WGS84", CoordinateSystem.WGS84),
        ("wgs-84", CoordinateSystem.WGS84),
        ("EPSG:4490", CoordinateSystem.CGCS2000),
        ("gcj_02", CoordinateSystem.GCJ02),
        ("高德", CoordinateSystem.GCJ02),
        ("百度", CoordinateSystem.BD09),
        ("bd09ll", CoordinateSystem.BD09),
    ],
)
def test_names_townships_write_are_understood(text: str, system: CoordinateSystem) -> None:
    assert CoordinateSystem.parse(text) is system


def test_an_unknown_system_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="北京54"):
        CoordinateSystem.parse("北京54")
