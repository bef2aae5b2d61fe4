"""The township's own map layers (roads, rivers, reservoirs, buildings) as its GIS files give
them: drawn under the live layers, never reasoned about. A layer file is known by its name (a
township names its exports 道路.geojson, 水系.geojson, roads.geojson …); each feature keeps its
geometry in WGS-84, rounded to 1e-6° (0.1 m), and its name when it has one.

Both sides use this module: the backend reads the files into features and keeps them with the
township; the township reply carries them (domain.township_parts splits them like any list).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

LINE_TYPES = frozenset({"LineString", "MultiLineString"})
AREA_TYPES = frozenset({"Polygon", "MultiPolygon"})
MAX_FEATURE_POINTS = 20_000
"""One feature's positions at most (about 0.4 MB on the wire): a longer one is simplified."""
MAX_LAYERS_POINTS = 400_000
"""All layers' positions at most (some 8 MB, a few parts of the township reply; a frame of
the map draws them from a cached layer, so the cost is the first draw)."""


class LayerKind(StrEnum):
    ROAD = "road"
    RIVER = "river"
    WATER = "water"  # reservoirs, ponds, lakes: areas
    BUILDING = "building"
    OTHER = "other"


_WORDS: tuple[tuple[LayerKind, tuple[str, ...]], ...] = (
    (LayerKind.WATER, ("水库", "水域", "湖泊", "池塘", "水面", "reservoir", "lake", "pond",
                       "waterbod")),
    (LayerKind.RIVER, ("河流", "水系", "河道", "溪流", "沟渠", "渠道", "river", "stream",
                       "canal", "waterway")),
    (LayerKind.ROAD, ("道路", "公路", "路网", "街道", "road", "street", "highway")),
    (LayerKind.BUILDING, ("建筑", "房屋", "building", "house")),
    (LayerKind.OTHER, ("图层", "layer")),
)  # fmt: skip
"""Words in a file's name that make it a map layer, and of what kind (first match wins:
水库 before 水系, so a reservoirs file is areas of water). Not a bare 溪 or 河: place names
have them (青溪镇道路 is roads)."""


def layer_kind(file_stem: str) -> LayerKind | None:
    """The kind of layer a file's name says it is; None: not a layer (a boundaries file)."""
    name = file_stem.lower()
    for kind, words in _WORDS:
        if any(w in name for w in words):
            return kind
    return None


def point_count(geometry: dict[str, Any]) -> int:
    """Positions in a line or area geometry (as GeoJSON nests them)."""

    def count(node: Any) -> int:
        if isinstance(node, list) and node and isinstance(node[0], list):
            return sum(count(n) for n in node)
        return 1 if isinstance(node, list) else 0

    return count(geometry.get("coordinates"))


@dataclass(frozen=True, slots=True)
class MapFeature:
    layer: str
    """The file's name without its suffix (道路, 青溪镇水系): the legend's word for it."""
    kind: LayerKind
    geometry: dict[str, Any]
    """GeoJSON LineString, MultiLineString, Polygon or MultiPolygon in WGS-84."""
    name: str = ""

    @property
    def is_area(self) -> bool:
        return self.geometry.get("type") in AREA_TYPES

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "kind": str(self.kind), "name": self.name,
                "geometry": self.geometry}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MapFeature:
        geometry = data["geometry"]
        if geometry.get("type") not in LINE_TYPES | AREA_TYPES:
            raise ValueError(f"a map feature is a line or an area, not {geometry.get('type')}")
        return cls(str(data["layer"]), LayerKind(data["kind"]), geometry, str(data.get("name", "")))


def features_of(collection: dict[str, Any], layer: str) -> list[MapFeature]:
    """A FeatureCollection in WGS-84 that needs no checking (the demo township's own files)
    as a layer named `layer` (its kind from the name)."""
    kind = layer_kind(layer) or LayerKind.OTHER
    return [
        MapFeature(layer, kind, f["geometry"], str((f.get("properties") or {}).get("name", "")))
        for f in collection["features"]
        if f["geometry"]["type"] in LINE_TYPES | AREA_TYPES
    ]
