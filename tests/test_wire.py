"""The wire codec: round trips, and a clear error for every kind of bad input."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.incident import Channel, FieldReport, ReportError, Urgency
from domain.wire import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    ErrorCode,
    Message,
    MsgType,
    ProtocolError,
    decode,
    encode,
)


def test_round_trip_keeps_every_field_and_chinese_text() -> None:
    msg = Message(
        MsgType.REPORT_SUBMIT,
        {"description": "路边发现受伤的猫头鹰幼崽"},
        seq=7,
        session="s1",
        reply_to="r1",
    )
    assert decode(encode(msg)) == msg
    assert "猫头鹰".encode() in encode(msg), "UTF-8 on the wire, not \\u escapes"


def _envelope(**changes: object) -> bytes:
    raw = json.loads(encode(Message("hello")))
    raw.update(changes)
    return json.dumps({k: v for k, v in raw.items() if v is not ...}).encode()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe", ErrorCode.MALFORMED),
        (b"not json", ErrorCode.MALFORMED),
        (b"[1, 2]", ErrorCode.MALFORMED),
        (b"{}", ErrorCode.MALFORMED),
        (_envelope(v=PROTOCOL_VERSION + 1), ErrorCode.UNSUPPORTED_VERSION),
        (_envelope(v=1), ErrorCode.UNSUPPORTED_VERSION),  # one stream for every key
        (_envelope(v="1"), ErrorCode.MALFORMED),
        (_envelope(v=True), ErrorCode.MALFORMED),
        (_envelope(body=[]), ErrorCode.MALFORMED),
        (_envelope(seq=-1), ErrorCode.MALFORMED),
        (_envelope(seq=1.5), ErrorCode.MALFORMED),
        (_envelope(type=""), ErrorCode.MALFORMED),
        (_envelope(type="x" * 65), ErrorCode.MALFORMED),
        (_envelope(time=...), ErrorCode.MALFORMED),
        (b"[" * 100_000, ErrorCode.MALFORMED),
        (b" " * (MAX_MESSAGE_BYTES + 1), ErrorCode.TOO_LARGE),
    ],
)
def test_bad_input_gets_a_clear_error(data: bytes, code: ErrorCode) -> None:
    with pytest.raises(ProtocolError) as info:
        decode(data)
    assert info.value.code == code
    assert info.value.detail


def test_an_error_names_the_request_it_answers_when_it_can() -> None:
    with pytest.raises(ProtocolError) as info:
        decode(_envelope(v=9, id="abc"))
    assert info.value.reply_to == "abc"


@given(st.binary(max_size=2000))
def test_decoder_never_fails_other_than_with_protocol_error(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        decode(data)


def _report(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": "0b6f4f3e-8a53-4b43-9d1e-4c5a0d0f6a11",
        "category": "wildlife_rescue",
        "urgency": "urgent",
        "channel": "grid_app",
        "description": "路边发现受伤的猫头鹰幼崽",
        "village": "V01",
        "grid": "V01G1",
        "lat": 28.9,
        "lon": 119.8,
        "reporter": "胡志军",
        "reported_at": 1_790_000_000.0,
    }
    body.update(changes)
    return body


def test_a_good_report_parses() -> None:
    report = FieldReport.from_wire(_report())
    assert report.urgency == Urgency.URGENT and report.channel == Channel.GRID_APP
    assert FieldReport.from_wire(report.to_wire()) == report


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "42"}, "id"),
        ({"urgency": "whenever"}, "urgency"),
        ({"channel": None}, "channel"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"lat": 91.0}, "lat"),
        ({"lat": float("nan")}, "lat"),
        ({"lon": None}, "lat and lon"),
        ({"reported_at": True}, "reported_at"),
        ({"grid": 5}, "grid"),
    ],
)
def test_a_bad_report_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ReportError, match=field):
        FieldReport.from_wire(_report(**changes))
