"""docs/operations.md, run as written (issue 21): its `sh deploy` blocks on a PostgreSQL server
started here, the backend, the proxy and the HTTP gateway from their systemd units' own lines,
a report through that gateway, reports and a photo through a gateway's key while the
`sh backup` block runs, the `sh restore` block into a
fresh database and folders, and a backend on the restore serving what was acknowledged.

Only the places move: /srv, /etc and /var/log into a temporary folder, the ports to free ones,
`sudo -u postgres` to the test server's superuser, `db` to its address."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import zmq

from client.curve import ClientKeys
from client.request import RequestClient, RequestError, RequestTimeout
from domain.wire import MsgType
from tests.helpers import demo_reports, wait_for
from tests.processes import REPO, PostgresServer, free_port

DOC = REPO / "docs" / "operations.md"
UNITS = REPO / "deploy" / "systemd"
PASSWORD = "Zhihui2026shi"


def blocks(tag: str) -> list[str]:
    found = re.findall(rf"^```sh {tag}\n(.*?)^```", DOC.read_text(), re.MULTILINE | re.DOTALL)
    assert found, f"no `sh {tag}` block in {DOC}"
    return found


@dataclass
class Machine:
    """Where the docs' paths and ports land in this test."""

    root: Path
    pg_port: int
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ports = {p: free_port() for p in ("7700", "7701", "7801", "9707", "8380")}
        for d in ("etc", "srv", "log", "home"):
            (self.root / d).mkdir()

    def moved(self, text: str) -> str:
        python = shlex.quote(sys.executable)
        moves = dict(
            (
                ("/srv/commandroom/app/.venv/bin/python", python),
                (".venv/bin/python", python),
                ("/srv/commandroom/app", str(REPO)),
                ("/srv/commandroom", str(self.root / "srv")),
                ("/etc/commandroom", str(self.root / "etc")),
                ("/var/log/commandroom", str(self.root / "log")),
                ("sudo -u postgres ", "PGUSER=test "),
                ("sudo tee ", "tee "),
                ("@db/", f"@127.0.0.1:{self.pg_port}/"),
                ("db:5432:", f"127.0.0.1:{self.pg_port}:"),
                ("0.0.0.0", "127.0.0.1"),
                *((f":{doc}", f":{here}") for doc, here in self.ports.items()),
            )
        )
        # one pass, the longest first: a path moved is not moved again
        pattern = "|".join(re.escape(k) for k in sorted(moves, key=len, reverse=True))
        return re.sub(pattern, lambda m: moves[m.group(0)], text)

    def run(self, block: str, env: dict[str, str]) -> tuple[dict[str, str], str]:
        """One block in bash, its variables kept for the next; every password asked is ours.
        A session of its own: no terminal, so the prompts read standard input."""
        kept = self.root / "env"
        script = f"set -euo pipefail\nset -a\n{self.moved(block)}\nenv -0 > {kept}\n"
        done = subprocess.run(["bash", "-c", script], cwd=REPO, env=env, capture_output=True,
                              input=f"{PASSWORD}\n{PASSWORD}\n", text=True, timeout=300,
                              start_new_session=True, check=False)  # fmt: skip
        assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"
        pairs = (entry.split("=", 1) for entry in kept.read_text().split("\0") if "=" in entry)
        return dict(pairs), done.stdout

    def start(
        self, unit: str, env: dict[str, str]
    ) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
        """As systemd would: the unit's ExecStart, Environment, WorkingDirectory, log file."""
        lines = dict(
            line.split("=", 1)
            for line in (UNITS / f"{unit}.service").read_text().splitlines()
            if re.match(
                r"(ExecStart|Environment|EnvironmentFile|WorkingDirectory|StandardOutput)=", line
            )
        )
        name, value = self.moved(lines["Environment"]).split("=", 1)
        if "EnvironmentFile" in lines:  # KEY=VALUE lines, as systemd reads them
            text = Path(self.moved(lines["EnvironmentFile"])).read_text()
            env = env | dict(x.split("=", 1) for x in text.splitlines() if "=" in x)
        log = Path(self.moved(lines["StandardOutput"]).removeprefix("append:"))
        before = log.read_text().count("READY ") if log.exists() else 0
        with open(log, "ab") as out:
            process = subprocess.Popen(
                shlex.split(self.moved(lines["ExecStart"])),
                cwd=self.moved(lines["WorkingDirectory"]),
                env={**env, name: value},
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
            )

        def ready() -> bool:
            assert process.poll() is None, log.read_text()[-3000:]
            return log.exists() and log.read_text().count("READY ") > before

        wait_for(ready, timeout=120, interval=0.1, what=f"{unit} READY")
        line = [x for x in log.read_text().splitlines() if x.startswith("READY ")][-1]
        return process, json.loads(line[6:])


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_deployment_from_the_docs_backs_up_while_reports_flow_and_restores_them(
    tmp_path: Path,
) -> None:
    pg = PostgresServer().start()
    machine = Machine(tmp_path, pg.port)
    srv = tmp_path / "srv"
    subprocess.run([sys.executable, "-m", "backend", "township", "template", str(srv / "township"),
                    "--example"], cwd=REPO, check=True, capture_output=True)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMANDROOM_", "PG"))}
    env |= {"HOME": str(tmp_path / "home"), "PGHOST": "127.0.0.1", "PGPORT": str(pg.port)}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        listed = ""
        for block in blocks("deploy"):
            env, listed = machine.run(block, env)
        assert "lijing" in listed and "departments sifasuo" in listed and "villages V02" in listed
        assert (tmp_path / "home" / ".pgpass").stat().st_mode & 0o077 == 0
        backend, ready = machine.start("commandroom-backend", env)
        processes.append(backend)
        assert ready["secure"], "the configuration's key folder is used"
        proxy, proxied = machine.start("commandroom-proxy", env)
        processes.append(proxy)
        gateway, served = machine.start("commandroom-gateway", env)
        processes.append(gateway)
        over_http = _report_over_http(served["listen"])  # before the backup: in it
        acked, photo = _traffic_during_backup(machine, env, ready, proxied)
        acked.append(over_http)
        assert _stop(gateway) == 0
        assert _stop(backend) == 0 and _stop(proxy) == 0
        restore, clean_up = blocks("restore")[0].split("cd / && sudo -u postgres dropdb")
        _env, out = machine.run(restore, env)
        assert "audit trail intact" in out, out
        assert "between a backup and its restore" in out, "the stop's head, after the backup"
        again, ready = machine.start("commandroom-backend", env | {
            "COMMANDROOM_DB": machine.moved(
                "postgresql+psycopg://commandroom@db/township_restored"),
            "COMMANDROOM_ATTACHMENTS": str(srv / "photos-restored"),
            "COMMANDROOM_KEYS": str(srv / "keys-restored"),
        })  # fmt: skip
        processes.append(again)
        with _client(machine, "desk-01", "keys-restored") as desk:
            desk.log_in("wangjg", PASSWORD)
            _seq, incidents = desk.snapshot()
            got = desk.request(MsgType.ATTACHMENT_REQUEST, {"id": photo}).body
        assert set(acked) <= {i["id"] for i in incidents}, "every report acknowledged"
        assert got["data"], "the photo came back with its case"
        assert _stop(again) == 0
        machine.run("cd / && sudo -u postgres dropdb" + clean_up, env)
        assert not (srv / "keys-restored").exists(), "the copy of the secret key taken away"
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        pg.stop()


