"""The HTTP gateway (issue 23) over real processes: a backend on a real SQLite file, the
gateway in front of it, an HTTP client as a phone or the hotline's system. Every endpoint,
the bad input the field sends, idempotent retries, and a backend that is down."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from console.embedded_backend import EmbeddedBackend
from domain.coords import CoordinateSystem, from_wgs84
from domain.lifecycle import Action
from domain.township import Role, load_demo_township
from tests.processes import BackendProcess, GatewayProcess, free_port
from tests.services import dispatch, staff_client, step

TOWNSHIP = load_demo_township()
GRID = TOWNSHIP.grids["V01G1"]  # the demo worker's grid


def jpeg(seed: int = 0) -> bytes:
    pixels = np.full((120, 160, 3), (seed * 40) % 255, np.uint8)
    cv2.putText(pixels, str(seed), (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 3)
    ok, data = cv2.imencode(".jpg", pixels)
    assert ok
    return data.tobytes()


@pytest.fixture
def gateway(backend: BackendProcess) -> Iterator[GatewayProcess]:
    process = GatewayProcess(backend.router).start()
    try:
        yield process
    finally:
        if process.alive:
            process.stop()


@pytest.fixture
def http(gateway: GatewayProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=30.0) as client:
        yield client


def sign_in(http: httpx.Client, user: str) -> dict[str, str]:
    answer = http.post("/v1/session", json={"user": user, "password": "demo"})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def report(**over: Any) -> dict[str, Any]:
    body = {"id": str(uuid.uuid4()), "category": "municipal_damage", "description": "路面塌陷一处",
            "lat": GRID.lat, "lon": GRID.lon, "reported_at": time.time()}  # fmt: skip
    body.update(over)
    return body


def error_of(answer: httpx.Response) -> str:
    code: str = answer.json()["error"]["code"]
    return code


def test_a_grid_worker_files_a_report_with_a_photo_once_however_often_sent(
    http: httpx.Client,
) -> None:
    worker = sign_in(http, "worker")
    me = http.get("/v1/me", headers=worker).json()
    assert me["role"] == "grid_worker" and me["scope"]["grids"] == ["V01G1"]
    body = report()
    files = [("photos", ("a.jpg", jpeg(1), "image/jpeg"))]
    first = http.post("/v1/reports", data={"report": _json(body)}, files=files, headers=worker)
    assert first.status_code == 201, first.text
    filed = first.json()
    assert filed["created"] and filed["grid"] == "V01G1" and filed["photos"][0]["ok"]
    again = http.post("/v1/reports", data={"report": _json(body)}, files=files, headers=worker)
    assert again.status_code == 200, again.text  # a retry: the same case, the same photo
    assert again.json()["id"] == filed["id"] and again.json()["photos"][0]["duplicate"]
    case = http.get(f"/v1/cases/{filed['id']}", headers=worker).json()
    assert len(case["photos"]) == 1 and case["case"]["number"] == filed["number"]
    picture = http.get(case["photos"][0]["url"], headers=worker)
    assert picture.status_code == 200 and picture.content == jpeg(1)
    assert picture.headers["content-type"] == "image/jpeg"
    mine = http.get("/v1/cases", headers=worker).json()["cases"]
    assert filed["id"] in {c["id"] for c in mine}


def test_a_grid_worker_sends_a_patrol_once_however_often_sent(http: httpx.Client) -> None:
    worker = sign_in(http, "worker")
    me = http.get("/v1/me", headers=worker).json()
    now = time.time()
    patrol = {"id": str(uuid.uuid4()), "worker": me["person"], "grid": "V01G1",
              "started_at": now - 3600, "ended_at": now - 60, "distance_m": None,
              "track": [[GRID.lat, GRID.lon, now - 3600], [GRID.lat + 0.001, GRID.lon, now - 1800]],
              "reports": [], "note": "例行巡查"}  # fmt: skip
    first = http.post("/v1/patrols", json=patrol, headers=worker)
    assert first.status_code == 201 and first.json()["created"], first.text
    assert first.json()["patrol"]["distance_m"] > 100  # counted by its track
    again = http.post("/v1/patrols", json=patrol, headers=worker)
    assert again.status_code == 200 and not again.json()["created"]  # as a report's retry
    other = {**patrol, "id": str(uuid.uuid4())}
    photo = [("photos", ("a.jpg", jpeg(2), "image/jpeg"))]
    pictured = http.post("/v1/patrols", data={"patrol": _json(other)}, files=photo, headers=worker)
    assert pictured.status_code == 422 and "photos" in pictured.text  # said, not dropped
    beijing = [[39.9, 116.4, now - 3600], [39.901, 116.4, now - 1800]]
    far = http.post("/v1/patrols", json={**other, "track": beijing}, headers=worker)
    assert far.status_code == 422 and "never comes within" in far.text
    gcj = [[*from_wgs84(lat, lon, CoordinateSystem.GCJ02), t] for lat, lon, t in patrol["track"]]
    in_gcj = {**other, "track": gcj, "coordinate_system": "GCJ-02"}  # 高德's, as the app had it
    kept = http.post("/v1/patrols", json=in_gcj, headers=worker)
    assert kept.status_code == 201, kept.text
    assert abs(kept.json()["patrol"]["distance_m"] - first.json()["patrol"]["distance_m"]) < 5
    someone = http.post("/v1/patrols", json={**other, "worker": "P0227"}, headers=worker)
    assert someone.status_code in (403, 422), someone.text  # another person's patrol


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)


def test_a_retry_without_the_phones_own_time_is_still_the_same_case(http: httpx.Client) -> None:
    worker = sign_in(http, "worker")
    body = report()
    del body["reported_at"]
    first = http.post("/v1/reports", json=body, headers=worker)
    second = http.post("/v1/reports", json=body, headers=worker)
    assert (first.status_code, second.status_code) == (201, 200), second.text
    assert first.json()["id"] == second.json()["id"] and not second.json()["created"]


def test_a_phone_in_gcj02_is_placed_where_it_really_is(http: httpx.Client) -> None:
    worker = sign_in(http, "worker")
    g_lat, g_lon = from_wgs84(GRID.lat, GRID.lon, CoordinateSystem.GCJ02)
    body = report(lat=g_lat, lon=g_lon, coordinate_system="GCJ-02")
    filed = http.post("/v1/reports", json=body, headers=worker)
    assert filed.status_code == 201, filed.text
    case = http.get(f"/v1/cases/{filed.json()['id']}", headers=worker).json()["case"]
    assert abs(case["lat"] - GRID.lat) < 1e-5 and abs(case["lon"] - GRID.lon) < 1e-5


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"lat": 30.27, "lon": 120.15}, 422, "outside_township"),  # Hangzhou: not the township's
        ({"id": "not-a-uuid"}, 422, "invalid"),
        ({"category": "no_such_thing"}, 422, "invalid"),
        ({"description": ""}, 422, "invalid"),
        ({"description": "长" * 2001}, 422, "invalid"),
        ({"coordinate_system": "Mars"}, 422, "invalid"),
        ({"reported_at": time.time() + 30 * 86400}, 422, "invalid"),  # a phone's clock wrong
    ],
)
def test_bad_reports_are_refused_in_words(
    http: httpx.Client, change: dict[str, Any], status: int, code: str
) -> None:
    worker = sign_in(http, "worker")
    answer = http.post("/v1/reports", json=report(**change), headers=worker)
    assert answer.status_code == status, answer.text
    assert error_of(answer) == code and answer.json()["error"]["detail"]


def test_what_is_not_a_report_never_reaches_the_backend(http: httpx.Client) -> None:
    """A body that is not a report is refused whole; a photo that is not one (a page, too big
    for a case) is refused alone, and the report it came with is filed."""
    worker = sign_in(http, "worker")
    as_text = http.post("/v1/reports", content=b"id=1", headers={
        **worker, "Content-Type": "text/plain"})  # fmt: skip
    assert as_text.status_code == 415 and error_of(as_text) == "unsupported_media_type"
    broken = http.post("/v1/reports", content=b"{not json", headers={
        **worker, "Content-Type": "application/json"})  # fmt: skip
    assert broken.status_code == 400 and error_of(broken) == "malformed"
    page = io.BytesIO(b"<html><script>alert(1)</script></html>")
    photos = [("photos", ("x.jpg", page, "image/jpeg"))]
    form = {"report": _json(report())}
    not_a_photo = http.post("/v1/reports", data=form, files=photos, headers=worker)
    assert not_a_photo.status_code == 201, not_a_photo.text
    [said] = not_a_photo.json()["photos"]
    assert not said["ok"] and said["code"] == "unsupported_media_type"
    big = http.post("/v1/reports", content=b"x" * (5 * 2**20), headers={
        **worker, "Content-Type": "application/json"})  # fmt: skip
    assert big.status_code == 413 and error_of(big) == "too_large"
    huge_photo = np.random.default_rng(1).integers(0, 255, (900, 1200, 3), np.uint8)
    data = cv2.imencode(".png", huge_photo)[1].tobytes()
    assert len(data) > 700_000
    png = [("photos", ("p.png", io.BytesIO(data), "image/png"))]
    form = {"report": _json(report())}
    too_big = http.post("/v1/reports", data=form, files=png, headers=worker)
    assert too_big.status_code == 201 and too_big.json()["photos"][0]["code"] == "too_large"
    assert _raw_status(http, worker, b"gzip, chunked") == 411  # however chunking is dressed
    for lat in ("Infinity", "NaN", 1e400):
        endless = http.post("/v1/reports", content=_json(report()).replace(
            f'"lat": {GRID.lat}', f'"lat": {lat}').encode(),
            headers={**worker, "Content-Type": "application/json"})  # fmt: skip
        assert endless.status_code in (400, 422), endless.text


def _raw_status(http: httpx.Client, auth: dict[str, str], encoding: bytes) -> int:
    """A POST with this Transfer-Encoding, sent as bytes (httpx refuses to send odd ones)."""
    host, port = str(http.base_url.host), int(http.base_url.port or 80)
    with socket.create_connection((host, port), timeout=10) as conn:
        head = (b"POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Authorization: " + auth["Authorization"].encode() + b"\r\n")  # fmt: skip
        conn.sendall(head + b"Transfer-Encoding: " + encoding + b"\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        return int(conn.recv(200).split(b" ")[1])


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (json.dumps(report(reported_at=10**30)), 422),  # beyond 64 bits
        (json.dumps(report(description="路灯\ud800坏了")), 422),  # a lone surrogate
        ("[" * 100_000 + "]" * 100_000, 400),  # deeper than the stack
        ('{"a":' * 50_000 + "1" + "}" * 50_000, 400),
    ],
)
def test_what_the_codec_cannot_carry_is_refused_in_words(
    http: httpx.Client, content: str, status: int
) -> None:
    answer = http.post("/v1/reports", content=content.encode(), headers={
        **sign_in(http, "worker"), "Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["detail"]  # words, not a traceback's plain-text 500


def test_tokens_are_the_persons_own(http: httpx.Client) -> None:
    nobody = http.get("/v1/cases")
    assert nobody.status_code == 401 and error_of(nobody) == "not_signed_in"
    assert nobody.headers["www-authenticate"].startswith("Bearer")
    assert nobody.headers["cache-control"] == "no-store"
    page = http.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    forged = http.get("/v1/cases", headers={"Authorization": "Bearer " + "x" * 43})
    assert forged.status_code == 401
    wrong = http.post("/v1/session", json={"user": "worker", "password": "nope"})
    assert wrong.status_code == 401 and error_of(wrong) == "login_failed"
    desk = http.post("/v1/session", json={"user": "supervisor", "password": "demo"})
    assert desk.status_code == 401  # a console's login: said as a wrong one (no oracle)
    own = http.post("/v1/session", json={"user": "gateway", "password": "x"})
    assert own.status_code == 401  # the gateway's own login is never tried from outside
    for _ in range(3):  # a stranger guessing a grid worker's password
        http.post("/v1/session", json={"user": "P0226", "password": "guess"})
    held = http.post("/v1/session", json={"user": "P0226", "password": "demo"})
    assert held.status_code == 429 and int(held.headers["retry-after"]) > 60  # here only
    worker = sign_in(http, "worker")
    filed = http.post("/v1/reports", json=report(), headers=worker).json()
    handler = sign_in(http, "handler")  # not dispatched to the handler's department
    theirs = http.get(f"/v1/cases/{filed['id']}", headers=handler)
    assert theirs.status_code == 403, theirs.text
    assert http.delete("/v1/session", headers=worker).status_code == 204
    assert http.get("/v1/me", headers=worker).status_code == 401  # signed out: gone


def test_a_systems_pace_is_a_setting_and_more_is_told_to_wait(backend: BackendProcess) -> None:
    command = [sys.executable, "-m", "gateway", "--backend", backend.router, "--plain",
               "--demo", "--listen", "127.0.0.1:0"]  # fmt: skip
    env = {**os.environ, "COMMANDROOM_GATEWAY_SYSTEM_RATE": "fast"}
    refused = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    assert refused.returncode == 2 and b"gateway_system_rate" in refused.stderr
    slow = GatewayProcess(backend.router, env={"COMMANDROOM_GATEWAY_SYSTEM_RATE": "0.05"})
    slow.start()
    try:
        with httpx.Client(base_url=slow.url, timeout=30.0) as http:
            app = sign_in(http, "gridapp")
            body = report(channel="hotline", reporter="来电市民")
            assert http.post("/v1/reports", json=body, headers=app).status_code == 201
            held = http.post("/v1/reports", json=report(channel="hotline", reporter="来电市民"),
                             headers=app)  # fmt: skip
            assert held.status_code == 429 and error_of(held) == "rate_limited"
            assert float(held.headers["retry-after"]) > 5  # one in 20 s
            own = http.post("/v1/reports", json=report(), headers=sign_in(http, "worker"))
            assert own.status_code == 201  # a person's own pace is not the system's
    finally:
        slow.stop()


def test_a_handler_starts_and_replies_with_a_photo(
    http: httpx.Client, backend: BackendProcess
) -> None:
    worker = sign_in(http, "worker")
    filed = http.post("/v1/reports", json=report(), headers=worker).json()
    handler_info = http.post("/v1/session", json={"user": "handler", "password": "demo"}).json()
    department = next(d.code for d in TOWNSHIP.departments.values()
                      if handler_info["person"] in d.handlers)  # fmt: skip
    dispatch(backend.router, filed["id"], department)  # by the room
    handler = {"Authorization": f"Bearer {handler_info['token']}"}
    mine = http.get("/v1/cases", headers=handler).json()["cases"]
    case = next(c for c in mine if c["id"] == filed["id"])
    assert case["state"] == "dispatched" and case["stage_due"]
    actions = f"/v1/cases/{filed['id']}/actions"
    start = {"action": "start", "version": case["version"]}
    started = http.post(actions, json=start, headers=handler)
    assert started.status_code == 200, started.text
    with staff_client(backend.router) as desk:  # the room presses meanwhile: a change since
        step(desk, filed["id"], Action.URGE, Role.SUPERVISOR, note="请加快")
    again = http.post(actions, json=start, headers=handler)  # its answer lost: sent again
    assert again.status_code == 200 and again.json()["case"]["state"] == "in_progress"
    late = {"action": "request_extension", "version": case["version"], "duration": "1wd",
            "reason": "待材料"}  # fmt: skip
    stale = http.post(actions, json=late, headers=handler)
    assert stale.status_code == 409 and error_of(stale) == "stale_version"
    version = again.json()["case"]["version"]  # as it now is: urged since
    reply = _json({"action": "reply", "version": version, "note": "已修复"})
    photos = [("photos", ("done.jpg", jpeg(7), "image/jpeg"))]
    replied = http.post(actions, data={"action": reply}, files=photos, headers=handler)
    assert replied.status_code == 200, replied.text
    assert replied.json()["case"]["state"] == "replied" and replied.json()["photos"][0]["ok"]
    resent = http.post(actions, data={"action": reply}, files=photos, headers=handler)
    assert resent.status_code == 200 and resent.json()["photos"][0]["duplicate"], resent.text
    other = {"action": "reply", "version": version, "note": "另一份反馈"}  # not a retry
    assert http.post(actions, json=other, headers=handler).status_code == 409
    timeline = http.get(f"/v1/cases/{filed['id']}", headers=handler).json()["timeline"]
    mine = [t["action"] for t in timeline if t["action"] in ("start", "reply")]
    assert mine == ["start", "reply"]  # each once, however often sent
    odd = http.post(f"/v1/cases/{filed['id']}/actions",
                    json={"action": "close", "version": 9}, headers=handler)  # fmt: skip
    assert odd.status_code == 422  # not the field's to do


def test_open311_services_requests_and_their_status(backend: BackendProcess, tmp_path: Any) -> None:
    keys = tmp_path / "api_keys"
    key = "k" * 32
    keys.write_text(f"{key} hotline 12345热线\n", encoding="utf-8")
    keys.chmod(0o600)
    process = GatewayProcess(backend.router, env={"COMMANDROOM_GATEWAY_API_KEYS": str(keys)})
    process.start()
    try:
        with httpx.Client(base_url=process.url, timeout=30.0) as http:
            services = http.get("/open311/v2/services.json").json()
            assert {"service_code", "service_name", "metadata", "type"} <= set(services[0])
            assert len(services) == len(TOWNSHIP.categories)
            xml = http.get("/open311/v2/services.xml")
            assert xml.headers["content-type"].startswith("text/xml")
            assert b"<services><service><service_code>" in xml.content
            form = {"api_key": key, "service_code": "municipal_damage", "lat": str(GRID.lat),
                    "long": str(GRID.lon), "description": "路灯坏了", "first_name": "明",
                    "last_name": "王", "phone": "13800000000"}  # fmt: skip
            filed = http.post("/open311/v2/requests.json", data=form)
            assert filed.status_code == 201, filed.text
            [created] = filed.json()
            assert {"service_request_id", "service_notice", "account_id"} == set(created)
            again = http.post("/open311/v2/requests.json", data=form).json()
            assert again[0]["service_request_id"] == created["service_request_id"]
            rid = created["service_request_id"]
            [status] = http.get(f"/open311/v2/requests/{rid}.json", params={"api_key": key}).json()
            assert status["status"] == "open" and status["service_code"] == "municipal_damage"
            assert status["requested_datetime"].endswith("+08:00")
            listed = http.get("/open311/v2/requests.xml",
                              params={"api_key": key, "service_request_id": rid})  # fmt: skip
            assert b"<service_requests><request><service_request_id>" in listed.content
            no_key = http.post("/open311/v2/requests.json", data={**form, "api_key": "x"})
            assert no_key.status_code == 403
            assert no_key.json()[0]["code"] == 403 and no_key.json()[0]["description"]
            outside = http.post("/open311/v2/requests.xml", data={**form, "lat": "39.9"})
            assert outside.status_code == 400 and b"<errors><error>" in outside.content
            unknown = http.get("/open311/v2/requests/nope.json", params={"api_key": key})
            assert unknown.status_code == 404
            elsewhere = http.post("/open311/v2/requests.json",
                                  data={**form, "jurisdiction_id": "elsewhere.gov"})  # fmt: skip
            assert elsewhere.status_code == 404  # not filed here
            in_query = http.post("/open311/v2/requests.json", data=form,
                                 params={"jurisdiction_id": "elsewhere.gov"})  # fmt: skip
            assert in_query.status_code == 404 and in_query.headers["cache-control"] == "no-store"
            for charset, words in (("utf-8", "原样照登"), ("gbk", "井盖缺失")):  # raw, unquoted
                raw = "&".join(f"{k}={v}" for k, v in {**form, "description": words}.items())
                as_sent = http.post("/open311/v2/requests.xml", content=raw.encode(charset),
                                    headers={"Content-Type": "application/x-www-form-urlencoded;"
                                             f" charset={charset}"})  # fmt: skip
                assert as_sent.status_code == 201 and as_sent.content.startswith(b"<?xml")
                rid = as_sent.text.split("<service_request_id>")[1].split("<")[0]
                [kept] = http.get(f"/open311/v2/requests/{rid}.json", params={"api_key": key,
                                  "jurisdiction_id": TOWNSHIP.code}).json()  # fmt: skip
                assert kept["description"] == words and kept["address"].startswith("陈宅村")
    finally:
        process.stop()


def test_a_backend_that_is_down_gets_a_503_and_nothing_is_lost(
    backend: BackendProcess, gateway: GatewayProcess, http: httpx.Client
) -> None:
    worker = sign_in(http, "worker")
    body = report()
    backend.kill()
    down = http.post("/v1/reports", json=body, headers=worker)
    assert down.status_code == 503, down.text
    assert int(down.headers["retry-after"]) > 0 and error_of(down) == "backend_unavailable"
    with ThreadPoolExecutor(2) as phones:  # one asks whether it is back; the other is told
        said = list(phones.map(lambda b: http.post("/v1/reports", json=b, headers=worker),
                               (report(), report())))  # fmt: skip
    assert [a.status_code for a in said] == [503, 503]
    assert any("just now" in a.json()["error"]["detail"] for a in said), [a.text for a in said]
    backend.start()
    worker = sign_in(http, "worker")  # the backend kept the login; the gateway asks again
    filed = http.post("/v1/reports", json=body, headers=worker)
    assert filed.status_code in (200, 201), filed.text  # whether or not it was filed before
    again = http.post("/v1/reports", json=body, headers=worker)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_the_openapi_document_lists_the_field_api(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    for path in ("/v1/session", "/v1/reports", "/v1/cases", "/v1/cases/{incident}/actions",
                 "/open311/v2/requests.{fmt}"):  # fmt: skip
        assert path in spec["paths"], path
    assert "multipart/form-data" in spec["paths"]["/v1/reports"]["post"]["requestBody"]["content"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/cases"]["get"]["security"] == [{"HTTPBearer": []}]


def test_make_runs_backend_starts_a_gateway_beside_it_and_ends_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """`make run`: the embedded backend's gateway answers the phones, and goes with it."""
    port = free_port()
    db = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    embedded = EmbeddedBackend(db, True, ["--demo-days=0"], gateway=f"127.0.0.1:{port}")
    embedded.start()
    try:

        def answers() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        qtbot.waitUntil(answers, timeout=60_000)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as http:
            assert http.get("/v1/me", headers=sign_in(http, "handler")).json()["name"]
    finally:
        embedded.stop()
    child = embedded._gateway_process
    assert child is not None and child.poll() is not None  # no gateway left behind


