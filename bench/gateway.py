"""The HTTP gateway's figures (issue 23), each against the backend's own, in the same run.

Run: .venv/bin/python bench/gateway.py [--quick]
A backend process (SQLite file, no demo) and a gateway process in front of it, on loopback.
- Throughput: N reports from K phones at once (kept-alive HTTP connections) through the
  gateway, against N reports from K clients straight to the backend (RequestClient, the same
  login's kind), in turns, five rounds; reports a second, and the median ratio (aim ≥ 0.5×).
- Latency: one report at a time, at a steady pace, from the phone's send to its
  `incident.reported` on a duty officer's update stream (what a console reads), through the
  gateway against straight to the backend; median and p99.
Prints markdown rows; docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import zmq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from client.request import RequestClient  # noqa: E402
from domain.incident import FieldReport  # noqa: E402
from domain.township import load_demo_township  # noqa: E402
from domain.wire import decode  # noqa: E402
from tests.processes import BackendProcess, GatewayProcess  # noqa: E402
from tests.services import subscribe  # noqa: E402

GRIDS = list(load_demo_township().grids.values())


def body(k: int) -> dict[str, Any]:
    grid = GRIDS[k % len(GRIDS)]
    return {"id": str(uuid.uuid4()), "category": "municipal_damage", "urgency": "normal",
            "channel": "grid_app", "reporter": "陈国丽", "village": grid.village,
            "grid": grid.code, "lat": grid.lat, "lon": grid.lon,
            "description": f"第{k}处路灯不亮", "reported_at": time.time()}  # fmt: skip


def row(figure: str, ours: str, reference: str, ratio: str) -> None:
    print(f"| {figure} | {ours} | {reference} | {ratio} |", flush=True)


def direct_rate(router: str, n: int, k: int) -> float:
    """Reports a second, K clients straight to the backend as the grid app's server (logged
    in one after another: logins in flight at once count as wrong ones)."""
    per = n // k
    clients = [RequestClient(router, timeout=30.0) for _ in range(k)]
    for client in clients:
        client.log_in("gateway", "demo")

    def one(client: RequestClient) -> None:
        for j in range(per):
            client.submit_report(FieldReport.from_wire(body(j)))

    started = time.perf_counter()
    with ThreadPoolExecutor(k) as pool:
        list(pool.map(one, clients))
    spent = time.perf_counter() - started
    for client in clients:
        client.close()
    return per * k / spent


class Connection:
    """A phone's kept-alive HTTP/1.1 connection, in as few Python steps as a request can take:
    the bench's own client must not be what is measured (httpx spent more CPU a report than
    the gateway did, on the same 2 cores; RequestClient, the reference's, spends a tenth)."""

    def __init__(self, url: str) -> None:
        host, _, port = url.removeprefix("http://").rpartition(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def post(
        self, path: str, body: dict[str, Any], token: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        data = json.dumps(body).encode()
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        head = (f"POST {path} HTTP/1.1\r\nHost: bench\r\n{auth}Content-Type: application/json"
                f"\r\nContent-Length: {len(data)}\r\n\r\n")  # fmt: skip
        self.sock.sendall(head.encode() + data)
        status = int(self.reader.readline().split()[1])
        headers = {}
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.lower()] = value.strip()
        return status, headers, self.reader.read(int(headers.get("content-length", 0)))

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def gateway_rate(url: str, n: int, k: int) -> float:
    """Reports a second, K connections at once through the gateway, signed in once as the
    grid app's server (as a township's own app server would be)."""
    per = n // k
    first = Connection(url)
    token = json.loads(first.post("/v1/session", {"user": "gridapp", "password": "demo"})[2])
    first.close()

    def one(_c: int) -> None:
        phone = Connection(url)
        for j in range(per):
            status, headers, said = phone.post("/v1/reports", body(j), token["token"])
            while status == 429:  # as a phone does: waits as told
                time.sleep(float(headers.get("retry-after", "1")))
                status, headers, said = phone.post("/v1/reports", body(j), token["token"])
            assert status == 201, said
        phone.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(k) as pool:
        list(pool.map(one, range(k)))
    return per * k / (time.perf_counter() - started)


def latencies(backend: BackendProcess, gateway: GatewayProcess, n: int, via: str) -> list[float]:
    """Seconds from a report's send to its incident.reported on a duty officer's stream."""
    watcher = RequestClient(backend.router, timeout=10.0)
    login = watcher.log_in("duty", "demo")
    sub = subscribe(backend.pub, login, (b"incident.reported",))
    seen: dict[str, float] = {}
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            if sub.poll(100):
                msg = decode(sub.recv_multipart()[-1])
                seen.setdefault(msg.body["incident"]["id"], time.perf_counter())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    sent: dict[str, float] = {}
    client = RequestClient(backend.router, timeout=10.0)
    client.log_in("gateway", "demo")
    http = httpx.Client(base_url=gateway.url, timeout=30.0)
    token = http.post("/v1/session", json={"user": "gridapp", "password": "demo"}).json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    for k in range(n):
        report = body(k)
        sent[report["id"]] = time.perf_counter()
        if via == "gateway":
            assert http.post("/v1/reports", json=report, headers=auth).status_code == 201
        else:
            client.submit_report(FieldReport.from_wire(report))
        time.sleep(0.05)  # a steady pace: latency, not a queue
    deadline = time.monotonic() + 20
    while len(seen) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    done.set()
    reader.join()
    sub.close(linger=0)
    for c in (client, watcher):
        c.close()
    http.close()
    return sorted(seen[i] - t for i, t in sent.items() if i in seen)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    n, k, m, rounds = (60, 3, 20, 1) if args.quick else (1200, 6, 200, 5)
    db = f"sqlite:///{tempfile.mkdtemp(prefix='bench-gw-')}/b.sqlite3"
    backend = BackendProcess(db, "--no-demo").start()
    # A system's sign-in is held to 200 requests a second by default (a flood guard,
    # gateway_system_rate): raised here, as the figure is what the gateway can carry.
    gateway = GatewayProcess(backend.router, env={"COMMANDROOM_GATEWAY_SYSTEM_RATE": "1e5"})
    gateway.start()
    try:
        ratios, rates = [], []
        for _round in range(rounds):  # in turns: a noisy minute falls on both
            direct = direct_rate(backend.router, n, k)
            through = gateway_rate(gateway.url, n, k)
            ratios.append(through / direct)
            rates.append((through, direct))
        through, direct = rates[ratios.index(statistics.median(ratios))]
        row(f"reports a second, {k} senders at once, {n} reports (the median of {rounds} "
            "rounds in turn)", f"**{through:.0f}/s** through the gateway",
            f"{direct:.0f}/s straight to the backend", f"**{statistics.median(ratios):.2f}×** "
            f"(rounds {', '.join(f'{r:.2f}' for r in ratios)}); aim ≥ 0.5×")  # fmt: skip
        ours = latencies(backend, gateway, m, "gateway")
        ref = latencies(backend, gateway, m, "direct")

        def at(values: list[float], q: float) -> float:
            return values[min(len(values) - 1, int(len(values) * q))] * 1000

        row(f"report → a console's stream, one at a time ({m}), median / p99",
            f"**{statistics.median(ours) * 1000:.1f} / {at(ours, 0.99):.1f} ms** through the "
            "gateway", f"{statistics.median(ref) * 1000:.1f} / {at(ref, 0.99):.1f} ms straight",
            f"{at(ours, 0.99) / at(ref, 0.99):.1f}× at p99")  # fmt: skip
    finally:
        gateway.stop()
        backend.stop()
        zmq.Context.instance().term()


if __name__ == "__main__":
    main()
