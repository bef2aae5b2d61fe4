"""A township's own files: templates, every check rule with a file that breaks it, apply."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from backend.store import Store
from backend.store.township import TownshipMismatch
from backend.township.apply import apply_township_files, plan
from backend.township.check import check_directory
from backend.township.template import write_templates
from domain.camera_urls import split_credentials
from domain.coords import wgs84_to_gcj02
from domain.township import load_demo_township
from tests.county import make_county
from tests.helpers import wait_for

REPO = Path(__file__).resolve().parents[1]
DEMO = load_demo_township()
# Two squares side by side near the demo township's centre (lon, lat), for grids V01G1 and V01G2.
WEST = [[119.800, 28.890], [119.810, 28.890], [119.810, 28.900], [119.800, 28.900],
        [119.800, 28.890]]  # fmt: skip
EAST = [[119.810, 28.890], [119.820, 28.890], [119.820, 28.900], [119.810, 28.900],
        [119.810, 28.890]]  # fmt: skip


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("example")
    write_templates(d, DEMO)
    return d


@pytest.fixture
def files(example_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo township's filled templates, to break."""
    d = tmp_path / "township"
    shutil.copytree(example_dir, d)
    return d


def edit(directory: Path, sheet: str, change: Callable[[Any], None]) -> None:
    """Change the workbook's sheet (row 1 headers, row 2 the note, data from row 3)."""
    path = directory / "township.xlsx"
    book = load_workbook(path)
    change(book[sheet])
    book.save(path)


def column(ws: Any, header: str) -> int:
    return int(next(c.column for c in ws[1] if c.value == header))


def boundaries(directory: Path, features: list[dict[str, Any]], **extra: Any) -> None:
    collection = {"type": "FeatureCollection", "features": features, **extra}
    (directory / "boundaries.geojson").write_text(json.dumps(collection), encoding="utf-8")


def feature(grid: str, ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"grid": grid},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def problems_of(directory: Path) -> list[str]:
    result = check_directory(directory)
    assert result.township is None
    return [str(p) for p in result.problems]


def only_problem(directory: Path, *words: str) -> str:
    found = problems_of(directory)
    assert len(found) == 1, found
    for word in words:
        assert word in found[0], found[0]
    return found[0]


# --- the templates --------------------------------------------------------------------------


def test_the_filled_templates_check_and_build_the_same_township(example_dir: Path) -> None:
    result = check_directory(example_dir)
    assert result.problems == []
    t = result.township
    assert t is not None
    assert t.villages == DEMO.villages and t.grids == DEMO.grids and t.people == DEMO.people
    assert t.cameras == DEMO.cameras
    assert {c: (x.name, x.department) for c, x in t.categories.items()} == {
        c: (x.name, x.department) for c, x in DEMO.categories.items()
    }
    assert all(t.platform_of(c) == DEMO.platform_of(c) for c in DEMO.categories)


def test_the_csv_files_alone_build_it_too_even_saved_as_gb18030(
    example_dir: Path, tmp_path: Path
) -> None:
    d = tmp_path / "csv"
    shutil.copytree(example_dir / "csv", d)
    people = d / "人员.csv"
    people.write_bytes(people.read_text(encoding="utf-8-sig").encode("gb18030"))
    result = check_directory(d)
    assert result.problems == [] and result.township is not None
    assert result.township.people == DEMO.people


def test_empty_templates_have_every_register_with_notes(tmp_path: Path) -> None:
    write_templates(tmp_path)
    book = load_workbook(tmp_path / "township.xlsx")
    assert book.sheetnames == [
        "乡镇",
        "平台",
        "村社",
        "人员",
        "网格",
        "部门",
        "摄像头",
        "事件类别",
        "时限",
        "节假日",
    ]
    assert [c.value for c in book["网格"][1]][:3] == ["代码", "名称", "所属村社"]
    assert str(book["网格"]["A2"].value).startswith("说明")
    assert (tmp_path / "csv" / "网格.csv").exists()
    assert json.loads((tmp_path / "boundaries.geojson").read_text())["features"]


