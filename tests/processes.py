"""Real processes for tests: the backend as `python -m backend`, a throwaway PostgreSQL server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]


class ChildProcess:
    """A process a test starts: its output kept (`log`), whether it runs, its stop."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log = bytearray()

    def _collect(self, stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            self.log += line

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


class BackendProcess(ChildProcess):
    """`python -m backend` on loopback; restartable on the same ports and the same database."""

    def __init__(self, db_url: str, *extra: str) -> None:
        super().__init__()
        self.db_url = db_url
        self.extra = list(extra)
        self.router = "tcp://127.0.0.1:*"
        self.pub = "tcp://127.0.0.1:*"
        self.session = ""
        self.metrics: str | None = None
        """HOST:PORT of /health and /metrics when started with --metrics."""

    def start(self, timeout: float = 20.0, with_parent: bool = False) -> BackendProcess:
        """`with_parent`: `--exit-with-parent` on a pipe for stdin (`close_stdin` ends it)."""
        cmd = [
            sys.executable,
            "-m",
            "backend",
            "--db",
            self.db_url,
            "--router",
            self.router,
            "--pub",
            self.pub,
            "--log-level",
            "INFO",
            *([] if "--keys" in self.extra else ["--plain"]),
            "--demo-users",
            *self.extra,
            *(["--exit-with-parent"] if with_parent else []),
        ]
        self.process = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if with_parent else subprocess.DEVNULL,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._collect, args=(self.process.stderr,), daemon=True).start()
        ready = _read_line_with_timeout(self.process.stdout, timeout)
        if not ready.startswith(b"READY "):
            self.process.kill()
            raise RuntimeError(
                f"backend did not start: {ready!r}\n{self.log.decode(errors='replace')}"
            )
        info: dict[str, Any] = json.loads(ready[6:])
        self.router, self.pub, self.session = info["router"], info["pub"], info["session"]
        self.metrics = info.get("metrics")
        threading.Thread(target=self._collect, args=(self.process.stdout,), daemon=True).start()
        return self

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def close_stdin(self, timeout: float = 10.0) -> int:
        """As a parent that exits: the child sees its stdin end."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.close()
        return self.process.wait(timeout)


def _read_line_with_timeout(stream: IO[bytes], timeout: float) -> bytes:
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else b""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PostgresServer:
    """A private PostgreSQL cluster in a temporary folder, on a free loopback port."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise RuntimeError(
                "PostgreSQL server not installed: `make test` installs it (package postgresql)"
            )
        self.bin = bins[-1].parent
        self.dir = Path(tempfile.mkdtemp(prefix="township-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.dir.chmod(0o755)
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://test@127.0.0.1:{self.port}/postgres"

    def start(self) -> PostgresServer:
        data = self.dir / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "test",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop", check=False
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )


class RtspServer:
    """tests/rtsp_server.py under the system Python; killable and restartable on one port."""

    PYTHON = "/usr/bin/python3"

    def __init__(self, auth: bool = False, skew: float | None = None) -> None:
        """`auth`: the stream asks for a user and password (admin, secret), as an NVR's does;
        `skew`: its RTCP sender reports put the camera's clock that many seconds behind ours."""
        self.port = free_port()
        self.auth = auth
        self.skew = skew
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"rtsp://127.0.0.1:{self.port}/cam"

    def start(self, timeout: float = 15.0) -> RtspServer:
        self.process = subprocess.Popen(
            [self.PYTHON, str(REPO / "tests" / "rtsp_server.py"), str(self.port)]
            + (["auth"] if self.auth else [])
            + (["skew", str(self.skew)] if self.skew is not None else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline and b"READY" not in line:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError(f"RTSP server exited with {self.process.returncode}")
        if b"READY" not in line:
            raise RuntimeError("RTSP server did not start")
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None


class SilentServer:
    """Accepts TCP connections and then says nothing (or, with `garbage`, sends noise; with
    `hang_up`, closes at once). `knocks`: when each connection came (monotonic)."""

    def __init__(self, garbage: bool = False, hang_up: bool = False) -> None:
        self.garbage = garbage
        self.hang_up = hang_up
        self.knocks: list[float] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.accepted += 1
            self.knocks.append(time.monotonic())
            if self.hang_up:
                conn.close()
                continue
            self._held.append(conn)
            if self.garbage:
                with contextlib.suppress(OSError):
                    conn.sendall(os.urandom(4096) * 4)

    def close(self) -> None:
        self._stop.set()
        for conn in self._held:
            conn.close()
        self.listener.close()


@contextlib.contextmanager
def fresh_database(server: PostgresServer) -> Iterator[str]:
    """A new empty database on the server, dropped afterwards: its URL."""
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield server.url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


class GatewayProcess(ChildProcess):
    """`python -m gateway` on loopback, in front of a backend process (plain, demo logins)."""

    def __init__(self, router: str, *extra: str, env: dict[str, str] | None = None) -> None:
        super().__init__()
        self.router = router
        self.extra = list(extra)
        self.env = env or {}
        self.url = ""

    def start(self, timeout: float = 20.0, listen: str = "127.0.0.1:0") -> GatewayProcess:
        cmd = [sys.executable, "-m", "gateway", "--backend", self.router, "--listen", listen,
               "--plain", "--demo", *self.extra]  # fmt: skip
        env = {**os.environ, **self.env}
        self.process = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env)  # fmt: skip
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._collect, args=(self.process.stderr,), daemon=True).start()
        ready = _read_line_with_timeout(self.process.stdout, timeout)
        if not ready.startswith(b"READY "):
            self.process.kill()
            raise RuntimeError(
                f"gateway did not start: {ready!r}\n{self.log.decode(errors='replace')}"
            )
        self.url = "http://" + json.loads(ready[6:])["listen"]
        threading.Thread(target=self._collect, args=(self.process.stdout,), daemon=True).start()
        return self
