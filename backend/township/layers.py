"""The township's own map layers from its GIS exports: roads, rivers, reservoirs, buildings.

A GeoJSON file is a layer when its name says so (domain.map_features.layer_kind: 道路.geojson,
青溪镇水系.geojson, roads.geojson); every other one holds boundaries. Its coordinates are in
the file's declared system (as boundaries: its `coordinate_system` or `crs`, else the 乡镇
sheet's 边界坐标系) and kept in WGS-84. Lines and areas are kept; points are not map layers.
A layer too detailed for the wire is simplified (shapely, keeping its shape's topology) until
it fits, and the check says by how much; broken features are problems like a boundary's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from backend.township.boundaries import crs_system, holds_boundaries, projected
from backend.township.reading import MAX_FILE_BYTES, decoded
from backend.township.sheets import Place, Problem, TownshipFilesError
from domain.coords import CoordinateSystem, to_wgs84
from domain.map_features import (
    AREA_TYPES,
    LINE_TYPES,
    MAX_FEATURE_POINTS,
    MAX_LAYERS_POINTS,
    LayerKind,
    MapFeature,
    layer_kind,
    point_count,
)

NAME_KEYS = ("name", "名称", "NAME", "Name", "道路名称", "河流名称", "水库名称")
FIRST_TOLERANCE = 0.000_002
"""Degrees (about 0.2 m): simplification, when the layers are too detailed as they are,
starts here and doubles."""
LAST_TOLERANCE = 0.000_5
"""About 50 m: coarser than this, a road no longer follows its road on a tile."""


def is_layer_file(path: Path) -> bool:
    """Named as a layer, and its features name no grid or village (else: boundaries)."""
    suffix = path.suffix.lower()
    return (
        suffix in (".geojson", ".json", ".kml")
        and layer_kind(path.stem) is not None
        and not holds_boundaries(path)
    )


def _converted(node: Any, system: CoordinateSystem) -> Any:
    """GeoJSON coordinates (any nesting) into WGS-84; ValueError for a bad position."""
    if isinstance(node, list) and node and isinstance(node[0], list):
        return [_converted(n, system) for n in node]
    if not isinstance(node, list) or len(node) < 2:
        raise ValueError("a position is not a number pair")
    lon, lat = float(node[0]), float(node[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"position out of range: {lon}, {lat}")
    w_lat, w_lon = to_wgs84(lat, lon, system)
    return [w_lon, w_lat]


def _geometry(feature: Any, system: CoordinateSystem) -> BaseGeometry | str | None:
    """The feature's line or area in WGS-84; None to skip it (a point); a reason if broken."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if geometry is None or kind in ("Point", "MultiPoint"):
        return None  # a row without a shape (QGIS writes them), a point: not drawn
    if kind not in LINE_TYPES | AREA_TYPES or not isinstance(geometry, dict):
        return f"not a line or an area ({kind})"
    try:
        found = shape({"type": kind, "coordinates": _converted(geometry["coordinates"], system)})
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        return str(e) or type(e).__name__
    if found.is_empty:
        return "no positions"
    return found if kind in LINE_TYPES or found.is_valid else found.buffer(0)


def _name(feature: dict[str, Any]) -> str:
    props = feature.get("properties")
    for key in NAME_KEYS:
        if isinstance(props, dict) and props.get(key) not in (None, ""):
            return str(props[key]).strip()[:64]
    return ""


def _rounded(geometry: BaseGeometry, tolerance: float) -> dict[str, Any]:
    simple = geometry.simplify(tolerance, preserve_topology=True) if tolerance else geometry
    out: dict[str, Any] = json.loads(
        json.dumps(mapping(simple)), parse_float=lambda s: round(float(s), 6)
    )
    return out


def _read_file(
    path: Path, default: CoordinateSystem, problems: list[Problem], notes: list[str]
) -> list[tuple[str, BaseGeometry]]:
    place = Place(path.name)
    try:
        data = json.loads(decoded(path.read_bytes()))
    except (ValueError, UnicodeDecodeError) as e:
        problems.append(Problem(place, f"不是有效的 GeoJSON:{e}", f"not valid GeoJSON: {e}"))
        return []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(Problem(place, "GeoJSON 须为 FeatureCollection",
                                "GeoJSON must be a FeatureCollection"))  # fmt: skip
        return []
    system: CoordinateSystem | None = default
    if "coordinate_system" in data:
        try:
            system = CoordinateSystem.parse(str(data["coordinate_system"]))
        except ValueError as e:
            problems.append(Problem(place, f"坐标系无法识别:{e}", str(e)))
            return []
    elif "crs" in data:
        system = crs_system(data["crs"], place, problems)
    features = data.get("features")
    if system is None:
        return []
    if projected(features):
        problems.append(Problem(
            place, "坐标像是投影坐标(米),不是经纬度:请从 GIS 以经纬度(EPSG:4490 或 4326)导出",
            "the coordinates look projected (metres), not longitude and latitude: export from "
            "the GIS in EPSG:4490 or 4326",
        ))  # fmt: skip
        return []
    return _features(path, features if isinstance(features, list) else [], system, problems,
                     notes)  # fmt: skip