def test_the_command_line_writes_checks_and_applies(tmp_path: Path) -> None:
    d, db = tmp_path / "t", f"sqlite:///{tmp_path / 's.sqlite3'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "backend", "township", *args]
        return subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
        )

    assert run("template", str(d), "--example").returncode == 0
    checked = run("check", str(d))
    assert checked.returncode == 0 and "55 村社" in checked.stdout, checked.stdout
    assert "+ V01 陈宅村" in run("diff", str(d), "--db", db).stdout
    applied = run("apply", str(d), "--db", db, "--by", "王主任")
    assert applied.returncode == 0 and "version 1" in applied.stdout, applied.stdout
    assert "no changes" in run("diff", str(d), "--db", db).stdout
    edit(d, "村社", lambda ws: ws.cell(3, 2, "陈宅新村"))
    assert "~ V01 陈宅新村: name" in run("diff", str(d), "--db", db).stdout
    edit(d, "网格", lambda ws: ws.cell(3, column(ws, "所属村社"), "V99"))
    broken = run("check", str(d))
    assert broken.returncode == 1 and "网格 › 第3行" in broken.stdout, broken.stdout


# --- every check rule, each with a file that breaks it -----------------------------------------


def test_a_duplicate_code_names_both_places(files: Path) -> None:
    edit(files, "村社", lambda ws: ws.cell(4, 1, ws.cell(3, 1).value))
    found = problems_of(files)
    assert any("村社 › 第4行" in p and "重复" in p and "第3行" in p for p in found), found


def test_a_grid_in_no_village(files: Path) -> None:
    edit(files, "网格", lambda ws: ws.cell(3, column(ws, "所属村社"), "V99"))
    only_problem(files, "网格 › 第3行", "所属村社", "V99")


def test_a_worker_in_two_grids(files: Path) -> None:
    def move(ws: Any) -> None:
        col = column(ws, "专职网格员")
        ws.cell(4, col, f"{ws.cell(4, col).value}、{ws.cell(3, col).value.split('、')[0]}")

    edit(files, "网格", move)
    only_problem(files, "网格 › 第4行", "同时在网格", "V01G1")


def test_a_leader_who_is_not_a_person(files: Path) -> None:
    edit(files, "网格", lambda ws: ws.cell(3, column(ws, "网格长"), "P9999"))
    only_problem(files, "第3行", "网格长", "P9999", "not a person")


@pytest.mark.parametrize(
    ("url", "why"),
    [("rtsp//192.168.1.64/main", "scheme"), ("rtsp://192.168.1.64:99999/main", "port"),
     ("rtsp:///stream", "no host"), ("rtsp://192.168.1.64/主 码流", "spaces")],
)  # fmt: skip
def test_a_camera_address_that_does_not_parse(files: Path, url: str, why: str) -> None:
    edit(files, "摄像头", lambda ws: ws.cell(3, column(ws, "主码流地址"), url))
    only_problem(files, "摄像头 › 第3行", "主码流地址", why)


def test_a_password_as_the_nvr_takes_it_is_read_and_never_repeated_in_a_problem(
    files: Path,
) -> None:
    """Hikvision and Dahua passwords often hold # (a URL's fragment) or @."""
    nvr = "rtsp://admin:Xk#20@24@192.168.1.64:554/Streaming/Channels/101"
    edit(files, "摄像头", lambda ws: ws.cell(3, column(ws, "主码流地址"), nvr))
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    camera = next(c for c in result.township.cameras.values() if "Channels/101" in c.main_url)
    assert split_credentials(camera.main_url) == (
        "rtsp://192.168.1.64:554/Streaming/Channels/101",
        "admin",
        "Xk#20@24",
    )
    bad = "rtsp://admin:Xk#2024@192.168.1.64:55x4/a"
    edit(files, "摄像头", lambda ws: ws.cell(3, column(ws, "主码流地址"), bad))
    found = only_problem(files, "主码流地址", "%23")
    assert "Xk" not in found and "2024" not in found


