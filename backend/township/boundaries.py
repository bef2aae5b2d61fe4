"""Grid and village boundaries from the GIS files a township exports: GeoJSON and KML.

Each feature names its grid (or village) by a property: `grid`/`网格代码`/`网格编码`/`code`
(`village`/`村社代码` for a village); in KML an ExtendedData or SchemaData field of those names,
or else the Placemark's name when it is a grid's code. Coordinates are in the file's declared
system (GeoJSON's own `coordinate_system` member, else the 乡镇 sheet's 边界坐标系, else
WGS-84 as both formats define) and converted to WGS-84 here. Rings must close; shapely checks
the rest (self-intersections, holes outside their shell).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.validation import explain_validity

from backend.township.reading import MAX_FILE_BYTES, decoded
from backend.township.sheets import Place, Problem, TownshipFilesError
from domain.coords import CoordinateSystem, from_wgs84, to_wgs84
from domain.map_features import layer_kind

GRID_KEYS = ("grid", "网格代码", "网格编码", "grid_code", "code", "代码")
VILLAGE_KEYS = ("village", "村社代码", "村代码", "village_code")


@dataclass(slots=True)
class Boundary:
    kind: str  # "grid" or "village"
    code: str
    shape: Polygon | MultiPolygon  # WGS-84, (lon, lat) as GIS orders it
    place: Place

    def geometry(self) -> dict[str, Any]:
        """As GeoJSON, rounded to 1e-6 degrees (about 0.1 m)."""
        geometry: dict[str, Any] = json.loads(
            json.dumps(mapping(self.shape)), parse_float=lambda s: round(float(s), 6)
        )
        return geometry


def _ring(
    points: list[Any], system: CoordinateSystem, place: Place, problems: list[Problem]
) -> list[tuple[float, float]] | None:
    try:
        pairs = [(float(p[0]), float(p[1])) for p in points]
    except (TypeError, ValueError, IndexError):
        problems.append(
            Problem(place, "边界坐标不是数字对", "a boundary position is not a number pair")
        )
        return None
    if len(pairs) < 4 or pairs[0] != pairs[-1]:
        problems.append(
            Problem(
                place,
                "边界未闭合(首尾坐标须相同,至少 4 个点)",
                "the boundary does not close (first and last positions must be equal, 4 or more)",
            )
        )
        return None
    out = []
    for lon, lat in pairs:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            swapped = -180 <= lat <= 180 and -90 <= lon <= 90
            problems.append(Problem(
                place,
                f"坐标超出范围:{lon}, {lat}"
                + ("(GeoJSON 先经度后纬度,是否填反?)" if swapped else ""),
                f"position out of range: {lon}, {lat}"
                + (" (GeoJSON is longitude first: swapped?)" if swapped else ""),
            ))  # fmt: skip
            return None
        w_lat, w_lon = to_wgs84(lat, lon, system)
        out.append((w_lon, w_lat))
    return out


def _polygon(
    rings: list[Any], system: CoordinateSystem, place: Place, problems: list[Problem]
) -> Polygon | None:
    if not isinstance(rings, list) or not rings:
        problems.append(Problem(place, "边界没有坐标", "the boundary has no positions"))
        return None
    converted = [_ring(r if isinstance(r, list) else [], system, place, problems) for r in rings]
    if any(r is None for r in converted):
        return None
    shell, *holes = [r for r in converted if r is not None]
    return Polygon(shell, holes)


def _shape(
    geometry: Any, system: CoordinateSystem, place: Place, problems: list[Problem]
) -> Polygon | MultiPolygon | None:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon" and isinstance(coords, list):
        shape: Polygon | MultiPolygon | None = _polygon(coords, system, place, problems)
    elif kind == "MultiPolygon" and isinstance(coords, list):
        parts = [_polygon(p, system, place, problems) for p in coords]
        shape = None if any(p is None for p in parts) else MultiPolygon(parts)
    else:
        problems.append(
            Problem(
                place,
                f"边界须为面(Polygon 或 MultiPolygon),此处为 {kind}",
                f"a boundary must be a Polygon or MultiPolygon, not {kind}",
            )
        )
        return None
    if shape is not None and not shape.is_valid:
        zh, en = _invalid(explain_validity(shape), system)
        problems.append(Problem(place, zh, en))
        return None
    return shape


_WHERE = re.compile(r"^([A-Za-z -]+)\[(-?[\d.eE+-]+) (-?[\d.eE+-]+)\]")
_WHY_ZH = {"Self-intersection": "边界自相交", "Ring Self-intersection": "边界环自相交",
           "Too few points": "边界点数太少", "Hole lies outside shell": "内环在外环之外",
           "Nested shells": "外环相套", "Interior is disconnected": "面的内部不连通",
           "Duplicate Rings": "重复的环"}  # fmt: skip


def _invalid(why: str, system: CoordinateSystem) -> tuple[str, str]:
    """shapely's reason in Chinese and English, its place in the file's own coordinates (it
    gives it in WGS-84, where the file's numbers cannot be found)."""
    found = _WHERE.match(why)
    if found is None:
        return f"边界无效:{why}", f"invalid boundary: {why}"
    kind = found.group(1).strip()
    lat, lon = from_wgs84(float(found.group(3)), float(found.group(2)), system)
    where = f"{lon:.6f}, {lat:.6f}"
    return (
        f"{_WHY_ZH.get(kind, '边界无效:' + kind)},位置约 {where}(经度, 纬度,{system})",
        f"{kind.lower()} near {where} (longitude, latitude, {system})",
    )


def _code(props: dict[str, Any]) -> tuple[str, str] | None:
    for kind, keys in (("village", VILLAGE_KEYS), ("grid", GRID_KEYS)):
        for key in keys:
            value = props.get(key)
            if value not in (None, ""):
                return kind, str(value).strip()
    return None


_EPSG = re.compile(r"EPSG:{1,2}(\d+)", re.IGNORECASE)
_GEOGRAPHIC = {4326: CoordinateSystem.WGS84, 4490: CoordinateSystem.CGCS2000}


def crs_system(crs: Any, place: Place, problems: list[Problem]) -> CoordinateSystem | None:
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    text = str(name or "")
    if "CRS84" in text.upper():
        return CoordinateSystem.WGS84
    code = _EPSG.search(text)
    if code and int(code.group(1)) in _GEOGRAPHIC:
        return _GEOGRAPHIC[int(code.group(1))]
    problems.append(Problem(
        place,
        f"文件的坐标参考系“{text[:80]}”不是经纬度(EPSG:4326 或 4490):请以经纬度导出",
        f"the file's crs {text[:80]!r} is not longitude and latitude (EPSG:4326 or 4490): "
        "export it so",
    ))  # fmt: skip
    return None


def projected(features: Any) -> bool:
    """The first position of the first feature is far outside any longitude and latitude
    (swapped ones are another problem, said per feature)."""
    try:
        coords: Any = features[0]["geometry"]["coordinates"]
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]
        return abs(float(coords[0])) > 1000 or abs(float(coords[1])) > 1000  # metres, not °
    except (LookupError, TypeError, ValueError):
        return False


