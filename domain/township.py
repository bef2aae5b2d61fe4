"""The township as the command room sees it: villages, grids, people, platforms, cameras.

Loaded from `resources/` by the backend and sent to consoles as a dict over the wire; both
sides build the same frozen objects with `Township.from_dict`, which also checks references.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from domain.map_features import MapFeature, features_of
from domain.resources import load_config, load_json


class Role(StrEnum):
    GRID_WORKER = "grid_worker"
    GRID_MEMBER = "grid_member"
    GRID_LEADER = "grid_leader"
    DUTY_OFFICER = "duty_officer"
    SUPERVISOR = "supervisor"
    DEPARTMENT_HANDLER = "department_handler"
    ADMINISTRATOR = "administrator"  # configuration, keys and users; no cases
    AUDITOR = "auditor"  # reads the audit trail; no cases
    GATEWAY = "gateway"  # the grid app's or hotline's server: reports for the people it logs in
    SYSTEM = "system"  # the backend itself (deadline sweep); never a person's role


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; ample inside one township)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


class TownshipDataError(ValueError):
    """The township data is inconsistent (a dangling reference, a duplicate code)."""


@dataclass(frozen=True, slots=True)
class Village:
    code: str
    name: str
    lat: float
    lon: float
    boundary: dict[str, Any] | None = field(default=None, repr=False)
    """GeoJSON Polygon or MultiPolygon in WGS-84 (lon, lat), when the township has one."""


@dataclass(frozen=True, slots=True)
class Grid:
    code: str
    name: str
    village: str
    lat: float
    lon: float
    leader: str
    members: tuple[str, ...]
    workers: tuple[str, ...]
    boundary: dict[str, Any] | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Person:
    code: str
    name: str
    role: Role
    village: str | None
    phone: str
    speciality: str | None = None


@dataclass(frozen=True, slots=True)
class Platform:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class PlatformSet:
    code: str
    name: str
    platforms: tuple[Platform, ...]


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    platform_by_set: dict[str, str]
    handlers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Camera:
    code: str
    name: str
    kind: str
    group: str
    phase: int
    village: str | None
    lat: float
    lon: float
    main_url: str
    sub_url: str
    coverage_km: float | None = None
    direction: float | None = None
    """Where it looks, in degrees clockwise from north, when known (a dome turns: none)."""


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    platform_by_set: dict[str, str]
    department: str
    demo_weight: int = 0
    demo_texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Township:
    code: str
    name: str
    lat: float
    lon: float
    platform_set: str
    platform_sets: dict[str, PlatformSet]
    villages: dict[str, Village]
    grids: dict[str, Grid]
    people: dict[str, Person]
    departments: dict[str, Department]
    cameras: dict[str, Camera]
    categories: dict[str, Category] = field(default_factory=dict)
    former: dict[str, dict[str, str]] = field(default_factory=dict)
    """Retired codes' names by register ("villages", "grids", "departments", "categories"):
    gone from the township's files, still named by the cases reported in them."""
    layers: tuple[MapFeature, ...] = ()
    """Its own map layers (roads, rivers, reservoirs), when its files have them."""

    def name_of(self, register: str, code: str) -> str | None:
        """An active or a retired entity's name (history shows both), or None."""
        active: dict[str, Any] = getattr(self, register)
        if code in active:
            return str(active[code].name)
        return self.former.get(register, {}).get(code)

    @property
    def platforms(self) -> tuple[Platform, ...]:
        """The platforms of the set this township has chosen."""
        return self.platform_sets[self.platform_set].platforms

    def platform_of(self, category_code: str) -> Platform:
        code = self.categories[category_code].platform_by_set[self.platform_set]
        return next(p for p in self.platforms if p.code == code)

    def grids_of(self, village_code: str) -> list[Grid]:
        return [g for g in self.grids.values() if g.village == village_code]

    def nearest_cameras(self, lat: float, lon: float, n: int = 3) -> list[tuple[Camera, float]]:
        """The `n` cameras closest to a point, with their distance in metres."""
        by_distance = sorted(
            ((c, distance_m(lat, lon, c.lat, c.lon)) for c in self.cameras.values()),
            key=lambda pair: pair[1],
        )
        return by_distance[:n]

    def cameras_for_incident(self, lat: float, lon: float, n: int = 3) -> list[Camera]:
        """The cameras an incident at (lat, lon) opens on the wall's alarm tiles: the high-point
        cameras whose coverage reaches it (nearest first), then the `n` nearest others."""
        high = sorted(
            (
                (distance_m(lat, lon, c.lat, c.lon), c)
                for c in self.cameras.values()
                if c.coverage_km is not None
            ),
            key=lambda pair: pair[0],
        )
        covering = [c for d, c in high if d <= (c.coverage_km or 0) * 1000][:1]
        nearest = [c for c, _d in self.nearest_cameras(lat, lon, n + len(covering))]
        chosen = covering + [c for c in nearest if c not in covering]
        return chosen[: n + len(covering)]

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], categories: list[dict[str, Any]], platform_set: str
    ) -> Township:
        """Build and check a township; raises TownshipDataError on any dangling reference."""
        sets = {
            code: PlatformSet(
                code, s["name"], tuple(Platform(p["code"], p["name"]) for p in s["platforms"])
            )
            for code, s in data["platform_sets"].items()
        }
        if platform_set not in sets:
            raise TownshipDataError(
                f"unknown platform set {platform_set!r}; choose one of {sorted(sets)}"
            )
        villages = _unique(
            Village(v["code"], v["name"], v["lat"], v["lon"], v.get("boundary"))
            for v in data["villages"]
        )
        people = _unique(
            Person(
                p["code"],
                p["name"],
                Role(p["role"]),
                p.get("village"),
                p["phone"],
                p.get("speciality"),
            )
            for p in data["people"]
        )
        grids = _unique(
            Grid(
                g["code"],
                g["name"],
                g["village"],
                g["lat"],
                g["lon"],
                g["leader"],
                tuple(g["members"]),
                tuple(g["workers"]),
                g.get("boundary"),
            )
            for g in data["grids"]
        )
        departments = _unique(
            Department(d["code"], d["name"], dict(d["platform"]), tuple(d["handlers"]))
            for d in data["departments"]
        )
        cameras = _unique(
            Camera(
                c["code"],
                c["name"],
                c["kind"],
                c["group"],
                c["phase"],
                c.get("village"),
                c["lat"],
                c["lon"],
                c["main_url"],
                c["sub_url"],
                c.get("coverage_km"),
                c.get("direction"),
            )
            for c in data["cameras"]
        )
        cats = _unique(
            Category(
                c["code"],
                c["name"],
                dict(c["platform"]),
                c["department"],
                c.get("demo_weight", 0),
                tuple(c.get("demo_texts", ())),
            )
            for c in categories
        )
        township = cls(
            data["code"],
            data["name"],
            data["lat"],
            data["lon"],
            platform_set,
            sets,
            villages,
            grids,
            people,
            departments,
            cameras,
            cats,
            {k: dict(v) for k, v in data.get("former", {}).items()},
            tuple(MapFeature.from_dict(f) for f in data.get("layers") or ()),
        )
        township._check_references()
        return township

    def to_dict(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The inverse of `from_dict`: (township data, categories)."""
        data = {
            "code": self.code,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "former": {k: dict(v) for k, v in self.former.items()},
            "platform_sets": {
                s.code: {
                    "name": s.name,
                    "platforms": [{"code": p.code, "name": p.name} for p in s.platforms],
                }
                for s in self.platform_sets.values()
            },
            "villages": [
                {"code": v.code, "name": v.name, "lat": v.lat, "lon": v.lon, "boundary": v.boundary}
                for v in self.villages.values()
            ],
            "grids": [
                {
                    "code": g.code,
                    "name": g.name,
                    "village": g.village,
                    "lat": g.lat,
                    "lon": g.lon,
                    "leader": g.leader,
                    "members": list(g.members),
                    "workers": list(g.workers),
                    "boundary": g.boundary,
                }
                for g in self.grids.values()
            ],
            "people": [
                {
                    "code": p.code,
                    "name": p.name,
                    "role": p.role.value,
                    "village": p.village,
                    "phone": p.phone,
                    "speciality": p.speciality,
                }
                for p in self.people.values()
            ],
            "departments": [
                {
                    "code": d.code,
                    "name": d.name,
                    "platform": dict(d.platform_by_set),
                    "handlers": list(d.handlers),
                }
                for d in self.departments.values()
            ],
            "cameras": [
                {
                    "code": c.code,
                    "name": c.name,
                    "kind": c.kind,
                    "group": c.group,
                    "phase": c.phase,
                    "village": c.village,
                    "lat": c.lat,
                    "lon": c.lon,
                    "main_url": c.main_url,
                    "sub_url": c.sub_url,
                    "coverage_km": c.coverage_km,
                    "direction": c.direction,
                }
                for c in self.cameras.values()
            ],
            "layers": [f.to_dict() for f in self.layers],
        }
        categories = [
            {
                "code": c.code,
                "name": c.name,
                "platform": dict(c.platform_by_set),
                "department": c.department,
                "demo_weight": c.demo_weight,
                "demo_texts": list(c.demo_texts),
            }
            for c in self.categories.values()
        ]
        return data, categories

    def _check_references(self) -> None:
        platforms = {code: {p.code for p in s.platforms} for code, s in self.platform_sets.items()}
        problems = [
            f"grid {g.code}: unknown village {g.village}"
            for g in self.grids.values()
            if g.village not in self.villages
        ]
        problems += [
            f"grid {g.code}: unknown person {p}"
            for g in self.grids.values()
            for p in (g.leader, *g.members, *g.workers)
            if p not in self.people
        ]
        problems += [
            f"department {d.code}: unknown platform {platform} in set {set_code}"
            for d in self.departments.values()
            for set_code, platform in d.platform_by_set.items()
            if platform not in platforms.get(set_code, ())
        ]
        problems += [
            f"camera {c.code}: unknown village {c.village}"
            for c in self.cameras.values()
            if c.village is not None and c.village not in self.villages
        ]
        problems += [
            f"category {c.code}: unknown department {c.department}"
            for c in self.categories.values()
            if c.department not in self.departments
        ]
        problems += [
            f"category {c.code}: no platform in set {self.platform_set}"
            for c in self.categories.values()
            if c.platform_by_set.get(self.platform_set) not in platforms[self.platform_set]
        ]
        if problems:
            raise TownshipDataError("; ".join(problems))


_Coded = TypeVar("_Coded", Village, Grid, Person, Department, Camera, Category)


def _unique(items: Iterable[_Coded]) -> dict[str, _Coded]:
    out: dict[str, _Coded] = {}
    for item in items:
        if item.code in out:
            raise TownshipDataError(f"duplicate code {item.code}")
        out[item.code] = item
    return out


def with_boundaries(data: dict[str, Any], collection: dict[str, Any]) -> dict[str, Any]:
    """Township data with each grid's and village's boundary from a GeoJSON FeatureCollection
    in WGS-84 whose features name them (`grid` or `village` property)."""
    by_kind: dict[str, dict[str, Any]] = {"grid": {}, "village": {}}
    for feature in collection["features"]:
        props = feature["properties"]
        kind = "grid" if "grid" in props else "village"
        by_kind[kind][props[kind]] = feature["geometry"]
    return {
        **data,
        "grids": [{**g, "boundary": by_kind["grid"].get(g["code"])} for g in data["grids"]],
        "villages": [
            {**v, "boundary": by_kind["village"].get(v["code"])} for v in data["villages"]
        ],
    }


def load_demo_township(platform_set: str | None = None) -> Township:
    """The township named by resources/config.json, with its categories and boundaries."""
    config = load_config()
    data = load_json(config["township"])
    if "boundaries" in config:
        data = with_boundaries(data, load_json(config["boundaries"]))
    layers = [f.to_dict() for path in config.get("layers", ())
              for f in features_of(load_json(path), Path(path).stem)]  # fmt: skip
    data = {**data, "layers": layers}
    return Township.from_dict(
        data,
        load_json(config["categories"])["categories"],
        platform_set or config["platform_set"],
    )