def test_a_category_with_no_platform_in_the_chosen_set(files: Path) -> None:
    edit(files, "事件类别", lambda ws: ws.cell(3, column(ws, "平台"), "党建统领"))
    only_problem(files, "事件类别 › 第3行", "党建统领", "not in the chosen platform set")


def test_a_chosen_platform_set_the_platform_sheet_lacks(files: Path) -> None:
    edit(files, "乡镇", lambda ws: ws.cell(3, column(ws, "平台体系"), "1+4"))
    found = problems_of(files)
    assert any("1+4" in p and "平台" in p for p in found), found


def test_a_missing_column_and_a_missing_sheet(files: Path) -> None:
    edit(files, "人员", lambda ws: ws.cell(1, column(ws, "姓名"), "名字"))
    found = problems_of(files)
    assert len(found) == 1 and "人员" in found[0] and "缺少“姓名”列" in found[0], found
    edit(files, "人员", lambda ws: ws.cell(1, column(ws, "名字"), "姓名"))
    edit(files, "人员", lambda ws: ws.cell(1, column(ws, "角色"), "岗位"))
    found = problems_of(files)
    assert any("人员" in p and "缺少“角色”列" in p for p in found), found
    assert not any("“角色”为空" in p for p in found), found  # said once, not once a row
    book = load_workbook(files / "township.xlsx")
    del book["摄像头"]
    book.save(files / "township.xlsx")
    assert any("缺少“摄像头”表" in p for p in problems_of(files))


def test_an_unknown_role_and_a_bad_number(files: Path) -> None:
    edit(files, "人员", lambda ws: ws.cell(3, column(ws, "角色"), "村长"))
    edit(files, "摄像头", lambda ws: ws.cell(3, column(ws, "纬度"), "北纬28度"))
    found = problems_of(files)
    assert len(found) == 2, found
    assert any("村长" in p and "角色" in p for p in found)
    assert any("不是数字" in p and "摄像头 › 第3行" in p for p in found)


def test_coordinates_outside_the_township(files: Path) -> None:
    edit(files, "摄像头", lambda ws: ws.cell(3, column(ws, "纬度"), 39.9))  # Beijing's latitude
    only_problem(files, "摄像头 › 第3行", "乡镇之外")

    def swapped(ws: Any) -> None:
        ws.cell(3, column(ws, "纬度"), 119.8)
        ws.cell(3, column(ws, "经度"), 28.9)

    edit(files, "摄像头", swapped)
    only_problem(files, "摄像头 › 第3行", "swapped")


def test_positions_in_gcj02_are_converted_to_wgs84(files: Path) -> None:
    camera = DEMO.cameras["C001"]
    g_lat, g_lon = wgs84_to_gcj02(camera.lat, camera.lon)

    def as_gcj(ws: Any) -> None:
        ws.cell(3, column(ws, "纬度"), g_lat)
        ws.cell(3, column(ws, "经度"), g_lon)

    edit(files, "摄像头", as_gcj)
    edit(files, "乡镇", lambda ws: ws.cell(3, column(ws, "坐标系"), "GCJ-02"))
    t = check_directory(files).township
    assert t is not None
    assert t.cameras["C001"].lat == pytest.approx(camera.lat, abs=1e-7)
    assert t.cameras["C001"].lon == pytest.approx(camera.lon, abs=1e-7)
    edit(files, "乡镇", lambda ws: ws.cell(3, column(ws, "坐标系"), "北京54"))
    assert any("北京54" in p for p in problems_of(files))


# --- boundaries -------------------------------------------------------------------------------


def test_boundaries_attach_to_their_grids(files: Path) -> None:
    boundaries(files, [feature("V01G1", WEST), feature("V01G2", EAST)])
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    assert result.boundaries == 2
    assert result.township.grids["V01G1"].boundary == {
        "type": "Polygon", "coordinates": [WEST]
    }  # fmt: skip


def test_a_boundary_that_does_not_close(files: Path) -> None:
    boundaries(files, [feature("V01G1", WEST[:-1])])
    only_problem(files, "boundaries.geojson", "feature 1", "V01G1", "does not close")


