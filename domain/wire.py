"""The one wire codec both processes use (docs/protocol.md).

A message is a versioned JSON envelope in UTF-8, after jupyter's messaging spec: a header
(`v`, `id`, `type`, `time`, `session`, `seq`, `reply_to`) and a `body`. Encoded with orjson:
~13× faster to encode and ~4× to decode than the standard library here, which is most of
the cost of a published update. On PUB/SUB each login has a stream of its own (version 2): the
first frame is `s/<stream>/<type>`, the stream named in its `login.ok`, so that ZeroMQ's prefix
subscriptions can still filter by type within it.
Decoding never trusts its input: size first, then JSON, then the envelope's shape.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

PROTOCOL_VERSION = 2
"""2: the update stream is per login (its scope), no longer one stream for every key."""
MAX_MESSAGE_BYTES = 1 << 20
"""Requests larger than this are refused unread; the backend also sets ZMQ_MAXMSGSIZE to it."""
MAX_TYPE_CHARS = 64
ACK_ABOVE = 16 * 1024
"""An answer longer than this (a snapshot's part, a township, a photo, a long detail) is
acknowledged by whoever reads it, with `parts.ack` naming its id; the backend sends at most
LARGE_IN_FLIGHT of them to one connection unacknowledged, so that a peer that asks and never
reads cannot grow the backend's memory (issue 18, item 3)."""
LARGE_IN_FLIGHT = 2


def acknowledgement(data: bytes, message: Message, token: str = "") -> bytes | None:
    """What a client sends back for an answer it read (`data`, decoded as `message`): a
    `parts.ack` when the answer was large, else None."""
    if len(data) <= ACK_ABOVE or not message.id:
        return None
    return encode(Message(MsgType.PARTS_ACK, {"part": message.id}, session=token))


class MsgType(StrEnum):
    # console or terminal -> backend (DEALER -> ROUTER), each answered exactly once
    HELLO = "hello"
    LOGIN = "login"
    LOGOUT = "logout"
    REVEAL_REQUEST = "personal.reveal"
    AUDIT_REQUEST = "audit.request"
    ADMIN_USERS_REQUEST = "admin.users.request"
    ADMIN_USER_SET = "admin.user.set"
    ADMIN_USER_ADD = "admin.user.add"
    ADMIN_KEYS_REQUEST = "admin.keys.request"
    ADMIN_KEY_REVOKE = "admin.key.revoke"
    SNAPSHOT_REQUEST = "snapshot.request"
    PARTS_ACK = "parts.ack"  # a large answer read: the next may come (never answered)
    TOWNSHIP_REQUEST = "township.request"
    REPORT_SUBMIT = "report.submit"
    COMMAND = "command"
    ATTACHMENT_ADD = "attachment.add"
    DETAIL_REQUEST = "detail.request"
    ATTACHMENT_REQUEST = "attachment.request"
    INDICATORS_REQUEST = "metric.request"
    HISTORY_REQUEST = "metric.history.request"
    TRACKS_REQUEST = "patrol.tracks.request"
    HEAT_REQUEST = "map.heat.request"
    REPORT_STATUS_REQUEST = "report.status.request"
    CAMERA_HEALTH = "camera.health"
    EVALUATION_REQUEST = "metric.evaluation.request"
    PATROL_SUBMIT = "patrol.submit"
    CAMERA_CREDENTIALS_REQUEST = "camera.credentials.request"
    CAMERA_TEST = "camera.test"
    CAMERA_SET = "camera.set"
    CAMERA_REMOVE = "camera.remove"
    TOWNSHIP_CHECK = "township.check"
    TOWNSHIP_APPLY = "township.apply"
    # backend -> requester
    WELCOME = "welcome"
    LOGGED_IN = "login.ok"
    LOGGED_OUT = "logout.ok"
    REVEALED = "personal"
    AUDIT = "audit"
    ADMIN_USERS = "admin.users"
    ADMIN_KEYS = "admin.keys"
    SNAPSHOT = "snapshot"
    TOWNSHIP = "township"
    REPORT_ACK = "report.ack"
    COMMAND_ACK = "command.ack"
    ATTACHMENT_ACK = "attachment.ack"
    DETAIL = "detail"
    ATTACHMENT = "attachment"
    HISTORY = "metric.history"
    TRACKS = "patrol.tracks"
    HEAT = "map.heat"
    REPORT_STATUS = "report.status"
    CAMERA_HEALTH_ACK = "camera.health.ack"
    EVALUATION = "metric.evaluation"
    PATROL_ACK = "patrol.ack"
    CAMERA_CREDENTIALS = "camera.credentials"
    CAMERA_TESTED = "camera.tested"
    CAMERA_SAVED = "camera.saved"
    TOWNSHIP_CHECKED = "township.checked"
    TOWNSHIP_APPLIED = "township.applied"
    ERROR = "error"
    # backend -> each login's stream (PUB), topic = s/<stream>/<type>
    HEARTBEAT = "hb"
    INCIDENT_REPORTED = "incident.reported"
    INCIDENT_UPDATED = "incident.updated"
    INCIDENT_ATTACHMENT = "incident.attachment"
    INCIDENT_LEFT = "incident.left"  # no longer in the login's scope (dispatched elsewhere)
    INDICATORS = "metric.indicators"  # also the answer to metric.request
    TOWNSHIP_CHANGED = "township.changed"  # a new version applied: ask for the township again


REQUEST_TYPES = frozenset(
    {
        MsgType.HELLO,
        MsgType.LOGIN,
        MsgType.LOGOUT,
        MsgType.REVEAL_REQUEST,
        MsgType.AUDIT_REQUEST,
        MsgType.ADMIN_USERS_REQUEST,
        MsgType.ADMIN_USER_SET,
        MsgType.ADMIN_USER_ADD,
        MsgType.ADMIN_KEYS_REQUEST,
        MsgType.ADMIN_KEY_REVOKE,
        MsgType.SNAPSHOT_REQUEST,
        MsgType.PARTS_ACK,
        MsgType.TOWNSHIP_REQUEST,
        MsgType.REPORT_SUBMIT,
        MsgType.COMMAND,
        MsgType.ATTACHMENT_ADD,
        MsgType.DETAIL_REQUEST,
        MsgType.ATTACHMENT_REQUEST,
        MsgType.INDICATORS_REQUEST,
        MsgType.HISTORY_REQUEST,
        MsgType.TRACKS_REQUEST,
        MsgType.HEAT_REQUEST,
        MsgType.REPORT_STATUS_REQUEST,
        MsgType.CAMERA_HEALTH,
        MsgType.EVALUATION_REQUEST,
        MsgType.PATROL_SUBMIT,
        MsgType.CAMERA_CREDENTIALS_REQUEST,
        MsgType.CAMERA_TEST,
        MsgType.CAMERA_SET,
        MsgType.CAMERA_REMOVE,
        MsgType.TOWNSHIP_CHECK,
        MsgType.TOWNSHIP_APPLY,
    }
)
"""What a console or terminal sends (each answered exactly once); the rest the backend sends."""


class ErrorCode(StrEnum):
    MALFORMED = "malformed"
    UNSUPPORTED_VERSION = "unsupported_version"
    TOO_LARGE = "too_large"
    UNKNOWN_TYPE = "unknown_type"
    INVALID = "invalid"
    CONFLICT = "conflict"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED = "not_allowed"
    STALE_VERSION = "stale_version"
    UNKNOWN_INCIDENT = "unknown_incident"
    RATE_LIMITED = "rate_limited"
    NOT_ENROLLED = "not_enrolled"
    LOGIN_FAILED = "login_failed"
    NOT_LOGGED_IN = "not_logged_in"
    STALE_MESSAGE = "stale_message"
    REPLAYED = "replayed"
    STARTING = "starting"
    """The backend is up but still loading its store: ask again shortly (not a lost link)."""
    INTERNAL = "internal"


class ProtocolError(ValueError):
    """A message that cannot be decoded; `code` goes back to the sender in an error reply."""

    def __init__(self, code: ErrorCode, detail: str, reply_to: str = "") -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail
        self.reply_to = reply_to


def new_id() -> str:
    """32 hex digits, random (uuid4's text without its object: a message each)."""
    return os.urandom(16).hex()


STREAM_ID = re.compile(rb"s/([0-9a-f]{32})/")
"""A stream's topic prefix: exactly one login's (a shorter prefix would match every stream)."""


def stream_topic(stream: str, type_: str) -> bytes:
    return b"s/" + stream.encode() + b"/" + type_.encode()


def stream_of_subscription(subscription: bytes) -> str | None:
    """The stream a subscription names whole (with or without a type after it); None for any
    other prefix, the empty one included."""
    found = STREAM_ID.match(subscription)
    return found.group(1).decode() if found else None


def encoded_once(body: dict[str, Any]) -> Any:
    """A body encoded once for many messages (one update to each login's stream), put in each
    envelope as it is: orjson's Fragment."""
    return orjson.Fragment(orjson.dumps(body))


@dataclass(frozen=True, slots=True)
class Message:
    type: str
    body: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_id)
    time: float = field(default_factory=time.time)
    session: str = ""
    seq: int = 0
    """Position in the backend's update stream; 0 for anything that is not a published update."""
    reply_to: str = ""
    v: int = PROTOCOL_VERSION

    @property
    def topic(self) -> bytes:
        return self.type.encode()

    def reply(self, type_: str, body: dict[str, Any], session: str = "", seq: int = 0) -> Message:
        return Message(type_, body, session=session, seq=seq, reply_to=self.id)


