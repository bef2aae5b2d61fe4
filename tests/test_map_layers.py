"""The township's own map layers (roads, rivers, reservoirs) and its cameras' directions: read
from its files as a GIS exports them, kept with the township, sent to consoles in parts."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot
from shapely.geometry import shape

from backend.store import Store
from backend.township.apply import plan
from backend.township.check import check_directory
from backend.township.template import write_templates
from console.models.dispatch_queue_model import DispatchQueueModel
from console.models.map_layers import Shading
from console.widgets.map_panel import MapPanel
from console.widgets.map_style import LAYER_STYLES
from console.widgets.township_map import TownshipMap
from domain import township_parts
from domain.coords import CoordinateSystem, from_wgs84
from domain.map_features import MAX_FEATURE_POINTS, LayerKind, layer_kind, point_count
from domain.map_geometry import bearing_of, mercator
from domain.township import load_demo_township

DEMO = load_demo_township()
ROAD_WGS = [(119.800, 28.890), (119.810, 28.895), (119.820, 28.900)]


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("example")
    write_templates(d, DEMO)
    return d


@pytest.fixture
def files(example_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "township"
    shutil.copytree(example_dir, d)
    for old in d.glob("qingxi-*.geojson"):  # the demo's own layers: each test writes its own
        old.unlink()
    return d


def _write(path: Path, features: list[dict[str, Any]], **extra: Any) -> None:
    collection = {"type": "FeatureCollection", "features": features, **extra}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def _line(points: list[tuple[float, float]], name: str = "") -> dict[str, Any]:
    geometry = {"type": "LineString", "coordinates": [list(p) for p in points]}
    return {"type": "Feature", "properties": {"名称": name}, "geometry": geometry}


def test_a_layer_file_is_known_by_its_name() -> None:
    assert layer_kind("青溪镇道路") == LayerKind.ROAD
    assert layer_kind("水系") == LayerKind.RIVER
    assert layer_kind("qingxi-水库") == LayerKind.WATER  # 水库 before 水系's 水
    assert layer_kind("Reservoirs") == LayerKind.WATER
    assert layer_kind("buildings_2024") == LayerKind.BUILDING
    assert layer_kind("青溪镇道路") == LayerKind.ROAD  # 溪 is a place name's, not a river
    assert layer_kind("boundaries") is None
    assert layer_kind("网格边界") is None


def test_roads_in_gcj02_are_kept_in_wgs84_with_their_names(files: Path) -> None:
    """A road exported from a 高德-based tool, said so in the file: kept where it really is."""
    gcj = []
    for lon, lat in ROAD_WGS:
        g_lat, g_lon = from_wgs84(lat, lon, CoordinateSystem.GCJ02)
        gcj.append((g_lon, g_lat))
    _write(files / "青溪镇道路.geojson", [_line(gcj, "S219 省道")], coordinate_system="GCJ-02")
    ring = [[119.75, 28.90], [119.76, 28.90], [119.76, 28.91], [119.75, 28.91], [119.75, 28.90]]
    point = {"type": "Point", "coordinates": [119.7, 28.9]}
    _write(files / "水库.geojson", [
        {"type": "Feature", "properties": {"name": "石门水库"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {}, "geometry": point},
    ])  # fmt: skip
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    boundaries = len(DEMO.villages) + len(DEMO.grids)
    assert result.boundaries == boundaries  # the layers are not boundaries
    layers = {f.layer: f for f in result.township.layers}
    assert set(layers) == {"青溪镇道路", "水库"}  # the point is not a map layer
    road = layers["青溪镇道路"]
    assert road.kind == LayerKind.ROAD and road.name == "S219 省道" and not road.is_area
    for (lon, lat), (w_lon, w_lat) in zip(road.geometry["coordinates"], ROAD_WGS, strict=True):
        assert math.hypot(lon - w_lon, lat - w_lat) < 2e-6  # within 0.2 m, not 500 m off
    assert layers["水库"].kind == LayerKind.WATER and layers["水库"].is_area


def test_layers_are_applied_kept_and_diffed(files: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    try:
        _write(files / "河流.geojson", [_line(ROAD_WGS, "青溪")])
        planned = plan(store, files)
        assert planned.check.township is not None
        store.apply_township(planned.check.township, "test")
        kept = store.load_township()
        assert [(f.layer, f.kind, f.name) for f in kept.layers] == [
            ("河流", LayerKind.RIVER, "青溪")
        ]
        _write(files / "河流.geojson", [_line([*ROAD_WGS, (119.83, 28.91)], "青溪")])
        diffs = {d.key: d for d in plan(store, files).diffs}
        assert diffs["layers"].changed == {"河流": ["shapes"]}
        (files / "河流.geojson").unlink()
        assert plan(store, files).diffs[-1].retired == ["河流"]
    finally:
        store.close()


def test_a_broken_layer_feature_is_a_problem_with_its_place(files: Path) -> None:
    _write(files / "道路.geojson", [_line(ROAD_WGS), _line([(119.8, 95.0), (119.9, 28.9)])])
    result = check_directory(files)
    assert result.township is None
    [problem] = result.problems
    assert problem.place.file == "道路.geojson" and "2" in str(problem)
    assert "out of range" in str(problem)


def test_a_layer_too_detailed_for_the_wire_is_simplified_and_says_so(files: Path) -> None:
    """A surveyed river of 60,000 positions: simplified until one feature fits a message."""
    n = 60_000
    wiggly = [(119.74 + 0.1 * k / n, 28.88 + 0.00001 * math.sin(k / 3)) for k in range(n)]
    _write(files / "水系.geojson", [_line(wiggly, "青溪")])
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    [river] = result.township.layers
    assert point_count(river.geometry) <= MAX_FEATURE_POINTS
    assert any("simplified" in note for note in result.notes)


def test_layers_come_to_a_console_in_parts() -> None:
    """The township reply with the layers, in parts of at most a message each."""
    data, categories = DEMO.to_dict()
    assert data["layers"]
    body = {"township": data, "categories": categories}
    parts = township_parts.split(body, part_bytes=20_000)
    assert len(parts) > 2
    assert all(len(orjson.dumps(p)) < 40_000 for p in parts[1:])
    joined = township_parts.TownshipParts()
    whole = None
    for part in parts:
        whole = joined.add(orjson.loads(orjson.dumps(part)))
    assert whole is not None and whole["township"]["layers"] == data["layers"]


def test_a_cameras_direction_is_read_as_degrees_or_a_compass_point(files: Path) -> None:
    assert bearing_of("东南") == 135.0 and bearing_of("朝西北") == 315.0
    assert bearing_of("SE") == 135.0 and bearing_of("90°") == 90.0 and bearing_of("-90") == 270.0
    assert bearing_of("球机") is None
    assert bearing_of("正北") == 0.0 and bearing_of("北偏东30°") == 30.0
    assert bearing_of("南偏西10") == 190.0 and bearing_of("NNE") == 22.5
    assert bearing_of("400") is None  # over 360°: a typo, not 40°
    path = files / "township.xlsx"
    book = load_workbook(path)
    ws = book["摄像头"]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "朝向")
    ws.cell(3, col, "东北")
    ws.cell(4, col, "")
    ws.cell(5, col, "看大门")
    book.save(path)
    result = check_directory(files)
    [problem] = result.problems
    assert "看大门" in str(problem) and problem.place.file == "township.xlsx"
    ws.cell(5, col, 200)
    book.save(path)
    result = check_directory(files)
    assert result.township is not None
    codes = [ws.cell(r, 1).value for r in (3, 4, 5)]
    directions = [result.township.cameras[str(c)].direction for c in codes]
    assert directions == [45.0, None, 200.0]


# --- on the map -------------------------------------------------------------------------------


def _map(qtbot: QtBot) -> TownshipMap:
    model = DispatchQueueModel()
    model.set_township(DEMO)
    panel = MapPanel(model.order)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_township(DEMO)
    assert panel.own_layers.isVisibleTo(panel)  # the demo has layers: their switch is there
    the_map = panel.map
    the_map.show_cases = the_map.show_labels = False
    the_map.set_shading(Shading.NONE)
    return the_map


def _screen(the_map: TownshipMap, lon: float, lat: float) -> QPoint:
    sx, sy = the_map.view.to_screen(*mercator(lon, lat))
    return QPoint(round(float(sx)), round(float(sy)))


def test_the_townships_reservoir_is_drawn_as_water_where_it_is(qtbot: QtBot) -> None:
    the_map = _map(qtbot)
    the_map.show_cameras = False
    reservoir = next(f for f in DEMO.layers if f.name == "石门水库")
    inside = shape(reservoir.geometry).representative_point()
    where = _screen(the_map, inside.x, inside.y)
    shown = the_map.grab().toImage().pixelColor(where)
    water = LAYER_STYLES[LayerKind.WATER].fill
    assert water is not None
    assert shown.blue() > shown.red() + 60 and shown.blue() > 120  # water, not the dark ground
    the_map.show_layers = False
    hidden = the_map.grab().toImage().pixelColor(where)
    assert hidden.blue() < shown.blue() - 60  # switched off: gone


def test_a_fixed_cameras_view_points_the_way_it_looks(qtbot: QtBot) -> None:
    the_map = _map(qtbot)
    the_map.show_layers = False
    the_map.show_boundaries = False
    camera = next(c for c in DEMO.cameras.values() if c.direction is not None)
    the_map.view.cx, the_map.view.cy = (float(v) for v in mercator(camera.lon, camera.lat))
    the_map.view.metres_per_px = 2.0  # alone on screen
    the_map.update()
    image = the_map.grab().toImage()
    centre = _screen(the_map, camera.lon, camera.lat)
    reach = max(5.0, the_map._font.pointSizeF() * 0.6) * 3.4 * 0.75

    def tint(bearing: float) -> int:
        a = math.radians(bearing)
        x, y = centre.x() + reach * math.sin(a), centre.y() - reach * math.cos(a)
        return image.pixelColor(QPoint(round(x), round(y))).value()

    assert camera.direction is not None
    ahead, behind = tint(camera.direction), tint(camera.direction + 180)
    assert ahead > behind + 10  # the wedge lies ahead of it, nothing behind


def test_a_boundaries_file_named_like_a_layer_is_still_boundaries(files: Path) -> None:
    """网格图层.geojson, 河流网格边界.geojson: a township's boundaries by what they hold (their
    features name grids), not a layer by the word in their name; the check says so."""
    (files / "boundaries.geojson").rename(files / "河流网格边界.geojson")
    shapeless: dict[str, Any] = {"type": "Feature", "properties": {}, "geometry": None}  # QGIS
    _write(files / "水系.geojson", [_line(ROAD_WGS, "青溪"), shapeless])
    _write(files / "池塘.geojson", [])
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    assert result.boundaries == len(DEMO.villages) + len(DEMO.grids)
    assert [f.layer for f in result.township.layers] == ["水系"]  # the null row skipped
    said = "\n".join(result.notes)
    assert "河流网格边界.geojson" in said and "boundaries" in said
    assert "池塘.geojson" in said and "nothing to draw" in said
    assert "水系.geojson: 1" in said
