"""Write resources/township/qingxi.json, the demo township, deterministically.

The JSON is the data the product loads; this script only exists so that the data can be
regenerated with the same shape after an edit. Run: python scripts/make_demo_township.py
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "resources" / "township" / "qingxi.json"

CENTRE = (28.9012, 119.8123)  # lat, lon of the town hall: a plausible inland Zhejiang valley
VILLAGE_PREFIXES = list("陈王叶周金应楼何吴徐方胡朱潘俞施蒋郑杜")
VILLAGE_SUFFIXES = ["宅", "家", "坞", "岙", "塘", "畈", "溪", "岭", "山", "桥", "坑", "店", "田"]
SURNAMES = list("陈王李张刘叶周金应楼何吴徐方胡朱潘俞施蒋郑杜黄林程")
GIVEN = list("建国伟明华军平志强海英红梅丽娟秀芳玉兰春燕文斌杰勇涛敏静晓东立新永林忠")

# Departments and the platform each belongs to in the two platform sets (DOMAIN.md).
DEPARTMENTS: list[tuple[str, str, str, str]] = [
    # code, name, classic platform, 1+4 platform
    ("zongzhiban", "综治办", "zongzhi", "pingan"),
    ("paichusuo", "派出所", "zongzhi", "pingan"),
    ("sifasuo", "司法所", "zongzhi", "pingan"),
    ("xinfangban", "信访办", "zongzhi", "pingan"),
    ("yingjiban", "应急管理办", "zongzhi", "pingan"),
    ("shijiansuo", "市场监管所", "shichang", "jingji"),
    ("shuiwusuo", "税务所", "shichang", "jingji"),
    ("anjianzhan", "安监站", "shichang", "jingji"),
    ("zhifazhongdui", "综合行政执法中队", "zhifa", "pingan"),
    ("jiansheban", "村镇建设办", "zhifa", "jingji"),
    ("huanbaozhan", "环保站", "zhifa", "jingji"),
    ("shuilizhan", "水利站", "zhifa", "jingji"),
    ("bianminzhongxin", "便民服务中心", "bianmin", "gonggong"),
    ("shebaosuo", "社保所", "bianmin", "gonggong"),
    ("weishengyuan", "卫生院", "bianmin", "gonggong"),
    ("linyezhan", "林业站", "bianmin", "jingji"),
    ("dangzhengban", "党政办", "bianmin", "dangjian"),
    ("zuzhiban", "组织办", "bianmin", "dangjian"),
]

PLATFORM_SETS: dict[str, dict[str, Any]] = {
    "classic": {
        "name": "四平台(古山模式)",
        "platforms": [
            {"code": "zongzhi", "name": "综治工作"},
            {"code": "shichang", "name": "市场监管"},
            {"code": "zhifa", "name": "综合执法"},
            {"code": "bianmin", "name": "便民服务"},
        ],
    },
    "1+4": {
        "name": "1+4(花街模式)",
        "platforms": [
            {"code": "dangjian", "name": "党建统领"},
            {"code": "jingji", "name": "经济生态"},
            {"code": "pingan", "name": "平安法治"},
            {"code": "gonggong", "name": "公共服务"},
        ],
    },
}

# Camera sites by phase (DOMAIN.md "电子眼要全域覆盖"): (kind, name, group, phase).
CAMERA_SITES: list[tuple[str, str, str]] = [
    ("office", "镇政府大院", "重点单位"),
    ("office", "青溪派出所门口", "重点单位"),
    ("office", "便民服务中心大厅", "重点单位"),
    ("reservoir", "石门水库大坝", "山塘水库"),
    ("reservoir", "黄泥岭水库", "山塘水库"),
    ("reservoir", "龙潭山塘", "山塘水库"),
    ("reservoir", "后坞山塘", "山塘水库"),
    ("reservoir", "上塘水库溢洪道", "山塘水库"),
    ("reservoir", "杜岙山塘", "山塘水库"),
    ("river", "青溪大桥", "重要河道"),
    ("river", "青溪上游拦水坝", "重要河道"),
    ("river", "青溪下游出境断面", "重要河道"),
    ("river", "青溪滨江公园", "重要河道"),
    ("bike", "镇政府公共自行车站", "公共自行车"),
    ("bike", "客运站公共自行车站", "公共自行车"),
    ("bike", "中心小学公共自行车站", "公共自行车"),
    ("bike", "卫生院公共自行车站", "公共自行车"),
    ("bike", "农贸市场公共自行车站", "公共自行车"),
    ("bike", "青溪公园公共自行车站", "公共自行车"),
    ("village_key", "陈宅村文化礼堂", "村重点区域"),
    ("village_key", "王坞村老街", "村重点区域"),
]
PHASE2_SITES: list[tuple[str, str, str]] = [
    ("sewage", "工业园区排污口", "排污口"),
    ("sewage", "青溪污水处理站排口", "排污口"),
    ("market", "青溪农贸市场", "商贸市场"),
    ("market", "东街农贸市场", "商贸市场"),
    ("market", "青溪购物中心", "商贸市场"),
    ("greenbelt", "滨江绿化带", "绿化带"),
    ("unit", "中心小学校门", "下属单位"),
]
HIGH_POINTS: list[tuple[str, str, str]] = [
    ("high_point", "笔架山高点", "制高点"),
    ("high_point", "狮子岩高点", "制高点"),
    ("high_point", "大尖山高点", "制高点"),
]


def offset(lat: float, lon: float, km_north: float, km_east: float) -> tuple[float, float]:
    dlat = km_north / 111.0
    dlon = km_east / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def main() -> None:
    rng = random.Random(20261124)
    # The first two are the villages of the sources' stories (names kept generic).
    fixed = ["陈宅村", "王坞村"]
    names: set[str] = set(fixed)
    villages: list[dict[str, Any]] = []
    while len(villages) < 55:
        if len(villages) < len(fixed):
            name = fixed[len(villages)]
        else:
            name = rng.choice(VILLAGE_PREFIXES) + rng.choice(VILLAGE_SUFFIXES) + "村"
            if name in names:
                continue
            names.add(name)
        # Villages spread along a valley: denser near the centre, up to ~9 km out.
        r = 1.0 + 8.0 * math.sqrt(rng.random())
        a = rng.uniform(0, 2 * math.pi)
        lat, lon = offset(*CENTRE, r * math.sin(a) * 0.7, r * math.cos(a))
        villages.append({"code": f"V{len(villages) + 1:02d}", "name": name, "lat": lat, "lon": lon})

    people: list[dict[str, Any]] = []
    used_names: set[str] = set()

    def person(role: str, village: str | None, speciality: str | None = None) -> str:
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
            if name not in used_names:
                used_names.add(name)
                break
        code = f"P{len(people) + 1:04d}"
        entry: dict[str, Any] = {
            "code": code,
            "name": name,
            "role": role,
            "village": village,
            "phone": f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}",
        }
        if speciality:
            entry["speciality"] = speciality
        people.append(entry)
        return code

    # 68 grids: the 13 largest villages (the first 13) get two grids each.
    grids: list[dict[str, Any]] = []
    for i, v in enumerate(villages):
        count = 2 if i < 13 else 1
        secretary = person("grid_leader", v["code"])
        for g in range(count):
            lat, lon = offset(v["lat"], v["lon"], rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4))
            members = [person("grid_member", v["code"]) for _ in range(rng.choice([2, 3]))]
            grids.append(
                {
                    "code": f"{v['code']}G{g + 1}",
                    "name": f"{v['name']}第{'一二'[g]}网格",
                    "village": v["code"],
                    "lat": lat,
                    "lon": lon,
                    "leader": secretary,
                    "members": members,
                    "workers": [],
                }
            )
    assert len(grids) == 68
    # 128 full-time grid workers, each on one or two grids, with a speciality.
    specialities = ["综治", "综合执法", "便民服务"]
    for n in range(128):
        grid = grids[n % len(grids)]
        code = person("grid_worker", grid["village"], specialities[n % 3])
        grid["workers"].append(code)

    departments = []
    for code, name, classic, one_plus_four in DEPARTMENTS:
        head = person("department_handler", None)
        departments.append(
            {
                "code": code,
                "name": name,
                "platform": {"classic": classic, "1+4": one_plus_four},
                "handlers": [head],
            }
        )
    for role, count in (("duty_officer", 6), ("supervisor", 3)):
        for _ in range(count):
            person(role, None)

    cameras: list[dict[str, Any]] = []

    def camera(kind: str, name: str, group: str, phase: int, village: str | None) -> None:
        code = f"C{len(cameras) + 1:03d}"
        if village is not None:
            v = next(x for x in villages if x["code"] == village)
            lat, lon = offset(v["lat"], v["lon"], rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3))
        else:
            r = rng.uniform(0.2, 6.0) if kind != "high_point" else rng.uniform(3.0, 5.0)
            a = rng.uniform(0, 2 * math.pi)
            lat, lon = offset(*CENTRE, r * math.sin(a), r * math.cos(a))
        cam: dict[str, Any] = {
            "code": code,
            "name": name,
            "kind": kind,
            "group": group,
            "phase": phase,
            "village": village,
            "lat": lat,
            "lon": lon,
            "main_url": f"rtsp://127.0.0.1:8554/{code}/main",
            "sub_url": f"rtsp://127.0.0.1:8554/{code}/sub",
        }
        if kind == "high_point":
            cam["coverage_km"] = 5.0
        cameras.append(cam)

    village_of = {"陈宅村文化礼堂": "V01", "王坞村老街": "V02"}
    for kind, name, group in CAMERA_SITES:
        camera(kind, name, group, 1, village_of.get(name))
    for kind, name, group in PHASE2_SITES:
        camera(kind, name, group, 2, None)
    for v in villages[2:11]:
        camera("village_road", f"{v['name']}主干道", "村主干道", 2, v["code"])
    for kind, name, group in HIGH_POINTS:
        camera(kind, name, group, 3, None)

    township = {
        "code": "qingxi",
        "name": "青溪镇",
        "county": "青溪县",
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "note": "虚构的演示乡镇,按古山镇与花街镇的公开报道建模;人名与电话均为随机生成。",
        "platform_sets": PLATFORM_SETS,
        "villages": villages,
        "grids": grids,
        "departments": departments,
        "people": people,
        "cameras": cameras,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(township, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {OUT}: {len(villages)} villages, {len(grids)} grids, {len(people)} people, "
        f"{len(cameras)} cameras"
    )


if __name__ == "__main__":
    main()
