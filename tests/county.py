"""A county-sized township made up for tests and benches (issue 17's figures): 500 villages of
4 grids, 20,000 people, 5,000 cameras, every grid with a square boundary on a tiled map."""

from __future__ import annotations

import math
import random
from typing import Any

from domain.township import Township, load_demo_township

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海波宁辉林斌鹏飞"
    "浩宇晨阳欣怡佳琪思远子涵雨"
)
CENTRE = (29.30, 120.10)


def make_county(
    villages: int = 500, grids_per_village: int = 4, people: int = 20_000, cameras: int = 5_000,
    seed: int = 7,
) -> Township:  # fmt: skip
    rng = random.Random(seed)
    demo = load_demo_township()
    cell = 0.01  # degrees: a grid about 1 km across
    side = math.ceil(math.sqrt(villages * grids_per_village))
    lat0 = CENTRE[0] - side * cell / 2
    lon0 = CENTRE[1] - side * cell / 2

    def square(k: int) -> tuple[dict[str, Any], float, float]:
        row, col = divmod(k, side)
        la, lo = lat0 + row * cell, lon0 + col * cell
        ring = [[lo, la], [lo + cell, la], [lo + cell, la + cell], [lo, la + cell], [lo, la]]
        return {"type": "Polygon", "coordinates": [ring]}, la + cell / 2, lo + cell / 2

    def name() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))

    person_rows = [
        {"code": f"P{n:05d}", "name": name(), "role": "grid_member", "village": None,
         "phone": f"13{rng.randrange(10**9):09d}", "speciality": None}
        for n in range(people)
    ]  # fmt: skip
    village_rows, grid_rows = [], []
    k = 0
    for v in range(villages):
        code = f"V{v:03d}"
        first = square(v * grids_per_village)
        village_rows.append({"code": code, "name": f"{name()[0]}家{v}村", "lat": first[1],
                             "lon": first[2], "boundary": None})  # fmt: skip
        for g in range(grids_per_village):
            boundary, lat, lon = square(k)
            leader = person_rows[k % people]
            leader["role"], leader["village"] = "grid_leader", code
            worker = person_rows[(k + people // 2) % people]
            worker["role"] = "grid_worker"
            members = [person_rows[(k * 7 + j) % people]["code"] for j in range(1, 4)]
            grid_name = f"{village_rows[-1]['name']}第{g + 1}网格"
            grid_rows.append({"code": f"{code}G{g}", "name": grid_name,
                              "village": code, "lat": lat, "lon": lon, "leader": leader["code"],
                              "members": [m for m in members if m != leader["code"]],
                              "workers": [worker["code"]], "boundary": boundary})  # fmt: skip
            k += 1
    data, categories = demo.to_dict()
    grid_roles = {"grid_leader", "grid_member", "grid_worker"}
    staff = [{**p, "village": None} for p in data["people"] if p["role"] not in grid_roles]
    person_rows += staff  # the demo's command room and departments, with their handlers
    departments = data["departments"]
    camera_rows = []
    for c in range(cameras):
        _b, lat, lon = square(rng.randrange(k))
        camera_rows.append({"code": f"C{c:05d}", "name": f"{name()[0]}家路口{c}号", "kind": "road",
                            "group": "道路", "phase": 1 + c % 9,
                            "village": village_rows[rng.randrange(villages)]["code"],
                            "lat": lat, "lon": lon,
                            "main_url": f"rtsp://10.{c // 250}.{c % 250}.64:554/Streaming/101",
                            "sub_url": f"rtsp://10.{c // 250}.{c % 250}.64:554/Streaming/102",
                            "coverage_km": None})  # fmt: skip
    county = {**data, "code": "county", "name": "示例县", "lat": CENTRE[0], "lon": CENTRE[1],
              "villages": village_rows, "grids": grid_rows, "people": person_rows,
              "departments": departments, "cameras": camera_rows}  # fmt: skip
    return Township.from_dict(county, categories, demo.platform_set)
