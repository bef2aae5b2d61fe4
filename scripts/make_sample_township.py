"""Write the second sample township, 花溪镇 (resources/townships/huaxi/), in the templates' format.

Invented, shaped like the "1+4" towns in the seeds: 24 villages and communities, 82 grids, the
党建统领 / 经济生态 / 平安法治 / 公共服务 platforms, its own departments, people and 32 cameras.
Boundaries look like a GIS export's: the town's outline is an irregular valley; villages are the
Voronoi cells of their centres inside it, and grids the cells of their centres inside their
village, so that villages are whole and neighbours share their edges exactly. Positions are
written in GCJ-02 (as picked on a 高德 map) and boundaries in WGS-84, as townships send them:
the check converts. Run once; the result is committed:
  .venv/bin/python scripts/make_sample_township.py
"""

from __future__ import annotations

import json
import math
import random
import shutil
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, Polygon, mapping

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.township.template import write_templates  # noqa: E402
from domain.coords import wgs84_to_gcj02  # noqa: E402
from domain.township import Township, load_demo_township  # noqa: E402

OUT = REPO / "resources" / "townships" / "huaxi"
CENTRE = (29.4512, 119.6237)  # WGS-84
PLACES = ("花溪", "上塘", "下埠", "枫林", "石门", "岭脚", "溪口", "桐坞", "竹园", "大坪", "茶山",
          "后畈", "前溪", "梅坞", "杨家", "王店", "金塘", "新塘", "横山", "潘村", "白沙", "青坑",
          "龙潭", "里洪")  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "建国志强秀英桂兰海燕丽娟文杰明辉晓东雪梅春华国平红霞永军玉珍金凤小龙德胜美玲俊杰立新卫东"
DEPARTMENTS = [
    ("dangzhengban", "党政办", "dangjian"), ("zuzhiban", "组织办", "dangjian"),
    ("jingfaban", "经济发展办", "jingji"), ("nongban", "农业农村办", "jingji"),
    ("huanbaozhan", "生态环境站", "jingji"), ("zongzhiban", "综治中心", "pingan"),
    ("paichusuo", "派出所", "pingan"), ("sifasuo", "司法所", "pingan"),
    ("zhifazhongdui", "综合行政执法队", "pingan"), ("yingjiban", "应急管理站", "pingan"),
    ("bianminzhongxin", "便民服务中心", "gonggong"), ("shebaosuo", "社会事务办", "gonggong"),
    ("weishengyuan", "卫生院", "gonggong"), ("jiansheban", "村镇建设办", "jingji"),
]  # fmt: skip
CATEGORY_DEPARTMENT = {
    "dispute": "sifasuo", "garbage_dumping": "zhifazhongdui", "municipal_damage": "jiansheban",
    "wildlife_rescue": "nongban", "rental_fire_hazard": "yingjiban", "flood_defence": "yingjiban",
    "illegal_construction": "zhifazhongdui", "market_food_safety": "jingfaban",
    "bike_imbalance": "bianminzhongxin", "environment": "huanbaozhan",
    "public_order": "paichusuo", "convenience_service": "bianminzhongxin",
}  # fmt: skip
CAMERA_KINDS = [("office", "重点单位"), ("reservoir", "山塘水库"), ("village_road", "村主干道"),
                ("river", "重要河道"), ("market", "商贸市场"), ("high_point", "制高点"),
                ("school", "学校周边")]  # fmt: skip


def outline(rng: random.Random) -> Polygon:
    """An irregular valley about 14 × 9 km."""
    lat_km, lon_km = 1 / 111.32, 1 / (111.32 * math.cos(math.radians(CENTRE[0])))
    points = []
    for k in range(28):
        a = 2 * math.pi * k / 28
        r = 1 + 0.18 * math.sin(3 * a) + rng.uniform(-0.06, 0.06)
        points.append((CENTRE[1] + 7 * r * math.cos(a) * lon_km,
                       CENTRE[0] + 4.5 * r * math.sin(a) * lat_km))  # fmt: skip
    return Polygon(points).buffer(0)


def inside(shape: Any, rng: random.Random, n: int) -> list[Point]:
    minx, miny, maxx, maxy = shape.bounds
    found: list[Point] = []
    while len(found) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if shape.contains(p) and all(p.distance(q) > 0.002 for q in found):
            found.append(p)
    return found


def cells(points: list[Point], within: Any) -> list[Any]:
    """Each point's Voronoi cell inside `within`, in the points' order."""
    if len(points) == 1:
        return [within]
    diagram = voronoi_polygons(MultiPoint(points), extend_to=within)
    out = []
    for p in points:
        cell = next(c for c in diagram.geoms if c.contains(p))
        out.append(cell.intersection(within))
    return out


