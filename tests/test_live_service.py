"""The live state service in-process on real loopback sockets: commands, concurrency,
snapshots in chunks, the deadline sweep, group commit and flood control."""

from __future__ import annotations

import base64
import collections
import contextlib
import dataclasses
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
import pytest
import zmq

from backend.demo.users import DEMO_PASSWORD
from backend.service.outbox import SNAPSHOT_CHUNK
from backend.store import Store
from backend.store.attachments import MAX_PER_CASE, MAX_PER_PERSON_A_DAY
from client.request import RequestClient, RequestError
from domain.deadlines import DeadlineRules
from domain.incident import FieldReport
from domain.lifecycle import Action, Command
from domain.patrol import PatrolReport
from domain.resources import resources_dir
from domain.township import Role
from domain.wire import Message, MsgType, decode, encode
from tests.helpers import demo_reports
from tests.services import TOWNSHIP, Service


@pytest.fixture
def service(service_factory: Callable[..., Service]) -> Service:
    return service_factory()


def _updates(sub: zmq.Socket[bytes], n: int, timeout: float = 5.0) -> list[Message]:
    out: list[Message] = []
    deadline = time.monotonic() + timeout
    while len(out) < n and sub.poll(max(1, int((deadline - time.monotonic()) * 1000))):
        msg = decode(sub.recv_multipart()[1])
        if msg.type != MsgType.HEARTBEAT:
            out.append(msg)
    return out


def test_commands_are_answered_and_published_with_the_change(service: Service) -> None:
    sub = service.subscriber()
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        ack = c.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
        assert ack.type == MsgType.COMMAND_ACK
        assert ack.body["incident"]["state"] == "accepted"
        assert ack.body["change"]["from_state"] == "reported"
    reported, updated = _updates(sub, 2)
    assert (reported.type, updated.type) == (MsgType.INCIDENT_REPORTED, MsgType.INCIDENT_UPDATED)
    assert updated.seq == reported.seq + 1 == ack.seq
    assert updated.body["incident"] == ack.body["incident"]
    sub.close()


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ({"action": "close", "role": "supervisor"}, "illegal_transition"),
        ({"action": "reject", "role": "grid_worker", "args": {"reason": "x"}}, "not_allowed"),
        ({"action": "accept", "role": "supervisor", "version": 7}, "stale_version"),
        ({"action": "accept", "role": "supervisor", "incident": "nope"}, "unknown_incident"),
        ({"action": "overdue", "role": "supervisor"}, "not_allowed"),
        ({"action": "teleport", "role": "supervisor"}, "invalid"),
        ({"action": "reject", "role": "supervisor"}, "invalid"),
        # The role a client claims is not read: a grid worker claiming to be a supervisor.
        ({"action": "reject", "role": "grid_worker", "claims": "supervisor"}, "not_allowed"),
    ],
)
def test_refused_commands_say_why_and_change_nothing(
    service: Service, command: dict[str, Any], code: str
) -> None:
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        role = Role(command.pop("role"))
        claims = command.pop("claims", None)
        body = {"incident": report.id, "version": 1, "args": {}, **command}
        if claims:
            body |= {"actor": "镇长", "role": claims, "args": {"reason": "x"}}
        login = c.logins.get(role) or c.log_in("admin", DEMO_PASSWORD)
        with pytest.raises(RequestError) as info:
            c.request(MsgType.COMMAND, body, login=login)
        assert info.value.code == code and info.value.detail
        seq, incidents = c.snapshot()
    assert seq == 1 and incidents[0]["version"] == 1


def test_two_supervisors_dispatching_the_same_incident_one_wins(service: Service) -> None:
    with service.client() as a, service.client() as b:
        (report,) = demo_reports(1)
        a.submit_report(report)
        a.command(Command(report.id, Action.ACCEPT, 1, "甲", Role.SUPERVISOR))
        args = {"department": "sifasuo"}
        a.command(Command(report.id, Action.DISPATCH, 2, "甲", Role.SUPERVISOR, args))
        with pytest.raises(RequestError) as info:
            b.command(Command(report.id, Action.DISPATCH, 2, "乙", Role.SUPERVISOR, args))
        assert info.value.code == "stale_version"
        assert "changed since you saw it" in info.value.detail


