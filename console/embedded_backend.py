"""The embedded backend of `make run`: `python -m backend` as a child process.

A child, not a thread, so the console never imports the backend's store or server and a crash
on either side does not take the other down. The child exits when our end of its stdin closes,
even if we are killed; if it dies on its own it is restarted on the same ports.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from typing import IO

from PySide6.QtCore import QCoreApplication, QObject, Signal

log = logging.getLogger(__name__)
DEMO_PASSWORD = "demo"
"""The embedded backend's demo users' password (backend.demo.users, which the console does
not import; a test holds the two equal)."""


def demo_hint() -> str:
    return QCoreApplication.translate(
        "EmbeddedBackend",
        "Demo township: log in as supervisor, duty, handler, leader, worker, admin or auditor "
        "(or a person's code such as P0001); the password is demo.",
    )


class EmbeddedBackend(QObject):
    """Signals are emitted from the supervising thread."""

    child_started = Signal()  # a child runs; it is loading until `ready`
    ready = Signal(str)  # the ROUTER endpoint to connect to
    exited = Signal(int)

    def __init__(
        self,
        db: str | None,
        demo: bool,
        demo_options: list[str] | None = None,
        township: str | None = None,
        gateway: str | None = None,
    ) -> None:
        """`gateway`: HOST:PORT for the HTTP gateway started beside it (docs/gateway.md),
        through which the demo's field reports then come; None: none."""
        super().__init__()
        self._gateway = gateway
        self._gateway_process: subprocess.Popen[bytes] | None = None
        self._db = db
        self._township = township
        self._demo = demo
        self._demo_options = demo_options or []
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._supervise, name="embedded-backend", daemon=True
        )
        self.router = "tcp://127.0.0.1:*"
        self.pub = "tcp://127.0.0.1:*"

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """(GUI thread) Close the child's stdin and wait for it; kill it if it lingers."""
        self._stopping.set()
        with self._lock:
            process, gateway = self._process, self._gateway_process
        for child in (gateway,) if gateway is not None else ():
            if child.stdin is not None:
                child.stdin.close()
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("embedded backend did not stop in %.0f s; killing it", timeout)
                process.kill()
        self._thread.join(timeout)

    def _command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "backend",
            "--exit-with-parent",
            "--plain",  # one machine, loopback only: the title bar says so
            "--demo-users",  # password DEMO_PASSWORD; the login dialog says so
            "--router",
            self.router,
            "--pub",
            self.pub,
        ]
        if self._db:
            cmd += ["--db", self._db]
        if self._township:
            cmd += ["--township", self._township]
        if not self._demo:
            cmd.append("--no-demo")
        else:
            cmd += ["--demo", *self._demo_options]  # --demo-rate=N, --demo-days=N
            if self._gateway:
                cmd += ["--demo-gateway", f"http://{self._gateway}"]
        return cmd

    def _supervise(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            process = subprocess.Popen(
                self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            with self._lock:
                self._process = process
            self.child_started.emit()
            assert process.stdout is not None
            if self._read_ready(process.stdout):
                backoff = 1.0
                self._start_gateway()
            for _ in iter(process.stdout.readline, b""):
                pass  # keep the pipe drained
            code = process.wait()
            self.exited.emit(code)
            if self._stopping.is_set():
                break
            log.warning("embedded backend exited with %s; restarting in %.0f s", code, backoff)
            if self._stopping.wait(backoff):
                break
            backoff = min(backoff * 2, 30.0)

    def _start_gateway(self) -> None:
        """The HTTP gateway beside the backend, once (it reconnects to a restarted backend on
        the same ports by itself); it ends when we do. One that cannot start (the port in use)
        is said in the log; the console runs on without it."""
        if not self._gateway or self._gateway_process is not None:
            return
        cmd = [sys.executable, "-m", "gateway", "--plain", "--demo", "--exit-with-parent",
               "--backend", self.router, "--listen", self._gateway]  # fmt: skip
        child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)  # fmt: skip
        with self._lock:
            self._gateway_process = child

        def watch() -> None:
            assert child.stdout is not None
            first = child.stdout.readline()
            if first.startswith(b"READY "):
                log.info("the HTTP gateway (phones, Open311, the phone page) is at http://%s",
                         json.loads(first[6:])["listen"])  # fmt: skip
            for _ in iter(child.stdout.readline, b""):
                pass
            code = child.wait()
            if not self._stopping.is_set():
                log.warning("the HTTP gateway exited with %s (is %s in use?)", code, self._gateway)

        threading.Thread(target=watch, name="embedded-gateway", daemon=True).start()

    def _read_ready(self, stdout: IO[bytes]) -> bool:
        for line in iter(stdout.readline, b""):
            if line.startswith(b"READY "):
                info = json.loads(line[6:])
                # Restart on the same ports so that nothing else has to learn new ones.
                self.router, self.pub = info["router"], info["pub"]
                self.ready.emit(info["router"])
                return True
        return False
