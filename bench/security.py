"""The cost of CurveZMQ (issue 7), each figure beside plain text measured in the same run.

Run: .venv/bin/python bench/security.py [--quick]

stream: 50,000 published updates of a real incident's size (PUB -> SUB over loopback TCP, as
the backend publishes to consoles): messages a second received, plain and CURVE.
requests: 2,000 `hello` round trips to the real backend (LiveStateServer on SQLite), one at a
time, under a login (so that the backend finds and touches the session each time): latency
p50 / p99, plain and CURVE.
under attack: the same round trips to the CURVE backend while another process keeps opening
TCP connections that send garbage and a NULL-mechanism client keeps asking: p50 / p99 against
plain text. On 2 cores the attacker takes a core from the backend and the client.
--quick: the same code path in a few seconds (figures printed, not meaningful;
tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import zmq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.demo.reporter import make_demo_report  # noqa: E402
from backend.demo.users import DEMO_PASSWORD, seed_demo_users  # noqa: E402
from backend.keyring import KeyRing, new_key_pair  # noqa: E402
from backend.service.loop import LiveStateServer  # noqa: E402
from backend.store import Store  # noqa: E402
from client.curve import ClientKeys  # noqa: E402
from client.request import RequestClient  # noqa: E402
from domain.deadlines import DeadlineRules  # noqa: E402
from domain.lifecycle import new_incident  # noqa: E402
from domain.township import load_demo_township  # noqa: E402
from domain.wire import Message, MsgType, encode  # noqa: E402

TOWNSHIP = load_demo_township()
UPDATES = 50_000
ROUND_TRIPS = 2_000


def _update_payload() -> bytes:
    report = make_demo_report(random.Random(1), TOWNSHIP, {})
    incident = new_incident(report, 1, time.time(), DeadlineRules.load())
    return encode(Message(MsgType.INCIDENT_UPDATED, {"incident": incident.to_wire()}, seq=1))


def stream(keys: tuple[ClientKeys, tuple[bytes, bytes]] | None) -> float:
    context: zmq.Context[Any] = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.sndhwm = 0
    sub = context.socket(zmq.SUB)
    sub.rcvhwm = 0
    if keys is not None:
        client, (public, secret) = keys
        pub.curve_secretkey, pub.curve_publickey, pub.curve_server = secret, public, True
        client.apply(sub)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    sub.connect(f"tcp://127.0.0.1:{port}")
    sub.subscribe(b"")
    payload = [MsgType.INCIDENT_UPDATED.encode(), _update_payload()]
    while not sub.poll(10):  # the subscription is through
        pub.send_multipart(payload)
    while sub.poll(50):
        sub.recv_multipart()

    def send() -> None:
        for _ in range(UPDATES):
            pub.send_multipart(payload)

    sender = threading.Thread(target=send)
    started = time.perf_counter()
    sender.start()
    for _ in range(UPDATES):
        sub.recv_multipart()
    elapsed = time.perf_counter() - started
    sender.join()
    pub.close(0)
    sub.close(0)
    context.term()
    return UPDATES / elapsed


class Backend:
    def __init__(self, folder: Path, secure: bool) -> None:
        self.context: zmq.Context[Any] = zmq.Context()
        self.store = Store(f"sqlite:///{folder}/bench.sqlite3")
        self.store.migrate()
        if not self.store.has_township():
            self.store.seed_township(TOWNSHIP)
        seed_demo_users(self.store, TOWNSHIP)
        self.keyring = KeyRing(folder / "keys") if secure else None
        self.keys: ClientKeys | None = None
        if self.keyring is not None:
            self.keyring.init()
            public, secret = new_key_pair(folder / "consoles", "bench")
            self.keyring.enrol(public)
            self.keys = ClientKeys.load(secret, self.keyring.server_public_file)
        self.server = LiveStateServer(
            self.store, TOWNSHIP, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
            context=self.context, keyring=self.keyring, demo_users=True,
        )  # fmt: skip
        self.endpoints = self.server.bind()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.server.serve, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.store.close()
        self.context.term()


def round_trips(backend: Backend) -> list[float]:
    with RequestClient(backend.endpoints.router, keys=backend.keys) as client:
        client.log_in("duty", DEMO_PASSWORD)
        client.request(MsgType.HELLO)
        times = []
        for _ in range(ROUND_TRIPS):
            started = time.perf_counter()
            client.request(MsgType.HELLO)
            times.append((time.perf_counter() - started) * 1000)
    return times


def attack(router: str, stop: Any) -> None:
    """In a process of its own, so that it competes for the cores, not for our GIL."""
    port = int(router.rsplit(":", 1)[1])
    null = zmq.Context().socket(zmq.DEALER)
    null.linger = 0
    null.connect(router)
    while not stop.is_set():
        with contextlib.suppress(zmq.Again):  # never let in: its queue fills, it reconnects
            null.send(encode(Message(MsgType.SNAPSHOT_REQUEST, {})), zmq.NOBLOCK)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as raw:
                raw.sendall(os.urandom(512))
        except OSError:
            pass
    null.close(0)


def _p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a few seconds in all")
    if parser.parse_args().quick:
        global UPDATES, ROUND_TRIPS
        UPDATES, ROUND_TRIPS = 2_000, 200
    folder = Path(tempfile.mkdtemp(prefix="bench-security-"))
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    client = ClientKeys(client_public, client_secret, server_public)
    plain_rate = stream(None)
    curve_rate = stream((client, (server_public, server_secret)))
    print(
        f"stream: plain {plain_rate:,.0f} msg/s, CURVE {curve_rate:,.0f} msg/s "
        f"({curve_rate / plain_rate:.2f}× plain)"
    )
    results = {}
    for name, secure in (("plain", False), ("CURVE", True)):
        backend = Backend(folder / name, secure)
        try:
            results[name] = round_trips(backend)
            if secure:
                stop = multiprocessing.Event()
                attacker = multiprocessing.Process(
                    target=attack, args=(backend.endpoints.router, stop)
                )
                attacker.start()
                time.sleep(0.5)
                results["CURVE under attack"] = round_trips(backend)
                stop.set()
                attacker.join()
                print(f"failed handshakes counted during the attack (a lower bound: ZeroMQ drops "
                      f"monitor events past its queue): "
                      f"{backend.server.stats.handshakes_failed}")  # fmt: skip
        finally:
            backend.close()
    for name, times in results.items():
        print(f"hello round trip, {name}: p50 {_p(times, 50):.3f} ms, p99 {_p(times, 99):.3f} ms")
    base = results["plain"]
    for name in ("CURVE", "CURVE under attack"):
        t = results[name]
        print(
            f"{name} / plain: p50 {_p(t, 50) / _p(base, 50):.2f}×, "
            f"p99 {_p(t, 99) / _p(base, 99):.2f}×"
        )


if __name__ == "__main__":
    main()
