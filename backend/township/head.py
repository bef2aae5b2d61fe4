"""The 乡镇 and 平台 sheets (the township's centre, its coordinate systems and platform set),
and positions read in the registers' system, converted and placed in the township."""

from __future__ import annotations

from typing import Any

from backend.township.cells import CODE, CellReader
from backend.township.reading import Cell, RawSheet
from backend.township.sheets import Place, Problem, SheetSpec
from domain.coords import CoordinateSystem, to_wgs84
from domain.township import distance_m

TOWNSHIP_RADIUS_KM = 40.0
"""A position farther than this from the township's centre is outside it (when the villages
have no boundaries to say so exactly)."""


class TownshipHead:
    def __init__(self, sheets: dict[str, RawSheet], problems: list[Problem]) -> None:
        self.sheets = sheets
        self.r = CellReader(problems, {(s.spec.key, k) for s in sheets.values() for k in s.missing})
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