def test_a_self_intersecting_boundary(files: Path) -> None:
    bow_tie = [[119.80, 28.89], [119.81, 28.90], [119.81, 28.89], [119.80, 28.90],
               [119.80, 28.89]]  # fmt: skip
    boundaries(files, [feature("V01G1", bow_tie)])
    only_problem(files, "feature 1", "边界自相交", "self-intersection near 119.805000, 28.895000")
    # declared in GCJ-02: the place is said in the file's numbers, not in WGS-84
    boundaries(files, [feature("V01G1", bow_tie)], coordinate_system="GCJ-02")
    only_problem(files, "self-intersection near 119.805000, 28.895000 (longitude, latitude, GCJ")
    swapped = [[lat, lon] for lon, lat in WEST]
    boundaries(files, [feature("V01G1", swapped)])
    only_problem(files, "feature 1", "swapped?")


def test_a_boundary_that_overlaps_its_neighbour(files: Path) -> None:
    shifted = [[lon - 0.005, lat] for lon, lat in EAST]  # half over the west square
    boundaries(files, [feature("V01G1", WEST), feature("V01G2", shifted)])
    only_problem(files, "feature 1", "重叠", "V01G2", "feature 2")


def test_a_boundary_of_an_unknown_grid_or_outside_the_township(files: Path) -> None:
    far = [[lon + 1.0, lat] for lon, lat in WEST]
    boundaries(files, [feature("V99G9", WEST), feature("V01G2", far)])
    found = problems_of(files)
    assert len(found) == 2, found
    assert any("V99G9" in p and "不在登记表中" in p for p in found)
    assert any("V01G2" in p and "乡镇之外" in p for p in found)


def test_boundaries_declared_in_gcj02(files: Path) -> None:
    gcj = [list(reversed(wgs84_to_gcj02(lat, lon))) for lon, lat in WEST]
    boundaries(files, [feature("V01G1", gcj)], coordinate_system="GCJ-02")
    t = check_directory(files).township
    assert t is not None and t.grids["V01G1"].boundary is not None
    ring = t.grids["V01G1"].boundary["coordinates"][0]
    assert ring[1] == pytest.approx(WEST[1], abs=2e-6)


def crs(name: str) -> dict[str, Any]:
    return {"type": "name", "properties": {"name": name}}


def test_a_gis_files_own_crs_is_read(files: Path) -> None:
    """The file's crs says how its numbers are meant, over the township's declared default."""
    gcj = [list(reversed(wgs84_to_gcj02(lat, lon))) for lon, lat in WEST]
    edit(files, "乡镇", lambda ws: ws.cell(3, column(ws, "边界坐标系"), "GCJ-02"))
    for name in ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4490", "EPSG:4326"):
        boundaries(files, [feature("V01G1", WEST)], crs=crs(name))
        t = check_directory(files).township
        assert t is not None and t.grids["V01G1"].boundary is not None, name
        assert t.grids["V01G1"].boundary["coordinates"][0][1] == pytest.approx(WEST[1])
    boundaries(files, [feature("V01G1", gcj)], crs=crs("urn:ogc:def:crs:EPSG::4547"))
    only_problem(files, "boundaries.geojson", "EPSG::4547", "not longitude and latitude")


