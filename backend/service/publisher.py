"""The update stream (PUB): every committed change with the next sequence number under this
run's session id, heartbeats that carry the current one, and the indicators. Serve loop only."""

from __future__ import annotations

import logging
from typing import Any

import zmq

from backend.authenticator import bind_publisher
from backend.keyring import KeyRing
from backend.service.stats import ServerStats
from domain.wire import Message, MsgType, encode, new_id

log = logging.getLogger(__name__)
PUB_SNDHWM = 100_000
"""Updates queued per slow subscriber before ZeroMQ drops; the subscriber then sees a gap and
resyncs, which costs less than letting one stuck console grow the backend's memory."""


class Publisher:
    def __init__(
        self, context: zmq.Context[Any], keyring: KeyRing | None, stats: ServerStats
    ) -> None:
        self.session = new_id()
        self.seq = 0
        self._context = context
        self._keyring = keyring
        self._stats = stats
        self._pub: zmq.Socket[bytes] | None = None

    def bind(self, endpoint: str) -> str:
        self._pub = bind_publisher(self._context, zmq.PUB, endpoint, self._keyring, PUB_SNDHWM)
        return self.endpoint

    @property
    def socket(self) -> zmq.Socket[bytes]:
        assert self._pub is not None, "bind() first"
        return self._pub

    @property
    def endpoint(self) -> str:
        return self.socket.getsockopt_string(zmq.LAST_ENDPOINT)

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    def publish(self, type_: str, body: dict[str, Any]) -> int:
        """Publish one committed change; call only after its transaction has committed."""
        self.seq += 1
        self.send(Message(type_, body, session=self.session, seq=self.seq))
        self._stats.published += 1
        return self.seq

    def send(self, msg: Message) -> None:
        """As it is, under the current seq (heartbeats, indicators)."""
        self.socket.send_multipart([msg.topic, encode(msg)])

    def heartbeat(self) -> None:
        self.send(Message(MsgType.HEARTBEAT, {}, session=self.session, seq=self.seq))

    def rebind(self) -> None:
        """Bound afresh on the same port: every subscriber shakes hands again (a revoked key
        is left out: PUB cannot drop one subscriber); the others see the gap and resync."""
        endpoint = self.endpoint
        self.socket.close(linger=0)
        self.bind(endpoint)

    def close(self) -> None:
        if self._pub is not None:
            self._pub.close(linger=0)
            self._pub = None
