"""`--metrics HOST:PORT`: the backend's health and figures over plain HTTP, for a monitoring
system, a load balancer or systemd's watchdog script (docs/operations.md, "What to watch").

GET /health   200 {"status": "ok", …} or 503 {"status": "starting"|"stalled"|"database", "why"}
GET /metrics  Prometheus' text format: reports, logins, consoles, open and waiting incidents,
              the oldest waiting one's age, the audit head, disk left (backend.service.watch)

Read-only and names no case nor person: bind it to 127.0.0.1 or the monitoring network, not to
the field. Its own thread, reading what the serve loop took last: a stalled loop shows as
`stalled`, never as a scrape that hangs.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from backend.service.watch import Watch

log = logging.getLogger("backend.watch")


class WatchServer:
    def __init__(self, address: str, watch: Watch) -> None:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"--metrics {address!r}: HOST:PORT, e.g. 127.0.0.1:9707")
        handler = type("Handler", (_Handler,), {"watch": watch})
        self._http = ThreadingHTTPServer((host.strip("[]"), int(port)), handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, name="watch-http", daemon=True
        )

    @property
    def address(self) -> str:
        host, port = self._http.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()
        log.info("health and metrics on http://%s/health and /metrics", self.address)

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


class _Handler(BaseHTTPRequestHandler):
    watch: Watch
    server_version = "commandroom-watch"
    sys_version = ""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, "text/plain; version=0.0.4; charset=utf-8", self.watch.exposition())
        elif path == "/health":
            healthy, body = self.watch.health()
            self._send(200 if healthy else 503, "application/json", json.dumps(body))
        else:
            self._send(404, "text/plain; charset=utf-8", "/health or /metrics\n")

    def do_HEAD(self) -> None:
        self.do_GET()

    def _send(self, status: int, kind: str, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every 15 s would fill the log; errors still go through log_error."""

    def log_error(self, format: str, *args: Any) -> None:
        log.warning("watch http: " + format, *args)