def rounded(geometry: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(json.dumps(mapping(geometry)),
                                       parse_float=lambda s: round(float(s), 6))  # fmt: skip
    return value


def main() -> int:
    rng = random.Random(1919)
    demo = load_demo_township("1+4")
    town = outline(rng)
    village_points = inside(town, rng, len(PLACES))
    village_shapes = cells(village_points, town)
    grids_per = [3 + (k % 4 == 0) for k in range(len(PLACES))]
    grids_per[0] += 82 - sum(grids_per)  # the town centre has more
    people: list[dict[str, Any]] = []

    def person(role: str, village: str | None) -> str:
        code = f"H{len(people) + 1:04d}"
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        people.append({"code": code, "name": name, "role": role, "village": village,
                       "phone": f"13{rng.randrange(10**9):09d}", "speciality": None})  # fmt: skip
        return code

    villages, grids = [], []
    for k, (name, point, shape) in enumerate(
        zip(PLACES, village_points, village_shapes, strict=True)
    ):
        code = f"HX{k + 1:02d}"
        kind = "社区" if k == 0 else "村"
        g_lat, g_lon = wgs84_to_gcj02(point.y, point.x)
        villages.append({"code": code, "name": f"{name}{kind}", "lat": round(g_lat, 6),
                         "lon": round(g_lon, 6), "boundary": rounded(shape)})  # fmt: skip
        grid_points = inside(shape, rng, grids_per[k])
        for j, cell in enumerate(cells(grid_points, shape)):
            leader = person("grid_leader", code)
            members = [person("grid_member", code) for _ in range(2)]
            workers = [person("grid_worker", code)]
            grids.append({"code": f"{code}G{j + 1}", "name": f"{name}{kind}第{j + 1}网格",
                          "village": code, "lat": None, "lon": None, "leader": leader,
                          "members": members, "workers": workers,
                          "boundary": rounded(cell)})  # fmt: skip
    departments = [{"code": c, "name": n, "platform": {"1+4": p},
                    "handlers": [person("department_handler", None)]}
                   for c, n, p in DEPARTMENTS]  # fmt: skip
    for _ in range(4):
        person("duty_officer", None)
    for _ in range(2):
        person("supervisor", None)
    cameras = []
    for n in range(32):
        kind, group = CAMERA_KINDS[n % len(CAMERA_KINDS)]
        village = villages[n % len(villages)]
        p = inside(village_shapes[n % len(villages)], rng, 1)[0]
        c_lat, c_lon = wgs84_to_gcj02(p.y, p.x)
        nvr = f"rtsp://admin:Hx{n + 1:03d}pass@192.168.{10 + n // 16}.{64 + n % 16}:554"
        cameras.append({"code": f"HC{n + 1:03d}", "name": f"{village['name']}{group}{n + 1}号",
                        "kind": kind, "group": group, "phase": 1 + n % 4,
                        "village": village["code"], "lat": round(c_lat, 6),
                        "lon": round(c_lon, 6),
                        "main_url": f"{nvr}/Streaming/Channels/101",
                        "sub_url": f"{nvr}/Streaming/Channels/102",
                        "coverage_km": 3.0 if kind == "high_point" else None})  # fmt: skip
    data, categories = demo.to_dict()
    cats = [{**c, "platform": {"1+4": c["platform"]["1+4"]},
             "department": CATEGORY_DEPARTMENT[c["code"]], "demo_weight": c["demo_weight"],
             "demo_texts": c["demo_texts"]} for c in categories]  # fmt: skip
    # The registers carry GCJ-02 points; a township object wants WGS-84: convert for the
    # template writer, which writes what it is given, then mark the sheet's system.
    township = Township.from_dict(
        {"code": "huaxi", "name": "花溪镇", "lat": CENTRE[0], "lon": CENTRE[1],
         "platform_sets": {"1+4": data["platform_sets"]["1+4"]},
         "villages": [{**v, "lat": v["lat"], "lon": v["lon"]} for v in villages],
         "grids": [{**g, "lat": 0.0, "lon": 0.0} for g in grids], "people": people,
         "departments": departments, "cameras": cameras},
        cats, "1+4",
    )  # fmt: skip
    write_templates(OUT, township)
    _finish(OUT)
    print(f"written to {OUT}: {len(villages)} villages, {len(grids)} grids, {len(people)} people, "
          f"{len(cameras)} cameras")  # fmt: skip
    return 0


def _finish(directory: Path) -> None:
    """Grids placed by their boundaries (no point of their own), the registers' points in
    GCJ-02, the town's centre as well."""
    book = load_workbook(directory / "township.xlsx")
    ws = book["网格"]
    for row in range(3, ws.max_row + 1):
        ws.cell(row, 4).value = None
        ws.cell(row, 5).value = None
    head = book["乡镇"]
    g_lat, g_lon = wgs84_to_gcj02(*CENTRE)
    head.cell(3, 3, "花溪县")
    head.cell(3, 4, round(g_lat, 6))
    head.cell(3, 5, round(g_lon, 6))
    head.cell(3, 7, "GCJ-02")
    head.cell(3, 8, "WGS-84")
    book.save(directory / "township.xlsx")
    shutil.rmtree(directory / "csv", ignore_errors=True)  # written in WGS-84: not this one


if __name__ == "__main__":
    sys.exit(main())
