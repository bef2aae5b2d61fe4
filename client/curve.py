"""CurveZMQ for a console or terminal (docs/security.md): its own key pair, from a
`.key_secret` file only its owner can read, and the backend's public key, from the backend's
`server.key`. Both are ZeroMQ certificate files (`python -m backend keys new NAME` makes a pair).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zmq
import zmq.auth
from zmq.utils.monitor import recv_monitor_message


class KeyFileError(ValueError):
    """A key file that cannot be used; the message says why."""


def load_pair(secret_file: Path) -> tuple[bytes, bytes]:
    """(public, secret) from a `.key_secret` file, refusing one that others can read."""
    try:
        mode = secret_file.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(f"{secret_file}: no such key file") from None
    if mode & 0o077:
        raise KeyFileError(f"{secret_file} can be read by others; chmod 600 it")
    public, secret = zmq.auth.load_certificate(str(secret_file))
    if secret is None:
        raise KeyFileError(f"{secret_file} holds no secret key")
    return public, secret


def load_public(public_file: Path) -> bytes:
    try:
        public, _ = zmq.auth.load_certificate(str(public_file))
    except OSError as e:
        raise KeyFileError(f"{public_file}: {e.strerror or e}") from None
    except ValueError as e:
        raise KeyFileError(f"{public_file}: not a ZeroMQ certificate ({e})") from None
    return public


@dataclass(frozen=True, slots=True)
class ClientKeys:
    public: bytes
    secret: bytes
    server_public: bytes

    @classmethod
    def load(cls, secret_file: Path, server_public_file: Path) -> ClientKeys:
        public, secret = load_pair(secret_file)
        return cls(public, secret, load_public(server_public_file))

    def apply(self, socket: zmq.Socket[Any]) -> None:
        """Before connect: the socket then speaks CURVE to the backend, or not at all."""
        socket.curve_publickey = self.public
        socket.curve_secretkey = self.secret
        socket.curve_serverkey = self.server_public


HANDSHAKE_EVENTS = (
    zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
    | zmq.EVENT_HANDSHAKE_SUCCEEDED
)
NOT_ENROLLED = "the backend refused this console's key: it is not enrolled (or was revoked)"
NO_HANDSHAKE = "no secure handshake with the backend: is its public key the right one?"


class HandshakeWatch:
    """Why a CURVE socket hears nothing: ZeroMQ retries a refused handshake in silence, so the
    socket's monitor events are read to tell "not enrolled" from "backend down". Belongs to the
    thread that owns the socket."""

    def __init__(self, socket: zmq.Socket[Any]) -> None:
        self._socket = socket
        self._monitor = socket.get_monitor_socket(HANDSHAKE_EVENTS)
        self.failure: str | None = None

    def check(self) -> str | None:
        """Read the events so far; the last failure, until a handshake succeeds."""
        while self._monitor.poll(0):
            event = recv_monitor_message(self._monitor)["event"]
            if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self.failure = None
            elif event == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                self.failure = NOT_ENROLLED
            else:
                self.failure = NO_HANDSHAKE
        return self.failure

    def close(self) -> None:
        self._socket.disable_monitor()
        self._monitor.close(linger=0)
