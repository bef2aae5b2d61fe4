"""A grid split and a village renamed while the room runs (issue 17, "changes while the room
runs"): the cases reported before stay in the grid they were reported in, under its name as it
was; the indicators and the evaluation of the day count them as before; the new grids take new
reports. Applied over the wire from the desk, on a real backend loop and store."""

from __future__ import annotations

import base64
import dataclasses
import json
import time
import uuid
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from backend.demo.users import DEMO_PASSWORD
from backend.township.template import write_templates
from client.request import RequestClient
from client.township_package import pack
from domain.incident import FieldReport
from domain.wire import MsgType
from tests.helpers import demo_report
from tests.services import TOWNSHIP, serving, staff_client

OLD, NEW_A, NEW_B = "V05G1", "V05G8", "V05G9"


def split_and_renamed(directory: Path) -> Path:
    """The demo township's files with 叶田村 renamed 叶田新村 and its first grid split in two:
    V05G8 keeps the leader, the workers and one member; the other member leads V05G9."""
    write_templates(directory, TOWNSHIP)
    path = directory / "township.xlsx"
    book = load_workbook(path)
    villages = book["村社"]
    for row in villages.iter_rows(min_row=3):
        if row[0].value == "V05":
            row[1].value = "叶田新村"
    grids = book["网格"]
    at = next(r for r in range(3, grids.max_row + 1) if grids.cell(r, 1).value == OLD)
    old = [c.value for c in grids[at]]
    grids.delete_rows(at)
    g = TOWNSHIP.grids[OLD]
    grids.append([NEW_A, "叶田村第一网格(东)", "V05", old[3], old[4], g.leader, g.members[0],
                  "、".join(g.workers)])  # fmt: skip
    grids.append([NEW_B, "叶田村第一网格(西)", "V05", old[3] + 0.002, old[4], g.members[1], "",
                  ""])  # fmt: skip
    book.save(path)
    collection = json.loads((directory / "boundaries.geojson").read_text(encoding="utf-8"))
    collection["features"] = [
        f for f in collection["features"] if f["properties"].get("grid") != OLD
    ]
    (directory / "boundaries.geojson").write_text(json.dumps(collection), encoding="utf-8")
    return directory


def reported_in(grid: str, n: int) -> list[FieldReport]:
    village = TOWNSHIP.grids[OLD].village
    return [
        dataclasses.replace(demo_report(i + 1), id=str(uuid.uuid4()), village=village, grid=grid,
                            lat=None, lon=None, reported_at=time.time() - 60)
        for i in range(n)
    ]  # fmt: skip


def figures(client: RequestClient) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Today's indicators (received and open, by village and grid), and the day's evaluation
    by grid and by village."""
    now = time.time()
    indicators = client.request(MsgType.INDICATORS_REQUEST).body
    period = {"start": now - 86_400, "end": now + 60}
    by_grid = client.request(MsgType.EVALUATION_REQUEST, {"dimension": "grid", **period}).body
    by_village = client.request(MsgType.EVALUATION_REQUEST, {"dimension": "village", **period}).body
    return (
        {"today": indicators["today"], "now": indicators["now"], "by": indicators["by"]},
        {r["value"]: r["received"] for r in by_grid["rows"]},
        {r["value"]: r["received"] for r in by_village["rows"]},
    )


def test_a_grid_split_keeps_its_cases_names_and_figures(sqlite_url: str, tmp_path: Path) -> None:
    package = pack(split_and_renamed(tmp_path / "files"))
    with serving(TOWNSHIP, sqlite_url) as endpoints, staff_client(endpoints.router) as client:
        before_ids = [client.submit_report(r).body["incident"]["id"] for r in reported_in(OLD, 3)]
        indicators, grids, villages = figures(client)
        assert grids[OLD] == 3 and villages["V05"] == 3

        admin = RequestClient(endpoints.router, timeout=60)
        try:
            admin.log_in("admin", DEMO_PASSWORD)
            body = {"package": base64.b64encode(package).decode(), "version": 1}
            assert admin.request(MsgType.TOWNSHIP_APPLY, body).body["version"] == 2

            def taken_in() -> bool:
                t = admin.request(MsgType.TOWNSHIP_REQUEST).body["township"]
                return NEW_A in {g["code"] for g in t["grids"]}

            deadline = time.monotonic() + 60
            while not taken_in():  # the serve loop takes the version in within a tick
                assert time.monotonic() < deadline, "the new township was not taken in"
            township = admin.request(MsgType.TOWNSHIP_REQUEST).body["township"]
        finally:
            admin.close()
        assert OLD not in {g["code"] for g in township["grids"]}
        assert township["former"]["grids"][OLD] == TOWNSHIP.grids[OLD].name
        assert {v["code"]: v["name"] for v in township["villages"]}["V05"] == "叶田新村"

        # the cases stay where they were reported; the figures count them as before
        for incident in before_ids:
            detail = client.request(MsgType.DETAIL_REQUEST, {"incident": incident}).body
            assert detail["incident"]["grid"] == OLD
        assert figures(client) == (indicators, grids, villages)

        # the new grids take new reports, counted in their own rows; the retired one takes none
        for r in reported_in(NEW_B, 2):
            client.submit_report(r)
        after, grids_after, villages_after = figures(client)
        assert grids_after == {**grids, NEW_B: 2}
        assert villages_after["V05"] == 5
        assert after["today"]["received"] == indicators["today"]["received"] + 2

        # a phone that has not heard of the split yet: not lost; without a position it is the
        # village's to triage (no grid), with one it goes to the grid whose boundary holds it
        late = dataclasses.replace(reported_in(OLD, 1)[0], lat=None, lon=None)
        stored = client.submit_report(late).body["incident"]
        assert (stored["village"], stored["grid"]) == ("V05", None)
        other = next(c for c, g in TOWNSHIP.grids.items() if g.village == "V05" and c != OLD)
        g = TOWNSHIP.grids[other]
        placed = dataclasses.replace(reported_in(OLD, 1)[0], lat=g.lat, lon=g.lon)
        assert client.submit_report(placed).body["incident"]["grid"] == other