def test_projected_coordinates_are_named_as_such_once(files: Path) -> None:
    metres = [[490210.0 + dx, 3145891.0 + dy] for dx, dy in ((0, 0), (900, 0), (900, 900), (0, 0))]
    boundaries(files, [feature("V01G1", metres), feature("V01G2", metres)])
    only_problem(files, "boundaries.geojson", "look projected")


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
 <Placemark><name>陈宅村第一网格</name>
  <ExtendedData><SchemaData schemaUrl="#grids"><SimpleData name="网格代码">V01G1</SimpleData>
  </SchemaData></ExtendedData>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>
  </outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>"""


def test_kml_from_a_gis_is_read(files: Path) -> None:
    ring = " ".join(f"{lon},{lat},0" for lon, lat in WEST)
    (files / "boundaries.geojson").unlink()  # the demo's: this KML replaces them
    (files / "grids.kml").write_text(KML.format(ring=ring), encoding="utf-8")
    result = check_directory(files)
    assert result.problems == [] and result.boundaries == 1
    assert result.township is not None and result.township.grids["V01G1"].boundary is not None


def test_a_kml_with_entities_is_refused_not_expanded(files: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>')  # fmt: skip
    (files / "bomb.kml").write_text(bomb, encoding="utf-8")
    only_problem(files, "bomb.kml", "declares entities or a DTD and is not read")


def test_boundaries_saved_in_gbk_are_read(files: Path) -> None:
    """Chinese GIS tools save GBK: a KML that declares it, a GeoJSON that does not."""
    ring = " ".join(f"{lon},{lat},0" for lon, lat in WEST)
    kml = KML.format(ring=ring).replace('encoding="UTF-8"', 'encoding="GBK"')
    (files / "boundaries.geojson").unlink()
    (files / "grids.kml").write_bytes(kml.encode("gbk"))
    result = check_directory(files)
    assert result.problems == [] and result.boundaries == 1
    (files / "grids.kml").unlink()
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                **feature("V01G1", WEST),
                "properties": {"网格代码": "V01G1", "名称": "陈宅村第一网格"},
            }
        ],
    }
    (files / "boundaries.geojson").write_bytes(
        json.dumps(collection, ensure_ascii=False).encode("gbk")
    )
    result = check_directory(files)
    assert result.problems == [] and result.boundaries == 1


# --- files that are not registers -------------------------------------------------------------


def test_a_damaged_workbook_is_one_clear_problem(files: Path) -> None:
    (files / "township.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    only_problem(files, "township.xlsx", ".xlsx")


def test_a_50_mb_file_is_refused_before_it_is_read(files: Path) -> None:
    with (files / "township.xlsx").open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    only_problem(files, "township.xlsx", "too big")


def test_an_empty_directory_says_so(tmp_path: Path) -> None:
    only_problem(tmp_path, "no registers")
    (tmp_path / "乡镇登记.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    only_problem(tmp_path, "乡镇登记.xls is an old-style workbook: save it as .xlsx")


def test_a_csv_beside_the_workbook_is_refused_not_ignored(files: Path, example_dir: Path) -> None:
    shutil.copy(example_dir / "csv" / "村社.csv", files / "村社.csv")
    only_problem(files, "a workbook and CSV files (村社.csv)")


def test_csv_files_left_in_the_templates_csv_folder_are_pointed_at(
    example_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(example_dir / "csv", tmp_path / "csv")
    only_problem(tmp_path, "the registers' CSV files are in csv/")


def test_names_in_capitals_and_boundaries_as_json_are_read(files: Path) -> None:
    (files / "township.xlsx").rename(files / "TOWNSHIP.XLSX")
    (files / "boundaries.geojson").rename(files / "BOUNDARIES.JSON")
    result = check_directory(files)
    assert result.problems == [] and result.township is not None
    assert result.township.grids["V01G1"].boundary is not None


# --- apply ------------------------------------------------------------------------------------


def test_apply_is_versioned_and_retires_what_the_files_drop(files: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    assert apply_township_files(store, files)
    assert store.township_version()[0] == 1
    assert apply_township_files(store, files)  # nothing changed: no new version
    assert store.township_version()[0] == 1

    def drop_v55(ws: Any) -> None:
        rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == "V55"]
        for r in reversed(rows):
            ws.delete_rows(r)

    edit(files, "网格", drop_v55)
    dropped = {c for c, g in DEMO.grids.items() if g.village == "V55"}
    collection = json.loads((files / "boundaries.geojson").read_text(encoding="utf-8"))
    kept = [f for f in collection["features"] if f["properties"].get("grid") not in dropped]
    boundaries(files, kept)
    planned = plan(store, files)
    grids = next(d for d in planned.diffs if d.key == "grids")
    assert set(grids.retired) == dropped
    assert apply_township_files(store, files, by="王主任")
    version, by, _at = store.township_version()
    assert (version, by) == (2, "王主任")
    t = store.load_township()
    assert not dropped & set(t.grids)
    assert store.former_names()["grids"] == {c: DEMO.grids[c].name for c in dropped}
    assert t.name_of("grids", next(iter(dropped))) == DEMO.grids[next(iter(dropped))].name
    edit(files, "网格", lambda ws: None)
    shutil.rmtree(files)
    write_templates(files, DEMO)  # the dropped grids come back: active again
    assert apply_township_files(store, files)
    assert dropped <= set(store.load_township().grids)
    store.close()


def test_the_diff_shows_only_what_the_files_change(files: Path, tmp_path: Path) -> None:
    """Against the demo's store (two platform sets, the demo generator's weights): the files'
    one set is compared in that set, and the fields the files do not carry are not changes."""
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    store.apply_township(DEMO, "seed")
    edit(files, "村社", lambda ws: ws.cell(3, 2, "陈宅新村"))
    planned = plan(store, files)
    store.close()
    changed = {d.key: d.changed for d in planned.diffs if not d.empty}
    assert changed == {
        "township": {DEMO.code: ["platform_sets"]},  # the demo's 1+4 set is not in the files
        "villages": {"V01": ["name"]},
    }


def test_another_townships_files_are_refused(files: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    assert apply_township_files(store, files)
    edit(files, "乡镇", lambda ws: ws.cell(3, 1, "huajie"))
    assert plan(store, files).refusal
    assert not apply_township_files(store, files)
    t = check_directory(files).township
    assert t is not None
    with pytest.raises(TownshipMismatch):
        store.apply_township(t, "test")
    assert store.load_township().code == DEMO.code
    store.close()


def test_the_backend_refuses_to_start_on_files_with_problems(files: Path, tmp_path: Path) -> None:
    edit(files, "网格", lambda ws: ws.cell(3, column(ws, "网格长"), "P9999"))
    command = [sys.executable, "-m", "backend", "--township", str(files), "--db",
               f"sqlite:///{tmp_path / 's.sqlite3'}", "--plain", "--no-demo",
               "--router", "tcp://127.0.0.1:0", "--pub", "tcp://127.0.0.1:0"]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "P9999" in done.stderr and "READY" not in done.stdout


def test_the_second_sample_township_checks_and_applies(tmp_path: Path) -> None:
    """花溪镇 (resources/townships/huaxi): a 1+4 town of 82 grids with boundaries, its points
    in GCJ-02 as a 高德 map gives them."""
    result = check_directory(REPO / "resources" / "townships" / "huaxi")
    assert result.problems == [], result.problems[:5]
    t = result.township
    assert t is not None
    assert (len(t.villages), len(t.grids), t.platform_set) == (24, 82, "1+4")
    assert {p.name for p in t.platforms} == {"党建统领", "经济生态", "平安法治", "公共服务"}
    assert all(g.boundary is not None for g in t.grids.values())
    assert result.boundaries == 24 + 82
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    try:
        assert apply_township_files(store, REPO / "resources" / "townships" / "huaxi")
        assert store.load_township() == t
    finally:
        store.close()


@pytest.mark.slow
def test_an_apply_killed_as_it_writes_leaves_a_whole_township_never_a_mix(
    tmp_path: Path,
) -> None:
    """kill -9 as soon as the apply's writes reach the disk (the WAL grows), on fresh copies of
    one store: each time the store holds the previous version whole (killed before its commit)
    or the new one whole (the commit won the race), never part of each. Up to five tries, until
    one kill lands before the commit; when SQLite writes the whole transaction at its commit no
    kill can, and the five finished applies are what the test has shown."""
    first = tmp_path / "first.sqlite3"
    store = Store(f"sqlite:///{first}")
    store.migrate()
    county = make_county(villages=200, people=10_000, cameras=2_000)
    store.apply_township(dataclasses.replace(county, name="旧县"), "first")
    before = store.load_township()
    store.close()  # checkpointed: the copy is the whole store
    files = tmp_path / "files"
    write_templates(files, county)  # named back: the apply changes it
    after = check_directory(files).township
    assert after is not None
    for attempt in range(5):
        db_path = tmp_path / f"try{attempt}.sqlite3"
        shutil.copy(first, db_path)
        wal = Path(f"{db_path}-wal")
        command = [sys.executable, "-m", "backend", "township", "apply", str(files),
                   "--db", f"sqlite:///{db_path}"]  # fmt: skip
        apply = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def writing(apply: subprocess.Popen[bytes] = apply, wal: Path = wal) -> bool:
            return apply.poll() is not None or (wal.exists() and wal.stat().st_size > 0)

        try:
            wait_for(writing, timeout=600)
        finally:
            apply.kill()
            apply.wait(30)
        store = Store(f"sqlite:///{db_path}")
        try:
            killed_before_commit = store.township_version()[0] == 1
            assert store.load_township() == (before if killed_before_commit else after)
        finally:
            store.close()
        if killed_before_commit:
            break


def test_time_limits_and_holidays_come_from_their_sheets(files: Path, tmp_path: Path) -> None:
    def faster(ws: Any) -> None:
        ws.cell(3, column(ws, "一般"), "15分钟")  # 受理, normal
        ws.cell(5, column(ws, "紧急"), "6工作小时")  # 处置, urgent

    edit(files, "时限", faster)
    edit(files, "节假日", lambda ws: ws.append(["2027年2月6日", "春节"]))
    edit(files, "节假日", lambda ws: ws.append(["2027-02-20", "春节调休", "上班"]))
    result = check_directory(files)
    assert result.problems == [] and result.rules is not None
    assert "2027-02-20" in result.rules["workdays"], "a Saturday worked instead"
    assert "2026-02-14" in result.rules["workdays"], "the defaults, written by the template"
    assert "2027-02-20" not in result.rules["holidays"]
    assert result.rules["stages"]["accept"]["normal"] == "15m"
    assert result.rules["handle_default"]["urgent"] == "6wh"
    assert "2027-02-06" in result.rules["holidays"]
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store.migrate()
    try:
        assert apply_township_files(store, files)
        kept = store.township_rules()
        assert kept is not None and kept["stages"]["accept"]["normal"] == "15m"
    finally:
        store.close()
    edit(files, "时限", lambda ws: ws.cell(4, column(ws, "特急"), "半小时"))
    edit(files, "节假日", lambda ws: ws.append(["春节前后", ""]))
    edit(files, "节假日", lambda ws: ws.append(["2027-02-21", "", "看情况"]))
    found = problems_of(files)
    assert any("节假日" in p and "看情况" in p for p in found), found
    assert any("时限 › 第4行" in p and "半小时" in p for p in found), found
    assert any("节假日" in p and "春节前后" in p for p in found), found


def test_time_limits_as_people_write_them_and_none_of_zero(files: Path) -> None:
    def written(ws: Any) -> None:
        ws.cell(3, column(ws, "一般"), "1个工作日")
        ws.cell(4, column(ws, "一般"), "2个小时")

    edit(files, "时限", written)
    edit(files, "节假日", lambda ws: ws.append([46639, "调休"]))  # a date Excel kept as a number
    result = check_directory(files)
    assert result.problems == [] and result.rules is not None
    assert result.rules["stages"]["accept"]["normal"] == "1wd"
    assert result.rules["stages"]["dispatch"]["normal"] == "2h"
    assert "2027-09-09" in result.rules["holidays"]
    edit(files, "时限", lambda ws: ws.cell(3, column(ws, "紧急"), "0m"))
    only_problem(files, "时限 › 第3行", "0m", "more than zero")


def test_a_departments_handler_who_is_not_a_handler(files: Path) -> None:
    leader = next(p.code for p in DEMO.people.values() if p.role.value == "grid_leader")
    edit(files, "部门", lambda ws: ws.cell(3, column(ws, "承办人"), leader))
    only_problem(files, "部门 › 第3行", leader, "not a department handler")
