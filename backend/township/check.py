"""A township's files checked and built into a `Township`: every problem, each with its place.

Nothing here stops at the first problem: an administrator fixes a whole list at a time. The
township is built only when no problem was found (then `Township.from_dict` cannot fail).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.strtree import STRtree

from backend.township.boundaries import Boundary, read_boundaries
from backend.township.reading import Cell, RawSheet, read_registers
from backend.township.sheets import (
    ROLE_NAMES,
    Place,
    Problem,
    SheetSpec,
    TownshipFilesError,
)
from domain.camera_urls import address_problem
from domain.coords import CoordinateSystem, to_wgs84
from domain.township import Role, Township, distance_m

TOWNSHIP_RADIUS_KM = 40.0
"""A position farther than this from the township's centre is outside it (when the villages
have no boundaries to say so exactly)."""
OVERLAP_M2 = 100.0
"""Neighbouring boundaries may touch and differ by digitising noise; more overlap than this
(and than 0.1 % of the smaller one) is two grids claiming the same ground."""
CODE = re.compile(r"^[A-Za-z0-9_\-.+]{1,32}$")
SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass(slots=True)
class CheckResult:
    township: Township | None
    problems: list[Problem] = field(default_factory=list)
    boundaries: int = 0

    @property
    def ok(self) -> bool:
        return self.township is not None and not self.problems


class _Reader:
    """Typed values out of cells; a bad one is a problem at its place, and None."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def problem(self, place: Place, zh: str, en: str) -> None:
        self.problems.append(Problem(place, zh, en))

    def cell(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> Cell | None:
        """The cell; an empty one is a problem where the column is required."""
        cell = row.get(key)
        if cell is None and spec.column(key).required:
            header = spec.column(key).header
            self.problem(place, f"“{header}”为空", f"{header} ({key}) is empty")
        return cell

    def text(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> str | None:
        cell = self.cell(row, key, spec, place)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number
        return str(value).strip()

    def number(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> float | None:
        cell = self.cell(row, key, spec, place)
        if cell is None:
            return None
        try:
            value = (
                float(str(cell.value).strip()) if isinstance(cell.value, str) else float(cell.value)
            )
        except (TypeError, ValueError):
            value = float("nan")
        if not math.isfinite(value):
            self.problem(cell.place, f"不是数字:{cell.value}", f"not a number: {cell.value}")
            return None
        return value

    def listed(self, row: dict[str, Cell], key: str) -> tuple[list[str], Place | None]:
        cell = row.get(key)
        if cell is None:
            return [], None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return [p for p in SPLIT.split(str(value)) if p], cell.place


def _unique_rows(sheet: RawSheet, r: _Reader) -> list[tuple[str, dict[str, Cell], Place]]:
    """(code, row, place) of each row with a well-formed code seen for the first time."""
    seen: dict[str, Place] = {}
    out = []
    for row, place in zip(sheet.rows, sheet.row_places, strict=True):
        code = r.text(row, "code", sheet.spec, place)
        if code is None:
            continue
        cell_place = row["code"].place
        if not CODE.match(code):
            r.problem(
                cell_place,
                f"代码“{code}”只能用字母、数字和 _-.+,不超过 32 个字符",
                f"code {code!r}: letters, digits and _-.+ only, at most 32 characters",
            )
            continue
        if code in seen:
            r.problem(
                cell_place,
                f"代码“{code}”重复(首次见于{seen[code]})",
                f"duplicate code {code!r} (first at {seen[code]})",
            )
            continue
        seen[code] = cell_place
        out.append((code, row, place))
    return out


class _Builder:
    def __init__(self, sheets: dict[str, RawSheet], problems: list[Problem]) -> None:
        self.sheets = sheets
        self.r = _Reader(problems)
        self.problems = problems
        self.system = CoordinateSystem.WGS84
        self.boundary_system = CoordinateSystem.WGS84
        self.centre: tuple[float, float] | None = None

    def position(
        self, row: dict[str, Cell], spec: SheetSpec, place: Place
    ) -> tuple[float, float] | None:
        lat = self.r.number(row, "lat", spec, place)
        lon = self.r.number(row, "lon", spec, place)
        if lat is None or lon is None:
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.r.problem(
                row["lat"].place,
                f"坐标超出范围:纬度 {lat},经度 {lon}(纬度与经度是否填反?)",
                f"position out of range: lat {lat}, lon {lon} (latitude and longitude swapped?)",
            )
            return None
        w = to_wgs84(lat, lon, self.system)
        if self.centre is not None:
            km = distance_m(*self.centre, *w) / 1000
            if km > TOWNSHIP_RADIUS_KM:
                self.r.problem(
                    row["lat"].place,
                    f"坐标在乡镇之外(距中心 {km:.0f} 公里;坐标系是否写错?)",
                    f"outside the township ({km:.0f} km from its centre; wrong coordinate system?)",
                )
                return None
        return w

    def township(self) -> dict[str, Any] | None:
        sheet = self.sheets["township"]
        if not sheet.rows:
            self.r.problem(
                Place(sheet.file, sheet.spec.name),
                "“乡镇”表须有一行:乡镇的代码、名称、中心坐标和平台体系",
                "the 乡镇 sheet needs one row: the township's code, name, centre and platform set",
            )
            return None
        if len(sheet.rows) > 1:
            self.r.problem(
                sheet.row_places[1], "“乡镇”表只能有一行", "the 乡镇 sheet has one row only"
            )
        row, place = sheet.rows[0], sheet.row_places[0]
        spec = sheet.spec
        for key, attr in (("coordinates", "system"), ("boundary_coordinates", "boundary_system")):
            if key in row:
                try:
                    setattr(self, attr, CoordinateSystem.parse(str(row[key].value)))
                except ValueError as e:
                    self.r.problem(row[key].place, f"坐标系无法识别:{row[key].value}", str(e))
        if "boundary_coordinates" not in row:
            self.boundary_system = CoordinateSystem.WGS84
        code = self.r.text(row, "code", spec, place)
        if code is not None and not CODE.match(code):
            self.r.problem(
                row["code"].place,
                "乡镇代码只能用字母和数字",
                "the township's code: letters and digits",
            )
        name = self.r.text(row, "name", spec, place)
        centre = self.position(row, spec, place)
        self.centre = centre
        platform_set = self.r.text(row, "platform_set", spec, place)
        if None in (code, name, centre, platform_set):
            return None
        assert centre is not None
        return {"code": code, "name": name, "lat": centre[0], "lon": centre[1],
                "platform_set": platform_set}  # fmt: skip

    def platforms(self, chosen: str | None) -> dict[str, Any]:
        sheet = self.sheets["platforms"]
        sets: dict[str, dict[str, Any]] = {}
        for row, place in zip(sheet.rows, sheet.row_places, strict=True):
            values = [
                self.r.text(row, k, sheet.spec, place) for k in ("set", "set_name", "code", "name")
            ]
            if None in values:
                continue
            set_code, set_name, code, name = (v or "" for v in values)
            s = sets.setdefault(set_code, {"name": set_name, "platforms": []})
            if any(p["code"] == code for p in s["platforms"]):
                self.r.problem(
                    row["code"].place, f"平台代码“{code}”重复", f"duplicate platform {code!r}"
                )
                continue
            s["platforms"].append({"code": code, "name": name})
        if chosen is not None and chosen not in sets:
            self.r.problem(
                Place(sheet.file, sheet.spec.name),
                f"“平台”表中没有乡镇选用的平台体系“{chosen}”(有:{'、'.join(sets) or '无'})",
                f"the platform set {chosen!r} the township chose is not in the 平台 sheet "
                f"(found: {', '.join(sets) or 'none'})",
            )
        return sets

    def platform_code(self, cell: Cell | None, platforms: list[dict[str, str]]) -> str | None:
        if cell is None:
            return None
        text = str(cell.value).strip()
        for p in platforms:
            if text in (p["code"], p["name"]):
                return p["code"]
        self.r.problem(
            cell.place,
            f"平台“{text}”不在所选平台体系中(可选:{'、'.join(p['name'] for p in platforms)})",
            f"platform {text!r} is not in the chosen platform set "
            f"({', '.join(p['code'] for p in platforms)})",
        )
        return None


def _overlaps(b: _Builder, mine: list[Boundary]) -> None:
    """Neighbours that claim the same ground (beyond digitising noise)."""
    tree = STRtree([bd.shape for bd in mine])
    for i, one in enumerate(mine):
        for j in tree.query(one.shape):
            if j <= i:
                continue
            other = mine[j]
            overlap = one.shape.intersection(other.shape).area
            lat = one.shape.centroid.y  # degrees² to m² at this latitude
            m2 = overlap * 111_320**2 * max(0.1, math.cos(math.radians(lat)))
            if m2 > OVERLAP_M2 and overlap > 0.001 * min(one.shape.area, other.shape.area):
                b.r.problem(
                    one.place,
                    f"与“{other.code}”的边界重叠约 {m2:,.0f} 平方米(见{other.place})",
                    f"overlaps {other.code!r} by about {m2:,.0f} m² (at {other.place})",
                )


def _boundaries_into(
    b: _Builder, found: list[Boundary], villages: dict[str, Any], grids: dict[str, Any]
) -> int:
    """Attach each boundary to its grid or village; check references, doubles and overlaps."""
    attached: dict[tuple[str, str], Boundary] = {}
    for boundary in found:
        table = grids if boundary.kind == "grid" else villages
        key = (boundary.kind, boundary.code)
        if boundary.code not in table:
            named = "网格" if boundary.kind == "grid" else "村社"
            b.r.problem(
                boundary.place,
                f"边界所属{named}“{boundary.code}”不在登记表中",
                f"the boundary's {boundary.kind} {boundary.code!r} is not in the registers",
            )
            continue
        if key in attached:
            b.r.problem(
                boundary.place,
                f"“{boundary.code}”有两个边界(另一个见{attached[key].place})",
                f"{boundary.code!r} has two boundaries (the other at {attached[key].place})",
            )
            continue
        attached[key] = boundary
        table[boundary.code]["boundary"] = boundary.geometry()
        if b.centre is not None:
            c = boundary.shape.centroid
            km = distance_m(*b.centre, c.y, c.x) / 1000
            if km > TOWNSHIP_RADIUS_KM:
                b.r.problem(
                    boundary.place,
                    f"边界在乡镇之外(距中心 {km:.0f} 公里;坐标系是否写错?)",
                    f"the boundary is outside the township ({km:.0f} km from its centre)",
                )
    for kind in ("grid", "village"):
        _overlaps(b, [bd for (k, _c), bd in attached.items() if k == kind])
    # a grid or village without its own position takes its boundary's inside point
    for table in (villages, grids):
        for entity in table.values():
            if entity.get("lat") is None and entity.get("boundary") is not None:
                kind = "grid" if table is grids else "village"
                point = attached[(kind, entity["code"])].shape.representative_point()
                entity["lat"], entity["lon"] = round(point.y, 6), round(point.x, 6)
    return len(attached)


class _Registers:
    """The registers after the 乡镇 and 平台 sheets, each read and checked against those
    before it (people name villages, grids name people, categories name departments)."""

    def __init__(self, b: _Builder, chosen: str | None, platforms: list[dict[str, str]]) -> None:
        self.b, self.r, self.sheets = b, b.r, b.sheets
        self.chosen, self.platforms = chosen, platforms
        self.villages: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.grids: dict[str, dict[str, Any]] = {}
        self.departments: dict[str, dict[str, Any]] = {}
        self.cameras: dict[str, dict[str, Any]] = {}
        self.categories: list[dict[str, Any]] = []

    def _position(self, row: dict[str, Cell], spec: SheetSpec, place: Place) -> tuple[Any, Any]:
        pos = self.b.position(row, spec, place) if "lat" in row or "lon" in row else None
        return (pos[0], pos[1]) if pos else (None, None)

    def _village_ref(self, row: dict[str, Cell], spec: SheetSpec, place: Place) -> str | None:
        village = self.r.text(row, "village", spec, place)
        if village is not None and village not in self.villages:
            self.r.problem(
                row["village"].place,
                f"所属村社“{village}”不在村社表中",
                f"the village {village!r} is not in the 村社 sheet",
            )
        return village

    def _person_refs(self, codes: list[str], where: Place | None, zh: str, en: str) -> None:
        for c in codes:
            if c not in self.people:
                self.r.problem(
                    where or Place(""),
                    f"{zh}“{c}”不在人员表中",
                    f"the {en} {c!r} is not a person in the 人员 sheet",
                )

    def read_villages(self) -> None:
        sheet = self.sheets["villages"]
        for code, row, place in _unique_rows(sheet, self.r):
            lat, lon = self._position(row, sheet.spec, place)
            name = self.r.text(row, "name", sheet.spec, place)
            self.villages[code] = {"code": code, "name": name, "lat": lat, "lon": lon,
                                   "_place": place}  # fmt: skip

    def read_people(self) -> None:
        sheet, r = self.sheets["people"], self.r
        roles = {x.value for x in Role}
        for code, row, place in _unique_rows(sheet, r):
            role_text = r.text(row, "role", sheet.spec, place)
            role = ROLE_NAMES.get(role_text or "", role_text)
            if role_text is not None and role not in roles:
                r.problem(
                    row["role"].place,
                    f"角色“{role_text}”无法识别(可填:{'、'.join(ROLE_NAMES)})",
                    f"unknown role {role_text!r}",
                )
            self.people[code] = {"code": code, "name": r.text(row, "name", sheet.spec, place),
                                 "role": role,
                                 "village": self._village_ref(row, sheet.spec, place),
                                 "phone": r.text(row, "phone", sheet.spec, place) or "",
                                 "speciality": r.text(row, "speciality", sheet.spec,
                                                      place)}  # fmt: skip

    def read_grids(self) -> None:
        sheet, r = self.sheets["grids"], self.r
        worker_of: dict[str, tuple[str, Place]] = {}
        for code, row, place in _unique_rows(sheet, r):
            village = self._village_ref(row, sheet.spec, place)
            leader = r.text(row, "leader", sheet.spec, place)
            if leader is not None:
                self._person_refs([leader], row["leader"].place, "网格长", "leader")
            members, m_place = r.listed(row, "members")
            workers, w_place = r.listed(row, "workers")
            self._person_refs(members, m_place, "网格员", "member")
            self._person_refs(workers, w_place, "专职网格员", "grid worker")
            for w in workers:
                if w in worker_of and worker_of[w][0] != code:
                    other, at = worker_of[w]
                    r.problem(
                        w_place or place,
                        f"专职网格员“{w}”同时在网格“{other}”({at})",
                        f"grid worker {w!r} is also in grid {other!r} ({at})",
                    )
                else:
                    worker_of[w] = (code, w_place or place)
            lat, lon = self._position(row, sheet.spec, place)
            self.grids[code] = {"code": code, "name": r.text(row, "name", sheet.spec, place),
                                "village": village, "lat": lat, "lon": lon, "leader": leader,
                                "members": members, "workers": workers,
                                "_place": place}  # fmt: skip

    def _platform(self, row: dict[str, Cell], spec: SheetSpec, place: Place) -> dict[str, str]:
        self.r.text(row, "platform", spec, place)  # an empty one is a problem
        code = self.b.platform_code(row.get("platform"), self.platforms) if self.platforms else None
        return {self.chosen: code} if self.chosen and code else {}

    def read_departments(self) -> dict[str, str]:
        """The departments; returns their codes by name (categories may name them)."""
        sheet, r = self.sheets["departments"], self.r
        by_name: dict[str, str] = {}
        for code, row, place in _unique_rows(sheet, r):
            handlers, h_place = r.listed(row, "handlers")
            self._person_refs(handlers, h_place, "承办人", "handler")
            name = r.text(row, "name", sheet.spec, place)
            by_name[name or code] = code
            self.departments[code] = {"code": code, "name": name,
                                      "platform": self._platform(row, sheet.spec, place),
                                      "handlers": handlers}  # fmt: skip
        return by_name

    def read_cameras(self) -> None:
        sheet, r = self.sheets["cameras"], self.r
        for code, row, place in _unique_rows(sheet, r):
            urls = {}
            for key in ("main_url", "sub_url"):
                url = r.text(row, key, sheet.spec, place)
                if url is not None and (why := address_problem(url)) is not None:
                    r.problem(row[key].place, why[0], why[1])
                urls[key] = url
            village = self._village_ref(row, sheet.spec, place)
            phase = r.number(row, "phase", sheet.spec, place)
            pos = self.b.position(row, sheet.spec, place)
            self.cameras[code] = {"code": code, "name": r.text(row, "name", sheet.spec, place),
                                  "kind": r.text(row, "kind", sheet.spec, place) or "other",
                                  "group": r.text(row, "group", sheet.spec, place) or "其他",
                                  "phase": int(phase) if phase is not None else 9,
                                  "village": village, "lat": pos[0] if pos else None,
                                  "lon": pos[1] if pos else None, "main_url": urls["main_url"],
                                  "sub_url": urls["sub_url"] or urls["main_url"],
                                  "coverage_km": r.number(row, "coverage_km", sheet.spec,
                                                          place)}  # fmt: skip

    def read_categories(self, departments_by_name: dict[str, str]) -> None:
        sheet, r = self.sheets["categories"], self.r
        for code, row, place in _unique_rows(sheet, r):
            text = r.text(row, "department", sheet.spec, place)
            department = text if text in self.departments else departments_by_name.get(text or "")
            if text is not None and department is None:
                r.problem(
                    row["department"].place,
                    f"默认部门“{text}”不在部门表中",
                    f"the default department {text!r} is not in the 部门 sheet",
                )
            self.categories.append({"code": code,
                                    "name": r.text(row, "name", sheet.spec, place),
                                    "platform": self._platform(row, sheet.spec, place),
                                    "department": department})  # fmt: skip

    def unplaced(self) -> None:
        for table, zh in ((self.villages, "村社"), (self.grids, "网格")):
            for entity in table.values():
                if entity["lat"] is None:
                    self.r.problem(
                        entity["_place"],
                        f"{zh}“{entity['code']}”既无坐标也无边界",
                        f"{entity['code']!r} has neither a position nor a boundary",
                    )


def _missing_sheets(sheets: dict[str, RawSheet], problems: list[Problem]) -> None:
    for key, sheet in sheets.items():
        if not sheet.present and key != "platforms":
            problems.append(
                Problem(
                    Place(sheet.file),
                    f"缺少“{sheet.spec.name}”表",
                    f"the {sheet.spec.name} ({sheet.spec.key}) sheet is missing",
                )
            )


def check_directory(directory: Path) -> CheckResult:
    """Read, check and build; a file that cannot be read at all is one problem."""
    problems: list[Problem] = []
    try:
        sheets = read_registers(directory, problems)
    except TownshipFilesError as e:
        return CheckResult(None, [e.problem])
    _missing_sheets(sheets, problems)
    b = _Builder(sheets, problems)
    town = b.township()
    chosen = town["platform_set"] if town else None
    sets = b.platforms(chosen)
    reg = _Registers(b, chosen, sets.get(chosen or "", {}).get("platforms", []))
    reg.read_villages()
    reg.read_people()
    reg.read_grids()
    by_name = reg.read_departments()
    reg.read_cameras()
    reg.read_categories(by_name)
    try:
        found = read_boundaries(directory, b.boundary_system, problems)
    except TownshipFilesError as e:
        return CheckResult(None, [*problems, e.problem])
    count = _boundaries_into(b, found, reg.villages, reg.grids)
    reg.unplaced()
    if problems or town is None:
        return CheckResult(None, problems, count)
    data = {**town, "platform_sets": sets,
            "villages": [_public(v) for v in reg.villages.values()],
            "grids": [_public(g) for g in reg.grids.values()],
            "people": list(reg.people.values()), "departments": list(reg.departments.values()),
            "cameras": list(reg.cameras.values())}  # fmt: skip
    return CheckResult(Township.from_dict(data, reg.categories, town["platform_set"]), [], count)


def _public(entity: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entity.items() if not k.startswith("_")}


def problems_by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        out[p.place.file].append(p)
    return dict(out)