def read_geojson(path: Path, default: CoordinateSystem, problems: list[Problem]) -> list[Boundary]:
    try:
        data = json.loads(decoded(path.read_bytes()))  # UTF-8, or GBK as some GIS save it
    except (ValueError, UnicodeDecodeError) as e:
        problems.append(
            Problem(Place(path.name), f"不是有效的 GeoJSON:{e}", f"not valid GeoJSON: {e}")
        )
        return []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(
            Problem(
                Place(path.name),
                "GeoJSON 须为 FeatureCollection",
                "GeoJSON must be a FeatureCollection",
            )
        )
        return []
    system = default
    if "coordinate_system" in data:
        try:
            system = CoordinateSystem.parse(str(data["coordinate_system"]))
        except ValueError as e:
            problems.append(Problem(Place(path.name), f"坐标系无法识别:{e}", str(e)))
            return []
    elif "crs" in data:  # as GIS tools write it (GeoJSON 2008): the file's own word
        found_system = crs_system(data["crs"], Place(path.name), problems)
        if found_system is None:
            return []
        system = found_system
    found = []
    features = data.get("features")
    if projected(features):
        problems.append(Problem(
            Place(path.name),
            "坐标像是投影坐标(米,如 CGCS2000 高斯-克吕格 EPSG:4547),不是经纬度:"
            "请从 GIS 以经纬度(EPSG:4490 或 4326)导出",
            "the coordinates look projected (metres, e.g. CGCS2000 Gauss-Kruger EPSG:4547), not "
            "longitude and latitude: export from the GIS in EPSG:4490 or 4326",
        ))  # fmt: skip
        return []
    for n, feature in enumerate(features if isinstance(features, list) else [], start=1):
        place = Place(path.name, f"第{n}个要素 feature {n}")
        props = feature.get("properties") if isinstance(feature, dict) else None
        which = _code(props) if isinstance(props, dict) else None
        if which is None:
            problems.append(
                Problem(
                    place,
                    "要素没有网格代码(属性 grid 或 网格代码)或村社代码(village);若是道路、河流等"
                    "图层,文件名请含“道路”“河流”“水库”等字样",
                    "the feature names no grid (property grid) or village (property village); "
                    "a map layer's file is named for it (道路, 河流, 水库, roads, rivers…)",
                )
            )
            continue
        place = Place(path.name, f"第{n}个要素 feature {n} ({which[0]} {which[1]})")
        shape = _shape(feature.get("geometry"), system, place, problems)
        if shape is not None:
            found.append(Boundary(which[0], which[1], shape, place))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _kml_ring(element: Element) -> list[list[float]]:
    coords = next((e.text or "" for e in _children(element, "coordinates")), "")
    out = []
    for token in coords.split():
        parts = token.split(",")
        out.append([float(parts[0]), float(parts[1])] if len(parts) >= 2 else [])
    return out