def _features(
    path: Path, features: list[Any], system: CoordinateSystem, problems: list[Problem],
    notes: list[str],
) -> list[tuple[str, BaseGeometry]]:  # fmt: skip
    found = []
    broken = False
    for n, feature in enumerate(features, start=1):
        geometry = _geometry(feature, system)
        if isinstance(geometry, str):
            broken = True
            problems.append(Problem(Place(path.name, f"第{n}个要素 feature {n}"),
                                    f"图层要素无效:{geometry}",
                                    f"invalid layer feature: {geometry}"))  # fmt: skip
        elif geometry is not None:
            found.append((_name(feature), geometry))
    skipped = len(features) - len(found)
    if not broken and not found:
        notes.append(f"{path.name}: 图层为空 / the layer holds nothing to draw")
    elif not broken and skipped:
        notes.append(f"{path.name}: {skipped} 个要素无线或面(点、空几何),未绘制 / {skipped} "
                     "features without a line or an area, not drawn")  # fmt: skip
    return found


def read_layers(
    directory: Path, default: CoordinateSystem, problems: list[Problem], notes: list[str]
) -> list[MapFeature]:
    """Every layer file's features, simplified as far as they must be to fit; `notes` says
    so when they were."""
    read: list[tuple[str, LayerKind, str, BaseGeometry]] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith("."):
            continue
        if layer_kind(path.stem) is not None and holds_boundaries(path):
            notes.append(f"{path.name}: 要素带有网格或村社代码,作为边界读取 / its features name "
                         "grids or villages: read as boundaries")  # fmt: skip
        if not is_layer_file(path):
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TownshipFilesError(Problem(
                Place(path.name), f"图层文件过大(上限 {MAX_FILE_BYTES // 2**20} MB)",
                f"the layer file is too big (limit {MAX_FILE_BYTES // 2**20} MB)",
            ))  # fmt: skip
        kind = layer_kind(path.stem)
        assert kind is not None
        if path.suffix.lower() == ".kml":
            problems.append(
                Problem(
                    Place(path.name),
                    "图层请以 GeoJSON 导出(KML 只收边界)",
                    "export map layers as GeoJSON (KML: boundaries only)",
                )
            )
            continue
        for name, geometry in _read_file(path, default, problems, notes):
            read.append((path.stem, kind, name, geometry))
    tolerance = 0.0
    while True:
        features = [
            MapFeature(layer, kind, _rounded(g, tolerance), name) for layer, kind, name, g in read
        ]
        total = sum(point_count(f.geometry) for f in features)
        largest = max((point_count(f.geometry) for f in features), default=0)
        if (total <= MAX_LAYERS_POINTS and largest <= MAX_FEATURE_POINTS) or (
            tolerance >= LAST_TOLERANCE
        ):
            break
        tolerance = tolerance * 2 or FIRST_TOLERANCE
    if total > MAX_LAYERS_POINTS or largest > MAX_FEATURE_POINTS:
        problems.append(Problem(
            Place(read[0][0] if read else "(layers)"),
            f"图层过细:简化到约 {tolerance * 1e5:.0f} 米后仍有 {total} 个点"
            f"(上限 {MAX_LAYERS_POINTS},单个要素 {MAX_FEATURE_POINTS})",
            f"the layers are too detailed: {total} positions after simplifying to about "
            f"{tolerance * 1e5:.0f} m (limit {MAX_LAYERS_POINTS}, {MAX_FEATURE_POINTS} a feature)",
        ))  # fmt: skip
    elif tolerance:
        notes.append(f"图层已简化到约 {tolerance * 1e5:.1f} 米 / layers simplified to about "
                     f"{tolerance * 1e5:.1f} m ({total} positions)")  # fmt: skip
    return features
