"""ZAP for CurveZMQ: the backend's sockets let in only keys enrolled in its KeyRing.

A CURVE server socket without a ZAP handler lets any client key in; so the backend's sockets
also set a ZAP domain with ZAP_ENFORCE_DOMAIN, which makes them refuse every handshake when no
handler answers (tests/test_security.py shows both). The handler is pyzmq's ThreadAuthenticator
on the backend's context, asking the KeyRing on each handshake; the user id it hands to libzmq
is the key's enrolled name, which every request then carries as its `User-Id` property.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils import z85

from backend.keyring import KeyRing
from backend.throttled_log import ThrottledLog

log = logging.getLogger("backend.zap")
ZAP_DOMAIN = b"township"


class EnrolledKeys:
    """pyzmq's credentials provider: called on the authenticator's thread per handshake."""

    def __init__(self, keyring: KeyRing) -> None:
        self.keyring = keyring
        self.refused = 0
        self._refusals = ThrottledLog(log, 5.0)  # a flood of strangers: one line in 5 s, counted
        self.admitted: set[str] = set()
        """Names let in since the serve loop last looked (backend.service.accounts): a key
        enrolled and revoked between two of its ticks is still known to have connected."""

    def callback(self, _domain: str, key: bytes) -> bool:
        name = self.keyring.name_of(key)
        if name is not None:
            self.admitted.add(name)
            return True
        self.refused += 1
        self._refusals.warning("handshake refused: key %s… is not enrolled",
                               key[:8].decode(errors="replace"))  # fmt: skip
        return False


class EnrolledAuthenticator(ThreadAuthenticator):
    def __init__(self, context: zmq.Context[Any], keyring: KeyRing) -> None:
        super().__init__(context, log=logging.getLogger("backend.zap.pyzmq"))
        self.keyring = keyring
        self.keys = EnrolledKeys(keyring)

    def start(self) -> None:
        super().start()
        self.configure_curve_callback(ZAP_DOMAIN.decode(), credentials_provider=self.keys)

    def curve_user_id(self, client_public_key: bytes) -> str:
        """The enrolled name: what the backend's log and audit say, not a key."""
        z = z85.encode(client_public_key)
        return self.keyring.name_of(z) or z.decode()


def secure_server_socket(socket: zmq.Socket[Any], keyring: KeyRing) -> None:
    """Make `socket` a CURVE server that fails closed without a ZAP handler."""
    public, secret = keyring.server_pair()
    socket.curve_secretkey = secret
    socket.curve_publickey = public
    socket.curve_server = True
    socket.zap_domain = ZAP_DOMAIN
    socket.setsockopt(zmq.ZAP_ENFORCE_DOMAIN, 1)


def bind_publisher(
    context: zmq.Context[Any],
    kind: int,
    endpoint: str,
    keyring: KeyRing | None,
    sndhwm: int,
    manual: bool = False,
) -> zmq.Socket[bytes]:
    """A PUB or XPUB bound at `endpoint`, CURVE with ZAP when there is a keyring. Bound again
        on the same port after a revocation (the backend's PUB, the fan-out proxy's XPUB), whose
        old socket ZeroMQ's I/O thread may not have let go yet: so a few tries. `manual`: an XPUB
    whose subscriptions take effect only when its owner says so (ZMQ_XPUB_MANUAL)."""
    socket: zmq.Socket[bytes] = context.socket(kind)
    socket.setsockopt(zmq.LINGER, 0)
    if manual:
        socket.setsockopt(zmq.XPUB_MANUAL, 1)
    socket.setsockopt(zmq.SNDHWM, sndhwm)
    if keyring is not None:
        secure_server_socket(socket, keyring)
    for attempt in range(100):
        try:
            socket.bind(endpoint)
            return socket
        except zmq.ZMQError as e:
            if e.errno != zmq.EADDRINUSE or attempt == 99:
                socket.close(linger=0)
                raise
            time.sleep(0.02)
    raise AssertionError("unreachable")
