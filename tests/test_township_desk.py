"""A township's files applied from the administrator's desk over the wire (township.check,
township.apply): the same check and all-or-nothing apply as the command line, refused to anyone
else (audited), refused over a version the administrator did not check, and never tricked by
the zip it is sent."""

from __future__ import annotations

import base64
import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from backend.demo.users import DEMO_PASSWORD
from backend.store import Store
from client.request import RequestClient, RequestError
from client.township_package import PackageError, pack
from domain.township_package import MAX_PACKAGE_BYTES
from domain.wire import MsgType
from tests.services import TOWNSHIP, serving, subscribe
from tests.test_township_live import next_of, renamed_with_a_camera


@pytest.fixture
def served(sqlite_url: str) -> Iterator[tuple[RequestClient, str]]:
    with serving(TOWNSHIP, sqlite_url) as endpoints:
        client = RequestClient(endpoints.router, timeout=60)
        try:
            yield client, endpoints.pub
        finally:
            client.close()


def sent(package: bytes, version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"package": base64.b64encode(package).decode()}
    if version is not None:
        body["version"] = version
    return body


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def audit(client: RequestClient) -> list[dict[str, Any]]:
    client.log_in("auditor", DEMO_PASSWORD)
    entries: list[dict[str, Any]] = client.request(MsgType.AUDIT_REQUEST, {"after": 0}).body[
        "entries"
    ]
    return entries


def test_checked_then_applied_from_the_desk_and_every_console_hears_of_it(
    served: tuple[RequestClient, str], tmp_path: Path, sqlite_url: str
) -> None:
    client, pub = served
    sub = subscribe(pub, client.log_in("admin", DEMO_PASSWORD), (b"township.",))
    package = pack(renamed_with_a_camera(tmp_path / "files"))
    try:
        checked = client.request(MsgType.TOWNSHIP_CHECK, sent(package)).body
        assert checked["ok"] is True and checked["problem_count"] == 0, checked["problems"]
        assert (
            checked["version"] == 1 and checked["township"]["cameras"] == len(TOWNSHIP.cameras) + 1
        )
        assert any("陈宅新村" in line for line in checked["changes"])
        assert any("C900" in line for line in checked["changes"])
        applied = client.request(MsgType.TOWNSHIP_APPLY, sent(package, 1)).body
        assert applied["version"] == 2
        assert next_of(sub, MsgType.TOWNSHIP_CHANGED).body["version"] == 2
        township = client.request(MsgType.TOWNSHIP_REQUEST).body["township"]
        assert {v["code"]: v["name"] for v in township["villages"]}["V01"] == "陈宅新村"
        # the same files again, over the version now in the store: nothing to change
        again = client.request(MsgType.TOWNSHIP_APPLY, sent(package, 2)).body
        assert again["version"] is None
        with pytest.raises(RequestError, match="stale_version"):  # checked against another
            client.request(MsgType.TOWNSHIP_APPLY, sent(package, 1))
    finally:
        sub.close()
    trail = audit(client)
    assert any(e["what"] == "township.apply" and e["who"] == "admin" and e["result"] == "ok"
               for e in trail)  # fmt: skip
    assert any(e["what"] == "township.applied" and e["who"] == "admin" for e in trail)


def test_an_apply_over_a_version_not_checked_is_refused_and_changes_nothing(
    served: tuple[RequestClient, str], tmp_path: Path, sqlite_url: str
) -> None:
    client, _pub = served
    client.log_in("admin", DEMO_PASSWORD)
    package = pack(renamed_with_a_camera(tmp_path / "files"))
    with pytest.raises(RequestError, match="stale_version"):
        client.request(MsgType.TOWNSHIP_APPLY, sent(package, 7))
    store = Store(sqlite_url)
    try:
        assert store.township_version()[0] == 1
        assert store.load_township().villages["V01"].name == "陈宅村"
    finally:
        store.close()


def test_only_an_administrator_may_apply_and_the_refusal_is_audited(
    served: tuple[RequestClient, str], tmp_path: Path
) -> None:
    client, _pub = served
    package = pack(renamed_with_a_camera(tmp_path / "files"))
    client.log_in("supervisor", DEMO_PASSWORD)
    for type_ in (MsgType.TOWNSHIP_CHECK, MsgType.TOWNSHIP_APPLY):
        with pytest.raises(RequestError, match="not_allowed"):
            client.request(type_, sent(package, 1))
    refused = [(e["what"], e["who"]) for e in audit(client) if e["result"] == "not_allowed"]
    assert ("township.apply", "supervisor") in refused
    assert ("township.check", "supervisor") in refused


@pytest.mark.parametrize(
    ("package", "says"),
    [
        (b"PK\x03\x04 not really a zip", "not a zip"),
        (zipped({"../township.xlsx": b"x"}), "not a township file"),
        (zipped({"sub/township.xlsx": b"x"}), "not a township file"),
        (zipped({"run.sh": b"rm -rf /"}), "not a township file"),
        (zipped({"a.csv": b"x", "A.CSV": b"y"}), "the same file twice"),
        (zipped({f"{i}.csv": b"x" for i in range(40)}), "40 files"),
        # 100 MB of zeros packs to about 100 KB: counted as written, refused past the limit
        (zipped({"boundaries.geojson": bytes(100 * 2**20)}), "too big"),
        (zipped({"township.xlsx": b"not a workbook at all"}), "township.xlsx"),
    ],
)
def test_a_package_that_is_not_a_townships_files_is_a_problem_with_its_place(
    served: tuple[RequestClient, str], tmp_path: Path, package: bytes, says: str
) -> None:
    client, _pub = served
    client.log_in("admin", DEMO_PASSWORD)
    checked = client.request(MsgType.TOWNSHIP_CHECK, sent(package)).body
    assert checked["ok"] is False and checked["problem_count"] >= 1
    assert any(says in f"{p['place']} {p['en']}" for p in checked["problems"]), checked
    with pytest.raises(RequestError, match="invalid"):
        client.request(MsgType.TOWNSHIP_APPLY, sent(package, 1))
    assert not (tmp_path.parent / "township.xlsx").exists()


def test_a_broken_register_is_named_where_it_is_and_not_applied(
    served: tuple[RequestClient, str], tmp_path: Path
) -> None:
    files = renamed_with_a_camera(tmp_path / "files")
    book = load_workbook(files / "township.xlsx")
    book["摄像头"].append(["C901", "坏地址", "road", "道路", 3, "V01", 28.86, 119.78,
                          "rtsp//no-scheme", "", ""])  # fmt: skip
    book.save(files / "township.xlsx")
    client, _pub = served
    client.log_in("admin", DEMO_PASSWORD)
    checked = client.request(MsgType.TOWNSHIP_CHECK, sent(pack(files))).body
    assert checked["ok"] is False
    assert any("摄像头" in p["place"] and "C901" not in p["place"] for p in checked["problems"])
    with pytest.raises(RequestError, match="invalid"):
        client.request(MsgType.TOWNSHIP_APPLY, sent(pack(files), 1))


def test_the_desk_says_what_it_cannot_send(
    served: tuple[RequestClient, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x")
    with pytest.raises(PackageError, match="no township files"):
        pack(empty)
    big = tmp_path / "big"
    big.mkdir()
    (big / "boundaries.geojson").write_bytes(base64.b64encode(random.Random(1).randbytes(800_000)))
    with pytest.raises(PackageError, match="limit"):
        pack(big)
    client, _pub = served
    client.log_in("admin", DEMO_PASSWORD)
    too_big = {"package": "A" * (MAX_PACKAGE_BYTES * 4 // 3 + 8)}
    with pytest.raises(RequestError, match="package"):
        client.request(MsgType.TOWNSHIP_CHECK, too_big)