def _report_over_http(listen: str) -> str:
    """A grid leader's report through the gateway the unit started (its key, its login)."""

    def post(path: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
        request = urllib.request.Request(
            f"http://{listen}{path}", json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {token}"} if token else {})})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 201
            said: dict[str, Any] = json.loads(answer.read())
            return said

    token = post("/v1/session", {"user": "zhaoq", "password": PASSWORD})["token"]
    report = {"id": str(uuid.uuid4()), "category": "municipal_damage", "village": "V02",
              "description": "村口路灯不亮", "reported_at": time.time()}  # fmt: skip
    filed = post("/v1/reports", report, token)
    assert filed["village"] == "V02" and filed["number"].startswith("SJ")
    return str(filed["id"])


def _client(machine: Machine, key: str, folder: str = "keys") -> RequestClient:
    srv = machine.root / "srv"
    keys = ClientKeys.load(srv / "consoles" / f"{key}.key_secret", srv / folder / "server.key")
    return RequestClient(f"tcp://127.0.0.1:{machine.ports['7700']}", timeout=10, keys=keys)


def _traffic_during_backup(
    machine: Machine, env: dict[str, str], ready: dict[str, Any], proxied: dict[str, Any]
) -> tuple[list[str], str]:
    """A gateway reporting, a department handler scoped to its department, the wall hearing
    its stream through the proxy; the backup block run while reports flow."""
    with _client(machine, "desk-01") as desk:
        handler = desk.log_in("lijing", PASSWORD)
        assert handler.scope.departments == {"sifasuo"} and not handler.scope.township
    with _client(machine, "wall-01") as wall:
        duty = wall.log_in("wall-duty", PASSWORD)
        keys = ClientKeys.load(machine.root / "srv/consoles/wall-01.key_secret",
                               machine.root / "srv/keys/server.key")  # fmt: skip
        sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        keys.apply(sub)
        sub.connect(proxied["pub"])
        sub.setsockopt(zmq.SUBSCRIBE, duty.topic)
        try:
            assert sub.poll(30_000), "the wall hears its stream through the proxy"
        finally:
            sub.close()
    acked: list[str] = []
    stop = threading.Event()
    gateway = _client(machine, "gateway-01")
    gateway.log_in("gateway-01", PASSWORD)
    first = gateway.submit_report(demo_reports(1, seed=50)[0]).body["incident"]["id"]
    picture = cv2.imencode(".jpg", np.full((48, 64, 3), 90, np.uint8))[1].tobytes()
    photo = gateway.add_attachment(first, "image/jpeg", picture).body["attachment"]["id"]

    def report_on() -> None:
        for report in demo_reports(10_000, seed=51):
            if stop.is_set():
                return
            try:
                acked.append(gateway.submit_report(report).body["incident"]["id"])
            except (RequestError, RequestTimeout):
                return

    flowing = threading.Thread(target=report_on)
    flowing.start()
    try:
        wait_for(lambda: len(acked) >= 20, what="reports flowing")
        before = [first, *acked]  # acknowledged before the backup began: all in it
        machine.run(blocks("backup")[0], env)
        assert len(acked) > len(before) - 1, "reports flowed while it ran"
    finally:
        stop.set()
        flowing.join()
        gateway.close()
    with urllib.request.urlopen(f"http://{ready['metrics']}/health", timeout=10) as r:
        assert json.loads(r.read())["status"] == "ok"
    return before, photo