def encode(message: Message) -> bytes:
    envelope = {
        "v": message.v,
        "id": message.id,
        "type": message.type,
        "time": message.time,
        "session": message.session,
        "seq": message.seq,
        "reply_to": message.reply_to,
        "body": message.body,
    }
    return orjson.dumps(envelope)


def decode(data: bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> Message:
    """Decode one envelope or raise ProtocolError saying what is wrong with it."""
    if len(data) > max_bytes:
        raise ProtocolError(ErrorCode.TOO_LARGE, f"{len(data)} bytes, limit {max_bytes}")
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise ProtocolError(ErrorCode.MALFORMED, f"not UTF-8 JSON ({e})") from None
    if not isinstance(raw, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "envelope must be a JSON object")
    msg_id = raw.get("id")
    reply_to = msg_id if isinstance(msg_id, str) and len(msg_id) <= 64 else ""
    version = raw.get("v")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProtocolError(ErrorCode.MALFORMED, "missing protocol version 'v'", reply_to)
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {version}, this side speaks {PROTOCOL_VERSION}",
            reply_to,
        )
    checks: tuple[tuple[str, type | tuple[type, ...]], ...] = (
        ("id", str),
        ("type", str),
        ("time", (int, float)),
        ("session", str),
        ("seq", int),
        ("reply_to", str),
        ("body", dict),
    )
    for key, kind in checks:
        value = raw.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ProtocolError(ErrorCode.MALFORMED, f"field {key!r} missing or wrong", reply_to)
    if not reply_to or not 0 < len(raw["type"]) <= MAX_TYPE_CHARS:
        raise ProtocolError(ErrorCode.MALFORMED, "id or type empty or too long", reply_to)
    if raw["seq"] < 0:
        raise ProtocolError(ErrorCode.MALFORMED, "seq must not be negative", reply_to)
    return Message(
        type=raw["type"],
        body=raw["body"],
        id=raw["id"],
        time=float(raw["time"]),
        session=raw["session"],
        seq=raw["seq"],
        reply_to=raw["reply_to"],
        v=version,
    )


def error_reply(code: str, detail: str, reply_to: str = "", session: str = "") -> Message:
    """`code` is an ErrorCode, or a domain error's code of the same spelling."""
    return Message(
        MsgType.ERROR, {"code": str(code), "detail": detail}, session=session, reply_to=reply_to
    )
