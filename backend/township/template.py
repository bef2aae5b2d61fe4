"""The templates a township fills in: a workbook with one sheet per register (Chinese headers,
a note row saying what goes in each column), the same as CSV files, and a GeoJSON of boundaries.

Given a township, the templates come filled with it (the demo township is the worked example);
without one, each register has its headers and notes only.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from backend.township.sheets import SHEETS, SheetSpec
from domain.deadlines import DeadlineRules
from domain.township import Role, Township

ROLE_WORDS = {
    Role.GRID_LEADER: "网格长",
    Role.GRID_MEMBER: "网格员",
    Role.GRID_WORKER: "专职网格员",
    Role.DEPARTMENT_HANDLER: "部门承办人",
    Role.DUTY_OFFICER: "值班员",
    Role.SUPERVISOR: "指挥长",
}
SAMPLE_BOUNDARY = {
    "type": "FeatureCollection",
    "coordinate_system": "WGS-84",
    "features": [
        {
            "type": "Feature",
            "properties": {"grid": "G001", "name": "示例网格(请替换)"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[119.80, 28.90], [119.81, 28.90], [119.81, 28.91], [119.80, 28.91],
                     [119.80, 28.90]]
                ],
            },
        }
    ],
}  # fmt: skip


STAGE_WORDS = (("受理", "accept"), ("派遣", "dispatch"), ("处置", "handle"), ("核查", "verify"),
               ("全案", "case"))  # fmt: skip


def rules_rows() -> dict[str, list[list[Any]]]:
    """The default time limits and holidays (resources/deadlines.json) as the two sheets."""
    rules = DeadlineRules.load().to_wire()
    by_stage = {**rules["stages"], "handle": rules["handle_default"], "case": rules["case"]}
    return {
        "deadlines": [[word, *(by_stage[stage][u] for u in ("normal", "urgent", "very_urgent"))]
                      for word, stage in STAGE_WORDS],
        "holidays": [[day, "", "放假"] for day in rules.get("holidays", [])]
                    + [[day, "", "上班"] for day in rules.get("workdays", [])],
    }  # fmt: skip


def _rows(township: Township) -> dict[str, list[list[Any]]]:
    """Each register's rows in its columns' order."""
    t = township
    joined = "、".join
    plats = {p.code: p.name for p in t.platforms}
    return {
        "township": [[t.code, t.name, "", t.lat, t.lon, t.platform_set, "WGS-84", "WGS-84"]],
        "platforms": [
            [t.platform_set, t.platform_sets[t.platform_set].name, p.code, p.name]
            for p in t.platforms
        ],
        "villages": [[v.code, v.name, v.lat, v.lon] for v in t.villages.values()],
        "people": [
            [p.code, p.name, ROLE_WORDS.get(p.role, p.role.value), p.village or "", p.phone,
             p.speciality or ""]
            for p in t.people.values()
        ],
        "grids": [
            [g.code, g.name, g.village, g.lat, g.lon, g.leader, joined(g.members),
             joined(g.workers)]
            for g in t.grids.values()
        ],
        "departments": [
            [d.code, d.name, plats.get(d.platform_by_set.get(t.platform_set, ""), ""),
             joined(d.handlers)]
            for d in t.departments.values()
        ],
        "cameras": [
            [c.code, c.name, c.kind, c.group, c.phase, c.village or "", c.lat, c.lon,
             c.main_url, c.sub_url, c.coverage_km if c.coverage_km is not None else "",
             c.direction if c.direction is not None else ""]
            for c in t.cameras.values()
        ],
        "categories": [
            [c.code, c.name, plats.get(c.platform_by_set.get(t.platform_set, ""), ""),
             c.department]
            for c in t.categories.values()
        ],
    }  # fmt: skip


def _note(spec: SheetSpec) -> list[str]:
    notes = [
        ("必填" if c.required else "选填") + (f":{c.note}" if c.note else "") for c in spec.columns
    ]
    return ["说明 " + notes[0], *notes[1:]]


def boundaries_geojson(township: Township) -> dict[str, Any]:
    features = [
        {"type": "Feature", "properties": {kind: e.code, "name": e.name}, "geometry": e.boundary}
        for kind, table in (("village", township.villages), ("grid", township.grids))
        for e in table.values()
        if e.boundary is not None
    ]
    return {"type": "FeatureCollection", "coordinate_system": "WGS-84", "features": features}


def write_templates(directory: Path, township: Township | None = None) -> list[Path]:
    """township.xlsx, csv/<sheet>.csv (UTF-8 with BOM, as Excel opens it) and
    boundaries.geojson in `directory`; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "csv").mkdir(exist_ok=True)
    rows: dict[str, list[list[Any]]] = {s.key: [] for s in SHEETS} | rules_rows()
    if township is not None:
        rows |= _rows(township)
    book = Workbook()
    book.remove(book.active)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    written = []
    for spec in SHEETS:
        ws = book.create_sheet(spec.name)
        headers = [c.header for c in spec.columns]
        ws.append(headers)
        ws.append(_note(spec))
        for cell in ws[1]:
            cell.font, cell.fill = bold, grey
        for row in rows[spec.key]:
            ws.append(row)
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(header) + 4)
        ws.freeze_panes = "A3"
        path = directory / "csv" / f"{spec.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(headers)
            out.writerow(_note(spec))
            out.writerows(rows[spec.key])
        written.append(path)
    book.save(directory / "township.xlsx")
    written.extend(_write_layers(directory, township))
    geo = boundaries_geojson(township) if township is not None else SAMPLE_BOUNDARY
    if not geo["features"]:  # a township without boundaries: points only
        return [directory / "township.xlsx", *written]
    (directory / "boundaries.geojson").write_text(
        json.dumps(geo, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [directory / "township.xlsx", *written, directory / "boundaries.geojson"]


def _write_layers(directory: Path, township: Township | None) -> list[Path]:
    """Each of its map layers as `<layer>.geojson` (its name says its kind), as read back."""
    by_layer: dict[str, list[dict[str, Any]]] = {}
    for f in township.layers if township is not None else ():
        by_layer.setdefault(f.layer, []).append(
            {"type": "Feature", "properties": {"name": f.name}, "geometry": f.geometry}
        )
    paths = []
    for layer, features in by_layer.items():
        path = directory / f"{layer}.geojson"
        collection = {"type": "FeatureCollection", "coordinate_system": "WGS-84",
                      "features": features}  # fmt: skip
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths
