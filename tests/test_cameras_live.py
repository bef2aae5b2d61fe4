"""Cameras while the room runs: tried from the backend's machine against a real RTSP server
(with a user and password, as an NVR's), added, changed and taken off by an administrator,
every change a new township version that consoles hear of at once."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from backend.demo.users import DEMO_PASSWORD
from backend.store import Store
from client.request import RequestClient, RequestError
from domain.wire import Message, MsgType, decode
from tests.helpers import wait_for
from tests.processes import BackendProcess, RtspServer, SilentServer
from tests.services import TOWNSHIP, serving, subscribe

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nvr() -> Iterator[RtspServer]:
    server = RtspServer(auth=True).start()
    yield server
    server.kill()


@pytest.fixture
def admin(sqlite_url: str) -> Iterator[tuple[RequestClient, str]]:
    with serving(TOWNSHIP, sqlite_url) as endpoints:
        client = RequestClient(endpoints.router, timeout=30)
        client.log_in("admin", DEMO_PASSWORD)
        try:
            yield client, endpoints.pub
        finally:
            client.close()


def tried(client: RequestClient, url: str) -> dict[str, object]:
    return client.request(MsgType.CAMERA_TEST, {"url": url}).body


def test_a_stream_tried_from_the_backend_says_what_it_is_or_why_not(
    admin: tuple[RequestClient, str], nvr: RtspServer
) -> None:
    client, _pub = admin
    good = tried(client, nvr.url.replace("rtsp://", "rtsp://admin:secret@"))
    assert good["ok"] is True
    assert (good["codec"], good["width"], good["height"]) == ("h264", 640, 360)
    assert good["fps"] == pytest.approx(25, abs=1)
    assert "secret" not in str(good["url"])
    picture = cv2.imdecode(np.frombuffer(base64.b64decode(str(good["thumbnail"])), np.uint8), 1)
    assert picture is not None and picture.shape[1] == 320
    wrong = tried(client, nvr.url.replace("rtsp://", "rtsp://admin:wrong@"))
    assert (wrong["ok"], wrong["failure"]) == (False, "unauthorised")
    assert "wrong" not in str(wrong["detail"])
    none = tried(
        client, nvr.url.replace("/cam", "/nothing").replace("rtsp://", "rtsp://admin:secret@")
    )
    assert none["failure"] == "no_such_path"
    silent = SilentServer()
    try:
        assert tried(client, f"rtsp://127.0.0.1:{silent.port}/cam")["failure"] == "timed_out"
    finally:
        silent.close()
    refused = tried(client, "rtsp://127.0.0.1:1/cam")
    assert refused["failure"] == "unreachable"
    with pytest.raises(RequestError, match="invalid"):
        tried(client, "rtsp//no-scheme/cam")


def test_a_camera_added_changed_and_removed_is_a_new_township_at_once(
    admin: tuple[RequestClient, str], nvr: RtspServer
) -> None:
    client, pub = admin
    assert client.login is not None
    sub = subscribe(pub, client.login, (b"township.",))
    heard: list[Message] = []

    def changed(n: int) -> bool:
        while sub.poll(0):
            heard.append(decode(sub.recv_multipart()[1]))
        return len(heard) >= n

    try:
        camera = {"code": "C901", "name": "新桥头", "kind": "road", "group": "道路", "phase": 1,
                  "village": "V01", "lat": 28.86, "lon": 119.78,
                  "main_url": nvr.url.replace("rtsp://", "rtsp://admin:secret@")}  # fmt: skip
        # a subscription takes a moment: resend until the first change is heard
        saved = client.request(MsgType.CAMERA_SET, {"camera": camera}).body
        wait_for(lambda: changed(1), timeout=30)
        assert heard[0].body["version"] == saved["version"]
        body = client.township()
        c901 = next(c for c in body["township"]["cameras"] if c["code"] == "C901")
        assert c901["main_url"] == nvr.url and c901["sub_url"] == nvr.url  # no password
        assert c901["credentials"] is True
        client.request(MsgType.CAMERA_SET, {"camera": {**camera, "name": "新桥头东"}})
        wait_for(lambda: changed(2), timeout=30)
        names = {c["code"]: c["name"] for c in client.township()["township"]["cameras"]}
        assert names["C901"] == "新桥头东"
        client.request(MsgType.CAMERA_REMOVE, {"camera": "C901"})
        wait_for(lambda: changed(3), timeout=30)
        assert "C901" not in {c["code"] for c in client.township()["township"]["cameras"]}
        with pytest.raises(RequestError, match="invalid"):
            client.request(MsgType.CAMERA_REMOVE, {"camera": "C901"})
        with pytest.raises(RequestError, match="outside the township"):
            client.request(MsgType.CAMERA_SET, {"camera": {**camera, "lat": 39.9}})
        with pytest.raises(RequestError, match="unknown village"):
            client.request(MsgType.CAMERA_SET, {"camera": {**camera, "village": "V99"}})
    finally:
        sub.close()


def test_only_an_administrator_may_change_cameras_and_the_refusal_is_audited(
    sqlite_url: str,
) -> None:
    with serving(TOWNSHIP, sqlite_url) as endpoints, RequestClient(endpoints.router) as client:
        client.log_in("supervisor", DEMO_PASSWORD)
        camera = {"code": "C902", "name": "x", "lat": 28.86, "lon": 119.78,
                  "main_url": "rtsp://10.0.0.9/a"}  # fmt: skip
        with pytest.raises(RequestError, match="not_allowed"):
            client.request(MsgType.CAMERA_SET, {"camera": camera})
        client.log_in("auditor", DEMO_PASSWORD)
        entries = client.request(MsgType.AUDIT_REQUEST, {"after": 0}).body["entries"]
    assert any(e["what"] == "camera.set" and e["result"] == "not_allowed" for e in entries)


def test_the_command_line_changes_cameras_of_a_running_backend(backend: BackendProcess) -> None:
    watcher = RequestClient(backend.router, timeout=30)
    sub = subscribe(backend.pub, watcher.log_in("duty", DEMO_PASSWORD), (b"township.",))

    def cameras(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "backend", "cameras", "--db", backend.db_url, *args]
        return subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
        )

    try:
        done = cameras("set", "C903", "--name", "水库东", "--lat", "28.87", "--lon", "119.79",
                       "--main", "rtsp://admin:pw@10.0.0.3/a", "--by", "王主任")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert sub.poll(30_000), "no township.changed"
        assert decode(sub.recv_multipart()[1]).type == MsgType.TOWNSHIP_CHANGED
        listed = cameras("list").stdout
        assert "C903\t水库东" in listed and "pw" not in listed
        after = subprocess.run(  # --db after the command, as `township apply DIR --db` takes it
            [sys.executable, "-m", "backend", "cameras", "list", "--db", backend.db_url],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert after.stdout == listed, after.stderr
        assert cameras("set", "C904", "--name", "x").returncode == 2  # a new one needs more
        assert cameras("remove", "C903").returncode == 0
        assert cameras("remove", "C903").returncode == 1
    finally:
        sub.close()
        watcher.close()
    store = Store(backend.db_url)
    try:
        applied = [e for e in store.audit() if e.what == "township.applied"]
    finally:
        store.close()
    assert any(e.who.startswith("王主任 (os: ") for e in applied)  # the claim, and the account