def _reencoded(data: bytes) -> bytes:
    """A KML declared in GBK or GB2312, as UTF-8 with its declaration changed to say so."""
    head, _sep, rest = data.partition(b"?>")
    if not rest:
        return data
    encoding = re.search(rb'encoding=["\']([^"\']+)', head)
    name = encoding.group(1).decode("ascii", "replace") if encoding else "gb18030"
    text = rest.decode("gb18030" if name.lower() in ("gbk", "gb2312") else name)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + text.encode("utf-8")


def read_kml(path: Path, default: CoordinateSystem, problems: list[Problem]) -> list[Boundary]:
    raw = path.read_bytes()
    try:
        root = SafeET.fromstring(raw)
    except DefusedXmlException:  # entities and DTDs: a bomb or a reach for local files
        problems.append(Problem(
            Place(path.name), "KML 含实体或 DTD 声明,不予读取(请从 GIS 重新导出)",
            "the KML declares entities or a DTD and is not read (export it again from the GIS)",
        ))  # fmt: skip
        return []
    except Exception as e:
        if "multi-byte encodings" in str(e):  # a GBK KML: expat reads only single-byte ones
            try:
                root = SafeET.fromstring(_reencoded(raw))
            except Exception as again:
                problems.append(Problem(Place(path.name), f"不是有效的 KML:{again}",
                                        f"not valid KML: {again}"))  # fmt: skip
                return []
        else:
            problems.append(Problem(Place(path.name), f"不是有效的 KML:{e}", f"not valid KML: {e}"))
            return []
    found = []
    for n, placemark in enumerate(_children(root, "Placemark"), start=1):
        props: dict[str, Any] = {}
        for data in _children(placemark, "Data"):
            value = next((v.text for v in _children(data, "value")), None)
            props[data.get("name", "")] = value
        for data in _children(placemark, "SimpleData"):
            props[data.get("name", "")] = data.text
        name = next((e.text for e in placemark if _local(e.tag) == "name"), None)
        which = _code(props) or (("grid", name.strip()) if name else None)
        named = f" ({which[0]} {which[1]})" if which else ""
        place = Place(path.name, f"第{n}个地标 Placemark {n}{named}")
        if which is None:
            problems.append(
                Problem(place, "地标没有网格代码或名称", "the Placemark names no grid or village")
            )
            continue
        polygons = []
        try:
            for polygon in _children(placemark, "Polygon"):
                outer = [_kml_ring(e) for e in _children(polygon, "outerBoundaryIs")]
                inner = [_kml_ring(e) for e in _children(polygon, "innerBoundaryIs")]
                polygons.append(outer[:1] + inner)
        except ValueError:
            problems.append(
                Problem(place, "边界坐标不是数字", "a boundary position is not a number")
            )
            continue
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
            if polygons
            else {"type": None}
        )
        shape = _shape(geometry, default, place, problems)
        if shape is not None:
            found.append(Boundary(which[0], which[1], shape, place))
    return found


@functools.lru_cache(maxsize=64)
def _holds_boundaries(path: Path, _mtime: float, _size: int) -> bool:
    try:
        data = json.loads(decoded(path.read_bytes()))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    features = data.get("features") if isinstance(data, dict) else None
    return any(
        isinstance(f, dict) and isinstance(f.get("properties"), dict) and _code(f["properties"])
        for f in (features if isinstance(features, list) else [])
    )


def holds_boundaries(path: Path) -> bool:
    """A GeoJSON file whose features name grids or villages: boundaries, whatever its name
    says (网格图层.geojson, 河流网格边界.geojson are a township's boundaries, not a layer)."""
    if path.suffix.lower() == ".kml":
        return False
    stat = path.stat()
    return _holds_boundaries(path, stat.st_mtime, stat.st_size)


def read_boundaries(
    directory: Path, default: CoordinateSystem, problems: list[Problem]
) -> list[Boundary]:
    """Every .geojson (or .json, as some GIS exports name it) and .kml file in the directory
    but the map layers (none is fine: points only)."""
    found: list[Boundary] = []
    for path in sorted(directory.iterdir()):
        suffix = path.suffix.lower()
        if suffix not in (".geojson", ".json", ".kml") or path.name.startswith("."):
            continue
        if layer_kind(path.stem) is not None and not holds_boundaries(path):
            continue  # roads, rivers: backend.township.layers
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            raise TownshipFilesError(
                Problem(Place(path.name), f"边界文件过大({size / 1e6:.0f} MB,上限 {limit} MB)",
                        f"the boundary file is too big ({size / 1e6:.0f} MB, limit {limit} MB)")
            )  # fmt: skip
        reader = read_kml if suffix == ".kml" else read_geojson
        found.extend(reader(path, default, problems))
    return found
