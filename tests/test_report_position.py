"""A report's position as phones send it: converted from the app's map system, and its grid
found from the grid boundaries when the app does not say."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from shapely.geometry import shape

from domain.coords import wgs84_to_gcj02
from domain.incident import FieldReport, ReportError
from domain.township import Role, load_demo_township
from domain.wire import MsgType
from tests.helpers import demo_report
from tests.services import Service

DEMO = load_demo_township()


def inside(grid: str) -> tuple[float, float]:
    """A WGS-84 (lat, lon) inside the demo grid's boundary."""
    boundary = DEMO.grids[grid].boundary
    assert boundary is not None
    point = shape(boundary).representative_point()
    return point.y, point.x


def test_a_position_in_gcj02_is_stored_in_wgs84() -> None:
    lat, lon = inside("V01G1")
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    wire = {**demo_report().to_wire(), "lat": g_lat, "lon": g_lon, "coordinate_system": "GCJ-02"}
    report = FieldReport.from_wire(wire)
    assert report.lat == pytest.approx(lat, abs=1e-8)
    assert report.lon == pytest.approx(lon, abs=1e-8)
    with pytest.raises(ReportError, match="北京54"):
        FieldReport.from_wire({**wire, "coordinate_system": "北京54"})


def test_a_report_without_its_grid_is_placed_by_its_position(
    service_factory: Callable[..., Service],
) -> None:
    service = service_factory()
    lat, lon = inside("V01G2")
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    report = dataclasses.replace(demo_report(seed=3), village="V01", grid=None)
    body = {**report.to_wire(), "lat": g_lat, "lon": g_lon, "coordinate_system": "高德"}
    with service.client() as client:
        gateway = client.logins[Role.GATEWAY]
        ack = client.request(MsgType.REPORT_SUBMIT, body, login=gateway)
        assert ack.type == MsgType.REPORT_ACK, ack.body
        assert ack.body["incident"]["grid"] == "V01G2"
        # In another village's ground, the report keeps its village and no grid is guessed.
        other = dataclasses.replace(demo_report(seed=4), village="V02", grid=None)
        wire = {**other.to_wire(), "lat": lat, "lon": lon}
        ack = client.request(MsgType.REPORT_SUBMIT, wire, login=gateway)
        assert ack.type == MsgType.REPORT_ACK, ack.body
        assert ack.body["incident"]["grid"] is None
