"""Synchronous requests to the backend's ROUTER over one DEALER socket.

A RequestClient belongs to the thread that created it (a ZeroMQ socket is not thread-safe).
It may hold several logins (the demo's staff act in turn): a command goes out under the login
of the role it names, a report, a patrol or a photo under a gateway's login if it holds one,
everything else under the latest login.
"""

from __future__ import annotations

import base64
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import zmq

from client.curve import NOT_ENROLLED, ClientKeys, HandshakeWatch
from domain.incident import FieldReport
from domain.lifecycle import Command
from domain.patrol import PatrolReport
from domain.scope import WHOLE_TOWNSHIP, CaseScope
from domain.township import Role
from domain.township_parts import TownshipParts
from domain.wire import (
    MAX_MESSAGE_BYTES,
    ErrorCode,
    Message,
    MsgType,
    ProtocolError,
    acknowledgement,
    decode,
    encode,
    stream_topic,
)


def read_answer(socket: zmq.Socket[bytes], data: bytes, token: str = "") -> Message:
    """An answer read off a DEALER, decoded; a large one acknowledged (domain.wire.ACK_ABOVE),
    so that the backend sends the next. The console's link reads its answers with this too."""
    reply = decode(data)
    ack = acknowledgement(data, reply, token)
    if ack is not None:
        with contextlib.suppress(zmq.Again):  # a lost ack: the backend lets go after a while
            socket.send(ack, zmq.NOBLOCK)
    return reply


class RequestError(Exception):
    """The backend answered with an error reply."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class RequestTimeout(Exception):
    """No answer within the timeout: the backend is down, busy or unreachable."""


class NotEnrolled(RequestError):
    """The backend refused this client's key at the handshake (docs/security.md)."""

    def __init__(self, detail: str) -> None:
        super().__init__("not_enrolled", detail)


@dataclass(frozen=True, slots=True)
class Login:
    """A `login.ok`: the token goes in each request's envelope (`session`)."""

    token: str
    user: str
    name: str
    role: Role
    person: str | None
    stream: str = ""
    """Its update stream: subscribe to `s/<stream>/` (domain.wire.stream_topic)."""
    scope: CaseScope = WHOLE_TOWNSHIP
    """Whose cases the backend sends it and lets it act on (domain.scope)."""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Login:
        return cls(
            str(body["token"]), str(body["user"]), str(body["name"]), Role(body["role"]),
            body.get("person"), str(body.get("stream", "")), CaseScope.from_wire(body.get("scope")),
        )  # fmt: skip

    @property
    def topic(self) -> bytes:
        """The prefix that subscribes to all of its stream."""
        return stream_topic(self.stream, "")


