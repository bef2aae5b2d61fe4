"""Failed handshakes on the request socket, logged: ZeroMQ itself drops them in silence (a NULL
or unenrolled client, garbage, a port scan)."""

from __future__ import annotations

import logging
import time

import zmq

from backend.service.stats import ServerStats
from backend.throttled_log import ThrottledLog

log = logging.getLogger("backend.server")
HANDSHAKE_FAILURES = (
    zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
)
CONNECTION_EVENTS = (
    HANDSHAKE_FAILURES | zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED
)
HANDSHAKE_LOG_EVERY = 5.0
MONITOR_EVENTS_PER_TICK = 1000


class HandshakeWatch:
    def __init__(self, router: zmq.Socket[bytes], stats: ServerStats) -> None:
        self._router = router
        self._monitor = router.get_monitor_socket(CONNECTION_EVENTS)
        self._stats = stats
        self._log = ThrottledLog(log, HANDSHAKE_LOG_EVERY)
        self._unshaken = 0  # connections accepted and not yet through a handshake

    @property
    def socket(self) -> zmq.Socket[bytes]:
        """Polled by the serve loop beside the ROUTER: read whenever it has events."""
        return self._monitor

    def read(self) -> None:
        """Every event waiting, up to `MONITOR_EVENTS_PER_TICK` a call, read raw (an event is
        two frames: a 2-byte kind and a 4-byte value, then the endpoint). libzmq's I/O thread
        sends them with a blocking send: a monitor left unread past its queue (1,000) stalled
        that thread, and so every socket of the context, under a flood of bad handshakes.
        Events carry no peer, so a connection that closes before any handshake is told by
        counting."""
        for _ in range(MONITOR_EVENTS_PER_TICK):
            try:
                head, endpoint = self._monitor.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            kind = int.from_bytes(head[:2], "little")
            if kind == zmq.EVENT_ACCEPTED:
                self._unshaken += 1
            elif kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self._unshaken = max(0, self._unshaken - 1)
            elif kind == zmq.EVENT_DISCONNECTED:
                if self._unshaken > 0:
                    self._unshaken -= 1
                    self._failed(
                        "a connection to %s closed before any handshake",
                        endpoint.decode(errors="replace"),
                    )
            else:  # a failed handshake; the disconnection follows
                self._unshaken = max(0, self._unshaken - 1)
                value = int.from_bytes(head[2:6], "little")
                name = str(zmq.Event(kind).name).removeprefix("HANDSHAKE_FAILED_").lower()
                where = endpoint.decode(errors="replace")
                self._failed("a handshake on %s failed (%s, %s)", where, name, value)

    def _failed(self, line: str, *args: object) -> None:
        self._stats.handshakes_failed += 1
        self._log.warning(line, *args)

    def close(self) -> None:
        """libzmq's I/O thread sends monitor events with a blocking send, and `disable_monitor`
        waits for it holding the GIL: after a flood of handshakes the monitor's queue is full,
        and disabling it then hung (`bench/security.py`, 4 times in 5). So the queue is read
        until it stays empty for a moment, then the monitor is turned off."""
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < 0.05:
            if self._monitor.poll(10):
                self._monitor.recv_multipart()
                quiet_since = time.monotonic()
        self._router.disable_monitor()
        self._monitor.close(linger=0)
