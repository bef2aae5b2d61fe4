"""The request table (domain.requests) and what the backend makes of it over real sockets:
every type has its row and its handler, and no number a client sends reaches the store
unbounded."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from backend.demo.users import DEMO_PASSWORD, seed_demo_users
from backend.service.handlers import HANDLERS
from backend.service.loop import LiveStateServer
from backend.store import Store
from client.request import RequestClient, RequestError
from domain.requests import MAX_ID, REQUESTS, BodyError, read_body
from domain.wire import PROTOCOL_VERSION, REQUEST_TYPES, MsgType
from tests.helpers import demo_report
from tests.services import TOWNSHIP, Service

CLIENT_TYPES = REQUEST_TYPES


def _deep(levels: int) -> list[object]:
    nested: list[object] = []
    for _ in range(levels):
        nested = [nested]
    return nested


def test_every_request_type_has_one_row_and_one_handler() -> None:
    assert set(REQUESTS) == CLIENT_TYPES
    assert set(HANDLERS) | {MsgType.REPORT_SUBMIT} == set(REQUESTS)  # reports: a group commit
    for spec in REQUESTS.values():
        assert spec.public == (not spec.roles), spec.type
        assert not spec.changing or spec.audited, f"{spec.type} changes and is not audited"


@pytest.mark.parametrize("value", [2**63, 10**30, -1, True, 1.5, "7", None])
def test_a_whole_number_out_of_bounds_is_refused_naming_its_field(value: object) -> None:
    with pytest.raises(BodyError, match=r"^id "):
        read_body(REQUESTS[MsgType.ATTACHMENT_REQUEST], {"id": value})
    assert read_body(REQUESTS[MsgType.ATTACHMENT_REQUEST], {"id": MAX_ID}).id == MAX_ID


@pytest.mark.parametrize(
    ("type_", "body", "field"),
    [
        (MsgType.ATTACHMENT_REQUEST, {"id": 2**63}, "id"),
        (MsgType.ATTACHMENT_REQUEST, {"id": 10**30}, "id"),
        (MsgType.AUDIT_REQUEST, {"after": 2**63}, "after"),
        (MsgType.AUDIT_REQUEST, {"limit": 10**30}, "limit"),
        (MsgType.AUDIT_REQUEST, {"last": -5}, "last"),
        (MsgType.COMMAND, {"incident": "x", "action": "accept", "version": 2**63}, "version"),
        (MsgType.EVALUATION_REQUEST, {"dimension": "grid", "start": 1e300, "end": 1e301}, "start"),
        (MsgType.HISTORY_REQUEST, {"since": 10**30}, "since"),
        (MsgType.TRACKS_REQUEST, {"since": "today"}, "since"),
        (MsgType.HEAT_REQUEST, {"start": 0, "end": 1e9}, "start"),
        (MsgType.REPORT_STATUS_REQUEST, {"ids": []}, "ids"),
        (MsgType.REPORT_STATUS_REQUEST, {"ids": [1]}, "ids"),
        (MsgType.HEAT_REQUEST, {"start": 1, "end": 2, "category": ["x"]}, "category"),
        (MsgType.DETAIL_REQUEST, {"incident": "字" * 65}, "incident"),
        (MsgType.ADMIN_USER_SET, {"login": "duty", "disabled": 1}, "disabled"),
        # found by a review over the wire: two of these once killed the serve loop
        (MsgType.COMMAND, {"incident": "x", "action": _deep(1000), "version": 1}, "action"),
        (
            MsgType.COMMAND,
            {
                "incident": "x",
                "action": "park",
                "version": 1,
                "args": {"reason": "r", "x": _deep(300)},
            },
            "args.x",
        ),
        (
            MsgType.COMMAND,
            {"incident": "x", "action": "park", "version": 1, "args": {"reason": "长" * 300_000}},
            "args.reason",
        ),
        (MsgType.CAMERA_HEALTH, {"cameras": {"\x85" * 400_000: {"state": "live"}}}, "cameras"),
        (MsgType.CAMERA_HEALTH, {"cameras": {"C002": {"state": "no_signal", "since": -1}}}, "C002"),
        (MsgType.HISTORY_REQUEST, {"since": time.time() - 60, "step": 5.0}, "step"),
        (MsgType.HISTORY_REQUEST, {"since": time.time() + 365 * 86_400}, "since"),
        (MsgType.REPORT_SUBMIT, {**demo_report(3).to_wire(), "reported_at": 1e11}, "reported_at"),
    ],
)
def test_the_backend_answers_invalid_naming_the_field_never_internal(
    service_factory: Callable[..., Service], type_: MsgType, body: dict[str, Any], field: str
) -> None:
    """`attachment.request {"id": 2**63}` once raised OverflowError in SQLite: a traceback
    in the log each time, unthrottled, and `internal` to the client."""
    service = service_factory()
    role = REQUESTS[type_].roles
    login = next(
        name
        for name, r in (
            ("admin", "administrator"),
            ("auditor", "auditor"),
            ("supervisor", "supervisor"),
            ("gateway", "gateway"),
        )
        if any(x.value == r for x in role)
    )
    with RequestClient(service.endpoints.router, timeout=5.0) as c:
        c.log_in(login, DEMO_PASSWORD)
        assert c.login is not None
        envelope = {"v": PROTOCOL_VERSION, "id": uuid.uuid4().hex, "type": type_.value,
                    "time": time.time(), "session": c.login.token, "seq": 0, "reply_to": "",
                    "body": body}  # fmt: skip
        depth = sys.getrecursionlimit()
        sys.setrecursionlimit(10_000)  # the stdlib's encoder recurses; orjson reads 1,024 deep
        try:
            raw = json.dumps(envelope, ensure_ascii=False).encode()
        finally:
            sys.setrecursionlimit(depth)
        c.send_raw(raw)  # orjson will not write 10**30; a field may
        refused = c.receive()
        assert c.request(MsgType.HELLO).type == MsgType.WELCOME
    assert refused.type == MsgType.ERROR and refused.reply_to == envelope["id"]
    assert refused.body["code"] == "invalid"
    assert refused.body["detail"].startswith(field), refused.body["detail"]
    assert "internal" not in service.server.stats.by_error


def test_a_backend_still_loading_answers_starting_then_serves(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    store.migrate()
    store.seed_township(TOWNSHIP)
    seed_demo_users(store, TOWNSHIP)
    server = LiveStateServer(
        store, TOWNSHIP, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", demo_users=True
    )
    endpoints = server.bind(load=False)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,))
    thread.start()
    try:
        with RequestClient(endpoints.router, timeout=5.0) as c:
            with pytest.raises(RequestError) as starting:
                c.request(MsgType.HELLO)
            assert starting.value.code == "starting"
            server.load()
            assert c.request(MsgType.HELLO).type == MsgType.WELCOME
            c.log_in("supervisor", DEMO_PASSWORD)
            assert c.request(MsgType.SNAPSHOT_REQUEST).type == MsgType.SNAPSHOT
    finally:
        stop.set()
        thread.join()
        store.close()
