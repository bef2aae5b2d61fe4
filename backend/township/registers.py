"""The registers after the 乡镇 and 平台 sheets, each read and checked against those before it."""

from __future__ import annotations

from typing import Any

from backend.township.cells import unique_rows
from backend.township.head import TownshipHead
from backend.township.reading import Cell
from backend.township.sheets import ROLE_NAMES, Place, SheetSpec
from domain.camera_urls import address_problem, as_written_by_an_nvr
from domain.map_geometry import bearing_of
from domain.township import Role


class Registers:
    """The registers after the 乡镇 and 平台 sheets, each read and checked against those
    before it (people name villages, grids name people, categories name departments)."""

    def __init__(
        self, b: TownshipHead, chosen: str | None, platforms: list[dict[str, str]]
    ) -> None:
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

    def _direction(self, row: dict[str, Cell], spec: SheetSpec, place: Place) -> float | None:
        text = self.r.text(row, "direction", spec, place)
        if text is None:
            return None
        found = bearing_of(text)
        if found is None:
            self.r.problem(
                row["direction"].place,
                f"朝向“{text}”不是度数或东南西北",
                f"the direction {text!r} is neither degrees nor a compass point",
            )
        return found

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
        for code, row, place in unique_rows(sheet, self.r):
            lat, lon = self._position(row, sheet.spec, place)
            name = self.r.text(row, "name", sheet.spec, place)
            self.villages[code] = {"code": code, "name": name, "lat": lat, "lon": lon,
                                   "_place": place}  # fmt: skip

    def read_people(self) -> None:
        sheet, r = self.sheets["people"], self.r
        roles = {x.value for x in Role}
        for code, row, place in unique_rows(sheet, r):
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
        for code, row, place in unique_rows(sheet, r):
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
        for code, row, place in unique_rows(sheet, r):
            handlers, h_place = r.listed(row, "handlers")
            self._person_refs(handlers, h_place, "承办人", "handler")
            for c in handlers:  # a handler acts on the department's cases: only that role may
                role = self.people.get(c, {}).get("role")
                if role is not None and role != "department_handler":
                    r.problem(h_place or place, f"承办人“{c}”的角色不是部门承办人",
                              f"the handler {c!r} is not a department handler in the 人员 sheet "
                              f"(role {role})")  # fmt: skip
            name = r.text(row, "name", sheet.spec, place)
            by_name[name or code] = code
            self.departments[code] = {"code": code, "name": name,
                                      "platform": self._platform(row, sheet.spec, place),
                                      "handlers": handlers}  # fmt: skip
        return by_name

    def read_cameras(self) -> None:
        sheet, r = self.sheets["cameras"], self.r
        for code, row, place in unique_rows(sheet, r):
            urls = {}
            for key in ("main_url", "sub_url"):
                url = r.text(row, key, sheet.spec, place)
                if url is not None:
                    url = as_written_by_an_nvr(url)
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
                                                          place),
                                  "direction": self._direction(row, sheet.spec, place)}  # fmt: skip

    def read_categories(self, departments_by_name: dict[str, str]) -> None:
        sheet, r = self.sheets["categories"], self.r
        for code, row, place in unique_rows(sheet, r):
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
