"""Cameras' passwords: kept by the backend, not in every console's township, given to those
who watch video when they ask, on the record."""

from __future__ import annotations

import dataclasses

import pytest

from backend.demo.users import DEMO_PASSWORD
from client.request import RequestError
from console.video.camera_credentials import CameraCredentials
from console.video.camera_feed import camera_url
from domain.camera_urls import split_credentials, with_credentials
from domain.township import Township, load_demo_township
from domain.wire import MsgType
from tests.services import serving, staff_client

MAIN = "rtsp://admin:Hik%4012345@192.168.1.64:554/Streaming/Channels/101"
SUB = "rtsp://admin:Hik%4012345@192.168.1.64:554/Streaming/Channels/102"


@pytest.mark.parametrize(
    "url",
    ["rtsp://admin:P%40ss%3Aw@192.168.1.64:554/Streaming/101", "rtsp://admin:密码12@10.0.0.1/a",
     "rtsp://user@[fe80::1]:554/x", "http://a:b@h/c?d=1", "rtsp://10.0.0.1/no-credentials"],
)  # fmt: skip
def test_an_address_comes_apart_and_back_together(url: str) -> None:
    bare, user, password = split_credentials(url)
    assert "@" not in bare
    assert with_credentials(bare, user, password) == url


def with_a_password() -> Township:
    demo = load_demo_township()
    c001 = dataclasses.replace(demo.cameras["C001"], main_url=MAIN, sub_url=SUB)
    return dataclasses.replace(demo, cameras={**demo.cameras, "C001": c001})


def test_consoles_get_bare_addresses_and_ask_for_the_passwords(sqlite_url: str) -> None:
    township = with_a_password()
    with serving(township, sqlite_url) as endpoints, staff_client(endpoints.router) as client:
        supervisor = client.logins[next(r for r in client.logins if r.value == "supervisor")]
        body = client.request(MsgType.TOWNSHIP_REQUEST, login=supervisor).body
        c001 = next(c for c in body["township"]["cameras"] if c["code"] == "C001")
        assert c001["main_url"] == "rtsp://192.168.1.64:554/Streaming/Channels/101"
        assert c001["credentials"] is True
        assert "12345" not in str(body)
        answer = client.request(MsgType.CAMERA_CREDENTIALS_REQUEST, login=supervisor).body
        assert answer["cameras"] == {
            "C001": {"main": {"user": "admin", "password": "Hik@12345"},
                     "sub": {"user": "admin", "password": "Hik@12345"}}
        }  # fmt: skip
        book = CameraCredentials()
        book.set(answer["cameras"])
        bare = Township.from_dict(body["township"], body["categories"], body["platform_set"])
        assert book.url_of(camera_url)(bare.cameras["C001"], True) == MAIN
        gateway = client.logins[next(r for r in client.logins if r.value == "gateway")]
        with pytest.raises(RequestError, match="not_allowed"):
            client.request(MsgType.CAMERA_CREDENTIALS_REQUEST, login=gateway)
        client.log_in("auditor", DEMO_PASSWORD)
        audit = client.request(MsgType.AUDIT_REQUEST, {"after": 0}).body
    asked = [e for e in audit["entries"] if e["what"] == MsgType.CAMERA_CREDENTIALS_REQUEST]
    assert [e["result"] for e in asked] == ["ok", "not_allowed"]
