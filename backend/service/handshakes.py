"""Failed handshakes on the request socket, logged: ZeroMQ itself drops them in silence (a NULL
or unenrolled client, garbage, a port scan)."""

from __future__ import annotations

import logging

import zmq
from zmq.utils.monitor import recv_monitor_message

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

    def read(self) -> None:
        """Once a tick, at most `MONITOR_EVENTS_PER_TICK`: under a flood of connections,
        reading every event on the serve loop made its p99 latency 10× plain text (bench/
        security.py); past the monitor's queue ZeroMQ drops events, and the count becomes a
        lower bound. Events carry no peer, so a connection that closes before any handshake
        is told by counting."""
        for _ in range(MONITOR_EVENTS_PER_TICK):
            if not self._monitor.poll(0):
                break
            event = recv_monitor_message(self._monitor)
            kind, where = event["event"], event["endpoint"].decode(errors="replace")
            if kind == zmq.EVENT_ACCEPTED:
                self._unshaken += 1
            elif kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self._unshaken = max(0, self._unshaken - 1)
            elif kind == zmq.EVENT_DISCONNECTED:
                if self._unshaken > 0:
                    self._unshaken -= 1
                    self._failed("a connection to %s closed before any handshake", where)
            else:  # a failed handshake; the disconnection follows
                self._unshaken = max(0, self._unshaken - 1)
                name = str(zmq.Event(kind).name).removeprefix("HANDSHAKE_FAILED_").lower()
                self._failed("a handshake on %s failed (%s, %s)", where, name, event["value"])

    def _failed(self, line: str, *args: object) -> None:
        self._stats.handshakes_failed += 1
        self._log.warning(line, *args)

    def close(self) -> None:
        self._router.disable_monitor()
        self._monitor.close(linger=0)