class RequestClient:
    def __init__(
        self,
        endpoint: str,
        timeout: float = 5.0,
        context: zmq.Context[Any] | None = None,
        keys: ClientKeys | None = None,
    ) -> None:
        """`keys`: speak CurveZMQ to a backend that has them; None: plain text."""
        self.endpoint = endpoint
        self.timeout = timeout
        self._context = context or zmq.Context.instance()
        self._socket = self._context.socket(zmq.DEALER)
        self._socket.setsockopt(zmq.LINGER, 0)
        # A send waits for a connection at most this long: a key the backend refuses leaves the
        # DEALER without one, and a plain send would wait for ever (seen on a loaded machine).
        self._socket.setsockopt(zmq.SNDTIMEO, int(timeout * 1000))
        self._watch: HandshakeWatch | None = None
        if keys is not None:
            keys.apply(self._socket)
            self._watch = HandshakeWatch(self._socket)
        self._socket.connect(endpoint)
        self.login: Login | None = None
        """The latest login: what requests go out under."""
        self.logins: dict[Role, Login] = {}

    def log_in(self, user: str, password: str) -> Login:
        """Raises RequestError `login_failed` (or `rate_limited` after repeated failures)."""
        reply = self.request(MsgType.LOGIN, {"user": user, "password": password})
        self.login = self.logins[Role(reply.body["role"])] = Login.from_wire(reply.body)
        return self.login

    def log_out(self) -> None:
        if self.login is not None:
            self.request(MsgType.LOGOUT)
            self.logins.pop(self.login.role, None)
            self.login = None

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        self._socket.close(linger=0)

    def _no_answer(self, waited: float | None = None) -> Exception:
        failure = self._watch.check() if self._watch is not None else None
        if failure is not None:
            return NotEnrolled(failure) if failure == NOT_ENROLLED else RequestTimeout(failure)
        waited = self.timeout if waited is None else waited
        return RequestTimeout(f"no answer from {self.endpoint} in {waited:.1f} s")

    def __enter__(self) -> RequestClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def send_raw(self, *frames: bytes) -> None:
        """Send frames as they are: for tests of what the backend does with bad input."""
        self._socket.send_multipart(list(frames))

    def receive(self, timeout: float | None = None) -> Message:
        """Wait for the next reply, whatever it answers."""
        if not self._socket.poll(int(1000 * (self.timeout if timeout is None else timeout))):
            raise self._no_answer(timeout)
        return self._read()

    def _read(self) -> Message:
        data = self._socket.recv_multipart()[-1]
        return read_answer(self._socket, data, self.login.token if self.login else "")

    def request(
        self,
        type_: str,
        body: dict[str, Any] | None = None,
        timeout: float | None = None,
        login: Login | None = None,
    ) -> Message:
        """Send one request and return its reply; error replies raise RequestError."""
        msg = Message(type_, body or {}, session=self._token(login))
        data = encode(msg)
        if len(data) > MAX_MESSAGE_BYTES:  # refused unread: say so now, not after a timeout
            raise RequestError(ErrorCode.TOO_LARGE, f"{len(data)} bytes, limit {MAX_MESSAGE_BYTES}")
        try:
            self._socket.send(data)
        except zmq.Again:  # no connection to send on within the timeout
            raise self._no_answer() from None
        return self._await({msg.id}, self.timeout if timeout is None else timeout)

    def submit_report(self, report: FieldReport, attempts: int = 3) -> Message:
        """Report until acknowledged; resending is safe because the report's id is fixed."""
        return self._until_acknowledged(MsgType.REPORT_SUBMIT, report.to_wire(), attempts)

    def submit_patrol(self, patrol: PatrolReport, attempts: int = 3) -> Message:
        """A finished patrol, until acknowledged; as safe to resend as a report."""
        return self._until_acknowledged(MsgType.PATROL_SUBMIT, patrol.to_wire(), attempts)

    def _until_acknowledged(self, type_: str, body: dict[str, Any], attempts: int) -> Message:
        sent: set[str] = set()
        for attempt in range(attempts):
            msg = Message(type_, body, session=self._token(self.logins.get(Role.GATEWAY)))
            sent.add(msg.id)
            self._socket.send(encode(msg))
            try:
                return self._await(sent, self.timeout)
            except RequestTimeout:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def command(self, command: Command) -> Message:
        """Ask for a lifecycle action; a refusal (stale version, illegal move…) raises
        RequestError with the backend's plain-words reason."""
        return self.request(MsgType.COMMAND, command.to_wire(), login=self.logins.get(command.role))

    def add_attachment(self, incident: str, media_type: str, data: bytes) -> Message:
        """Attach a photo (JPEG, PNG or WebP, up to 700 kB) to an incident."""
        body = {
            "incident": incident,
            "media_type": media_type,
            "data": base64.b64encode(data).decode(),
        }
        return self.request(MsgType.ATTACHMENT_ADD, body, login=self.logins.get(Role.GATEWAY))

    def reveal(self, incident: str) -> dict[str, Any]:
        """The reporter's whole contact (an audited request)."""
        return self.request(MsgType.REVEAL_REQUEST, {"incident": incident}).body

    def _token(self, login: Login | None = None) -> str:
        login = login or self.login
        return "" if login is None else login.token

    def snapshot(self, login: Login | None = None) -> tuple[int, list[dict[str, Any]]]:
        """The live state (as far as the login's scope covers it) and the seq it is valid
        at, gathered from its chunks."""
        msg = Message(MsgType.SNAPSHOT_REQUEST, {}, session=self._token(login))
        self._socket.send(encode(msg))
        incidents: list[dict[str, Any]] = []
        while True:
            part = self._await({msg.id}, self.timeout)
            incidents += part.body["incidents"]
            if part.body["last"]:
                return int(part.body["seq"]), incidents

    def township(self, login: Login | None = None) -> dict[str, Any]:
        """The township reply's body, its parts put together (a county's comes in several)."""
        msg = Message(MsgType.TOWNSHIP_REQUEST, {}, session=self._token(login))
        self._socket.send(encode(msg))
        parts = TownshipParts()
        while (body := parts.add(self._await({msg.id}, self.timeout).body)) is None:
            pass
        return body

    def _await(self, ids: set[str], timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if not self._socket.poll(int(left * 1000) + 1):
                break
            try:
                reply = self._read()
            except ProtocolError:
                continue
            unread = reply.type == MsgType.ERROR and not reply.reply_to
            if reply.reply_to not in ids and not unread:
                continue  # a late answer to an earlier request
            # An error the backend could not address (too large or malformed to read its id)
            # answers the request waited for: nothing else was sent since.
            if reply.type == MsgType.ERROR:
                code, detail = str(reply.body.get("code")), str(reply.body.get("detail"))
                raise NotEnrolled(detail) if code == "not_enrolled" else RequestError(code, detail)
            return reply
        raise self._no_answer(timeout)