def test_a_handlers_phone_is_told_at_once_of_a_case_dispatched_to_it(
    http: httpx.Client, backend: BackendProcess
) -> None:
    """GET /v1/events: the handler's own stream, as the backend publishes it."""
    handler_info = http.post("/v1/session", json={"user": "handler", "password": "demo"}).json()
    handler = {"Authorization": f"Bearer {handler_info['token']}"}
    department = next(d.code for d in TOWNSHIP.departments.values()
                      if handler_info["person"] in d.handlers)  # fmt: skip
    worker = sign_in(http, "worker")
    filed = http.post("/v1/reports", json=report(), headers=worker).json()
    told: list[dict[str, Any]] = []
    listening = threading.Event()

    def listen() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=60.0) as phone, phone.stream(
            "GET", "/v1/events", headers=handler) as stream:  # fmt: skip
            for line in stream.iter_lines():
                listening.set()
                if line.startswith("data: "):
                    told.append(json.loads(line[6:]))
                    if told[-1]["state"] == "dispatched":
                        return

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    assert listening.wait(30)
    dispatch(backend.router, filed["id"], department)  # by the room
    reader.join(30)
    assert told and told[-1] == {"type": "incident.updated", "id": filed["id"],
                                 "state": "dispatched"}  # fmt: skip
    ended: list[str] = []
    with httpx.Client(base_url=str(http.base_url), timeout=60.0) as phone, ExitStack() as open_:
        lines = []  # kept: a line iterator let go closes its stream
        for _ in range(3):  # a phone's page reloaded twice: three streams at once, no more
            stream = open_.enter_context(phone.stream("GET", "/v1/events", headers=handler))
            lines.append(stream.iter_lines())
            assert next(lines[-1]) == ": listening"
        assert http.get("/v1/events", headers=handler).status_code == 429
        assert http.delete("/v1/session", headers=handler).status_code == 204
        ended += lines[-1]
    assert "event: signed_out" in ended  # the stream did not outlive the sign-in