@pytest.mark.slow
def test_a_large_snapshot_comes_in_chunks_while_others_are_served(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    seed = Store(sqlite_url)
    seed.migrate()
    seed.seed_township(TOWNSHIP)
    seed.intake_many(demo_reports(4500, seed=3))
    seed.close()
    service = service_factory()
    with service.client() as c, service.client() as other:
        msg = Message(MsgType.SNAPSHOT_REQUEST, session=c.logins[Role.SUPERVISOR].token)
        c.send_raw(_encode(msg))
        first = c.receive()
        assert first.body["chunk"] == 0 and not first.body["last"]
        assert other.request(MsgType.HELLO).type == MsgType.WELCOME, "served between chunks"
        parts = [first]
        while not parts[-1].body["last"]:
            parts.append(c.receive())
    assert [p.body["chunk"] for p in parts] == list(range(len(parts)))
    assert len(parts) >= 4500 // SNAPSHOT_CHUNK
    assert sum(len(p.body["incidents"]) for p in parts) == 4500
    assert {p.reply_to for p in parts} == {msg.id}


def _encode(msg: Message) -> bytes:
    from domain.wire import encode

    return encode(msg)


@pytest.mark.slow
def test_overdue_stages_are_noted_and_published_by_the_sweep(
    service_factory: Callable[..., Service],
) -> None:
    data = json.loads((resources_dir() / "deadlines.json").read_text(encoding="utf-8"))
    for stage in data["stages"].values():
        stage.update({"normal": "0.02m", "urgent": "0.02m", "very_urgent": "0.02m"})
    service = service_factory(rules=DeadlineRules(data), heartbeat_interval=0.2)
    sub = service.subscriber()
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
    _reported, overdue = _updates(sub, 2, timeout=6)
    assert overdue.type == MsgType.INCIDENT_UPDATED
    assert overdue.body["change"]["action"] == "overdue"
    assert overdue.body["incident"]["overdue_noted"] is True
    assert _updates(sub, 1, timeout=1.0) == [], "noted once, not every sweep"
    sub.close()


def test_reports_arriving_together_share_a_commit(service: Service) -> None:
    reports = demo_reports(400, seed=11)
    acked: list[str] = []

    def send(part: list[FieldReport]) -> None:
        with service.client(timeout=20) as c:
            acked.extend(c.submit_report(r).body["incident"]["id"] for r in part)

    threads = [threading.Thread(target=send, args=(reports[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(acked) == sorted(r.id for r in reports)
    assert service.server.stats.reports_committed == 400
    assert service.server.stats.commits <= 400


def test_a_flooding_peer_is_told_once_and_others_go_on(
    service_factory: Callable[..., Service],
) -> None:
    service = service_factory(peer_rate_limit=50)
    with service.client(staff=False) as flooder, service.client(staff=False) as other:
        for _ in range(300):
            flooder.send_raw(_encode(Message(MsgType.HELLO)))
        replies = []
        while True:
            try:
                replies.append(flooder.receive(timeout=0.5))
            except Exception:
                break
        codes = [r.body.get("code") for r in replies if r.type == MsgType.ERROR]
        assert codes.count("rate_limited") == 1
        assert sum(1 for r in replies if r.type == MsgType.WELCOME) == 50
        assert other.request(MsgType.HELLO).type == MsgType.WELCOME


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a7300000012494441"
    "54081d63fcdfc0c0d8c0c0c800060017a00203c868b00b0000000049454e44ae426082"
)
"""A 2×2 picture that decodes (the one before had a broken IDAT: kept until photos were
decoded, issue 18)."""


BROKEN_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
"""A PNG's signature and header, and an IDAT whose check fails."""


def picture(k: int) -> bytes:
    """The k-th of many different small pictures (2×2, its colours from k)."""
    pixels = np.array([[[k % 256, k // 256, 7]] * 2] * 2, np.uint8)
    return bytes(cv2.imencode(".png", pixels)[1].tobytes())


BOMB_PNG = PNG[:16] + (30_000).to_bytes(4, "big") * 2 + PNG[24:]
"""A header that says 30,000 × 30,000 (2.7 GB decoded) in 75 bytes."""
DEEP_PNG = bytes(cv2.imencode(".png", np.zeros((2, 2, 4), np.uint16))[1].tobytes())
"""16 bits a sample: decoded, 8 bytes a pixel (a review's 389 kB one took 762 MB)."""


def test_a_photo_is_stored_as_a_file_the_row_refers_to(service: Service) -> None:
    import hashlib

    sub = service.subscriber()
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        ack = c.add_attachment(report.id, "image/png", PNG)
    attachment = ack.body["attachment"]
    assert attachment["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert attachment["size"] == len(PNG) and attachment["incident"] == report.id
    stored = service.store.attachment_path(attachment["path"])
    assert stored.read_bytes() == PNG
    _reported, published = _updates(sub, 2)
    assert published.type == MsgType.INCIDENT_ATTACHMENT
    assert published.body["attachment"] == attachment
    sub.close()


def test_a_case_keeps_a_bounded_number_of_photos(service: Service) -> None:
    """Issue 18, item 9: 105 × 700 kB went onto one case in 30 s, without a limit."""
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        for k in range(MAX_PER_CASE):
            c.add_attachment(report.id, "image/png", picture(k))
        with pytest.raises(RequestError, match="at most"):
            c.add_attachment(report.id, "image/png", picture(MAX_PER_CASE))
    assert len(service.store.attachments_of(report.id)) == MAX_PER_CASE


def test_one_person_adds_at_most_so_many_photos_a_day_whatever_the_cases(
    service: Service,
) -> None:
    """Issue 18, item 9: besides each case's limit, one login's photos a day (a duty officer
    could fill the disk at 8.8 GB an hour across cases)."""
    reports = demo_reports(MAX_PER_PERSON_A_DAY // MAX_PER_CASE + 1, seed=91)
    with service.client() as c:
        for report in reports:
            c.submit_report(report)
        for k in range(MAX_PER_PERSON_A_DAY):
            c.add_attachment(reports[k // MAX_PER_CASE].id, "image/png", picture(k))
        with pytest.raises(RequestError, match="photos a day from one person"):
            c.add_attachment(reports[-1].id, "image/png", picture(MAX_PER_PERSON_A_DAY))


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"media_type": "application/x-msdownload"}, "invalid", "media_type"),
        ({"data": "not base64!"}, "invalid", "base64"),
        ({"data": ""}, "invalid", "1 to"),
        ({"incident": "nope"}, "unknown_incident", "nope"),
        # issue 18, item 9: a shell script as image/png, a web page as image/webp
        ({"data": base64.b64encode(b"#!/bin/sh\nrm -rf /\n").decode()}, "invalid", "not a"),
        (
            {"media_type": "image/webp", "data": base64.b64encode(b"<html>hi</html>").decode()},
            "invalid",
            "not a image/webp picture",
        ),
        ({"media_type": "image/jpeg"}, "invalid", "not a image/jpeg picture"),  # PNG bytes
        # decoded, not only sniffed: a broken picture, a bomb's header, a header and no more,
        # a 16-bit PNG (8 bytes a pixel decoded), a script after a real picture
        ({"data": base64.b64encode(DEEP_PNG).decode()}, "invalid", "16-bit"),
        ({"data": base64.b64encode(PNG + b"#!/bin/sh\n").decode()}, "invalid", "something else"),
        ({"data": base64.b64encode(BROKEN_PNG).decode()}, "invalid", "does not decode"),
        ({"data": base64.b64encode(BOMB_PNG).decode()}, "invalid", "at most 24 million"),
        (
            {
                "media_type": "image/jpeg",
                "data": base64.b64encode(b"\xff\xd8\xff" + bytes(99)).decode(),
            },
            "invalid",
            "cannot be read",
        ),
    ],
)
def test_bad_attachments_are_refused_and_leave_no_file(
    service: Service, changes: dict[str, str], code: str, words: str
) -> None:
    import base64

    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        body = {
            "incident": report.id,
            "media_type": "image/png",
            "added_by": "某",
            "data": base64.b64encode(PNG).decode(),
            **changes,
        }
        with pytest.raises(RequestError) as info:
            c.request(MsgType.ATTACHMENT_ADD, body)
    assert info.value.code == code and words in info.value.detail
    files = list(service.store.attachments.rglob("*")) if service.store.attachments.exists() else []
    assert [f for f in files if f.is_file()] == []


def test_the_detail_of_an_incident_is_its_log_and_its_attachments(service: Service) -> None:
    import base64

    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        c.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
        added = c.add_attachment(report.id, "image/png", PNG).body["attachment"]
        detail = c.request(MsgType.DETAIL_REQUEST, {"incident": report.id})
        photo = c.request(MsgType.ATTACHMENT_REQUEST, {"id": added["id"]})
        with pytest.raises(RequestError) as unknown:
            c.request(MsgType.DETAIL_REQUEST, {"incident": "nope"})
        with pytest.raises(RequestError) as bad_id:
            c.request(MsgType.ATTACHMENT_REQUEST, {"id": "1"})
        with pytest.raises(RequestError) as missing:
            c.request(MsgType.ATTACHMENT_REQUEST, {"id": 999})
    assert detail.type == MsgType.DETAIL
    assert detail.body["incident"]["state"] == "accepted"
    assert detail.body["incident"]["last_actor"] == c.logins[Role.SUPERVISOR].name
    assert [ch["action"] for ch in detail.body["changes"]] == ["report", "accept"]
    assert detail.body["attachments"] == [added]
    assert base64.b64decode(photo.body["data"]) == PNG
    assert unknown.value.code == "unknown_incident"
    assert bad_id.value.code == "invalid" and missing.value.code == "invalid"


def test_a_damaged_attachment_file_is_refused_not_served(service: Service) -> None:
    with service.client() as c:
        (report,) = demo_reports(1)
        c.submit_report(report)
        added = c.add_attachment(report.id, "image/png", PNG).body["attachment"]
        service.store.attachment_path(added["path"]).write_bytes(PNG[:-4])
        with pytest.raises(RequestError) as info:
            c.request(MsgType.ATTACHMENT_REQUEST, {"id": added["id"]})
    assert info.value.code == "invalid" and "damaged" in info.value.detail


def _indicators(sub: zmq.Socket[bytes], timeout: float = 5.0) -> Message:
    deadline = time.monotonic() + timeout
    while sub.poll(max(1, int((deadline - time.monotonic()) * 1000))):
        msg = decode(sub.recv_multipart()[1])
        if msg.type == MsgType.INDICATORS:
            return msg
    raise AssertionError("no metric.indicators update")


@pytest.mark.slow
def test_indicators_follow_every_change_published_once_a_second_at_most(
    service: Service,
) -> None:
    sub = service.subscriber(types=(b"metric.", b"hb"))
    reports = demo_reports(5, seed=3)
    with service.client() as c:
        for r in reports:
            c.submit_report(r)
        c.command(Command(reports[0].id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
        c.command(
            Command(
                reports[1].id, Action.REJECT, 1, "值班员甲", Role.SUPERVISOR, {"reason": "重复"}
            )
        )
        asked = c.request(MsgType.INDICATORS_REQUEST)
    assert asked.type == MsgType.INDICATORS
    today = asked.body["today"]
    assert today["received"] == 5
    assert today["actions"] == {"accepted": 1, "rejected": 1}
    assert asked.body["now"]["open"] == 4  # five reported, one rejected
    assert sum(today["by_village"].values()) == 5
    # Published too, on change, and no more than about once a second.
    times = []
    first = _indicators(sub)
    times.append(time.monotonic())
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        with contextlib.suppress(AssertionError):
            _indicators(sub, timeout=max(0.01, deadline - time.monotonic()))
            times.append(time.monotonic())
    assert first.body["today"]["received"] in (0, 5)  # may predate the reports by a tick
    assert len(times) <= 4
    sub.close()


def test_indicators_rebuilt_at_start_equal_the_ones_kept_live(
    service_factory: Callable[..., Service],
) -> None:
    first = service_factory()
    reports = demo_reports(20, seed=4)
    with first.client() as c:
        for k, r in enumerate(reports):
            c.submit_report(r)
            if k % 3 == 0:
                c.command(Command(r.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
            if k % 6 == 0:
                c.command(
                    Command(r.id, Action.DISPATCH, 2, "带班甲", Role.SUPERVISOR,
                            {"department": "sifasuo"})
                )  # fmt: skip
        live = c.request(MsgType.INDICATORS_REQUEST).body
    first.close()
    second = service_factory()  # the same SQLite file
    with second.client() as c:
        rebuilt = c.request(MsgType.INDICATORS_REQUEST).body
    for figures in (live, rebuilt):
        figures.pop("at"), figures.pop("minute")
    assert live["today"]["received"] == 20
    assert rebuilt == live


def _history_received(c: RequestClient, since: float) -> int:
    body = c.request(MsgType.HISTORY_REQUEST, {"since": since, "step": 1}).body
    stored = sum(v or 0 for v in body["series"]["received"])
    return stored + (body["current"]["received"] if body["current"]["at"] >= body["start"] else 0)


def test_the_minute_history_keeps_every_report_across_a_restart(
    service_factory: Callable[..., Service],
) -> None:
    """Reports counted in the minute in progress survive the backend stopping mid-minute: the
    next start counts them again from the action log, stored or in progress."""
    since = time.time() - 120
    first = service_factory()
    with first.client() as c:
        for r in demo_reports(7, seed=8):
            c.submit_report(r)
        assert _history_received(c, since) == 7
    first.close()
    second = service_factory()
    with second.client() as c:
        assert _history_received(c, since) == 7
        for r in demo_reports(3, seed=9):
            c.submit_report(r)
        assert _history_received(c, since) == 10
        body = c.request(
            MsgType.HISTORY_REQUEST, {"since": time.time() - 30 * 86400, "step": 60}
        ).body
        assert body["points"] in (720, 721)
        assert body["step"] == 3600


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": 0}, "since"),
        ({"since": time.time() - 60, "step": 7}, "step"),
    ],
)
def test_a_bad_history_request_is_refused_with_its_reason(
    service: Service, body: dict[str, Any], detail: str
) -> None:
    with service.client() as c, pytest.raises(RequestError) as refused:
        c.request(MsgType.HISTORY_REQUEST, body)
    assert refused.value.code == "invalid"
    assert detail in str(refused.value)


def test_camera_health_reported_by_a_console_shows_in_the_indicators(service: Service) -> None:
    cameras = list(TOWNSHIP.cameras)
    with service.client() as c:
        c.request(
            MsgType.CAMERA_HEALTH,
            {
                "cameras": {
                    cameras[0]: {"state": "live", "since": time.time()},
                    cameras[1]: {"state": "no_signal", "since": time.time() - 90},
                }
            },
        )
        with pytest.raises(RequestError) as refused:
            c.request(MsgType.CAMERA_HEALTH, {"cameras": {"no-such-camera": {"state": "live"}}})
        assert refused.value.code == "invalid"
        figures = c.request(MsgType.INDICATORS_REQUEST).body["cameras"]
    assert (figures["total"], figures["watched"], figures["online"]) == (len(cameras), 2, 1)
    assert [e["camera"] for e in figures["offline"]] == [cameras[1]]


def test_an_evaluation_is_answered_while_updates_go_on(service: Service) -> None:
    reports = demo_reports(6, seed=11)
    with service.client() as c:
        for r in reports:
            c.submit_report(r)
        now = time.time()
        body: dict[str, Any] = {"dimension": "village", "start": now - 86_400, "end": now + 60}
        answer = c.request(MsgType.EVALUATION_REQUEST, body)
        assert answer.type == MsgType.EVALUATION
        received = {row["value"]: row["received"] for row in answer.body["rows"]}
        assert sum(received.values()) == 6
        assert received == dict(collections.Counter(r.village for r in reports))
        for bad, detail in (
            ({**body, "dimension": "weather"}, "dimension"),
            ({**body, "end": now - 2 * 86_400}, "end after start"),
            ({**body, "start": now - 100 * 86_400}, "92 days"),
            ({**body, "start": None}, "epoch"),
        ):
            with pytest.raises(RequestError) as refused:
                c.request(MsgType.EVALUATION_REQUEST, bad)
            assert refused.value.code == "invalid" and detail in refused.value.detail


def test_patrols_are_stored_once_and_counted_on_the_wall_and_in_the_evaluation(
    service_factory: Callable[..., Service],
) -> None:
    now = time.time()
    start = now - 600
    tz = DeadlineRules.load().calendar.tz
    today = dt.datetime.fromtimestamp(start, tz).date() == dt.datetime.fromtimestamp(now, tz).date()
    patrol = PatrolReport(
        str(uuid.uuid4()), "P0226", "V01G1", start, now - 5, None,
        ((28.8553, 119.7766, start), (28.8563, 119.7766, start + 300)), (),
    )  # fmt: skip
    first = service_factory()
    with first.client() as c:
        ack = c.submit_patrol(patrol)
        assert ack.type == MsgType.PATROL_ACK and ack.body["created"]
        assert ack.body["patrol"]["worker_name"] == "陈国丽"
        assert 111 < ack.body["patrol"]["distance_m"] < 112
        assert not c.submit_patrol(patrol).body["created"]  # the app lost the ack and resent
        for bad, code, detail in (
            (dataclasses.replace(patrol, ended_at=now - 4), "conflict", "taken by another"),
            (dataclasses.replace(patrol, id=str(uuid.uuid4()), worker="P0227"), "invalid", "serve"),
        ):
            with pytest.raises(RequestError) as refused:
                c.submit_patrol(bad)
            assert (refused.value.code, detail in refused.value.detail) == (code, True)
        with pytest.raises(RequestError) as refused:
            c.request(
                MsgType.PATROL_SUBMIT,
                {**patrol.to_wire(), "track": "everywhere"},
                login=c.logins[Role.GATEWAY],
            )
        assert refused.value.code == "invalid" and "track" in refused.value.detail
        figures = c.request(MsgType.INDICATORS_REQUEST).body["patrols"]
        assert (figures["patrols"], figures["grids_patrolled"]) == (int(today), int(today))
        body = {"dimension": "grid_worker", "start": now - 86_400, "end": now + 60}
        rows = c.request(MsgType.EVALUATION_REQUEST, body).body["rows"]
        assert [(r["value"], r["patrols"]) for r in rows] == [("陈国丽", 1)]
    first.close()
    second = service_factory()  # the wall's figures of the day come back from the store
    with second.client() as c:
        figures = c.request(MsgType.INDICATORS_REQUEST).body["patrols"]
    assert (figures["patrols"], figures["grids_patrolled"]) == (int(today), int(today))
    assert len(second.store.patrols(0, now + 60)) == 1


@pytest.mark.slow
def test_a_captured_command_sent_again_is_refused_and_a_stale_one_too(service: Service) -> None:
    """A command captured off the wire and replayed (on a new connection, where CURVE's own
    nonces do not help) changes nothing; nor does one whose sender's clock is far out."""
    sub = service.subscriber()
    with service.client() as c, service.client() as attacker:
        (report,) = demo_reports(1, seed=31)
        c.submit_report(report)
        accept = Message(
            MsgType.COMMAND,
            Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR).to_wire(),
            session=c.logins[Role.SUPERVISOR].token,
        )
        captured = encode(accept)
        c.send_raw(captured)
        assert c.receive().type == MsgType.COMMAND_ACK
        reject = Command(report.id, Action.REJECT, 2, "带班领导", Role.SUPERVISOR,
                         {"reason": "重复"}).to_wire()  # fmt: skip
        for frames, code in (
            (captured, "replayed"),
            (encode(Message(MsgType.COMMAND, reject, time=time.time() - 3600)), "stale_message"),
            (encode(Message(MsgType.COMMAND, reject, time=time.time() + 3600)), "stale_message"),
        ):
            attacker.send_raw(frames)
            refused = attacker.receive()
            assert (refused.type, refused.body["code"]) == (MsgType.ERROR, code)
        assert service.store.get(report.id).state == "accepted"  # type: ignore[union-attr]
    published = _updates(sub, 3, timeout=2.0)  # the report and the accept, nothing more
    assert [m.type for m in published] == [MsgType.INCIDENT_REPORTED, MsgType.INCIDENT_UPDATED]
    sub.close()
