"""The fan-out proxy's rate against libzmq's bare `zmq.proxy`, in the same run (issue 7).

Run: .venv/bin/python bench/fanout_proxy.py [--quick]

200,000 updates of an incident's size from a PUB, through the proxy, to one SUB over loopback
TCP: messages a second received. Three proxies: `zmq.proxy` (the reference), ours in plain
text, ours with CurveZMQ on both sides (the backend's key folder).

--quick: the same code path in a few seconds (figures printed, not meaningful;
tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import zmq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.fanout_proxy import FanoutProxy  # noqa: E402
from backend.keyring import KeyRing, new_key_pair  # noqa: E402
from client.curve import ClientKeys  # noqa: E402

N = 200_000
PAYLOAD = b"x" * 600
TOPIC = b"s/" + b"0" * 32 + b"/"
"""One login's stream (domain.wire.stream_topic): the proxy lets through whole streams only."""


def run(kind: str, n: int = N) -> float:
    context: zmq.Context[Any] = zmq.Context()
    folder = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    ring = KeyRing(folder / "keys") if kind == "ours, CURVE" else None
    pub = context.socket(zmq.PUB)
    pub.sndhwm = 0
    if ring is not None:
        ring.init()
        pub.curve_server = True
        pub.curve_publickey, pub.curve_secretkey = ring.server_pair()
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    upstream = f"tcp://127.0.0.1:{port}"
    stop = threading.Event()
    proxy: FanoutProxy | None = None
    if kind == "zmq.proxy":
        xsub, xpub = context.socket(zmq.XSUB), context.socket(zmq.XPUB)
        xsub.connect(upstream)
        xpub.sndhwm = 0
        endpoint = f"tcp://127.0.0.1:{xpub.bind_to_random_port('tcp://127.0.0.1')}"

        def bare() -> None:
            with contextlib.suppress(zmq.ContextTerminated):
                zmq.proxy(xsub, xpub)

        threading.Thread(target=bare, daemon=True).start()
    else:
        proxy = FanoutProxy(upstream, "tcp://127.0.0.1:*", ring)
        proxy.xpub.sndhwm = 0
        threading.Thread(target=proxy.serve, args=(stop,), daemon=True).start()
        endpoint = proxy.endpoint
    sub = context.socket(zmq.SUB)
    sub.rcvhwm = 0
    if ring is not None:
        public, secret = new_key_pair(folder / "consoles", "bench")
        ring.enrol(public)
        ClientKeys.load(secret, ring.server_public_file).apply(sub)
    sub.connect(endpoint)
    sub.subscribe(TOPIC)
    for _ in range(100):  # until the subscription has gone all the way up
        pub.send_multipart([TOPIC + b"hb", b""])
        if sub.poll(100):
            break
    while sub.poll(200):
        sub.recv_multipart()
    got = 0

    def receive() -> None:
        nonlocal got
        while got < n and sub.poll(3000):
            sub.recv_multipart()
            got += 1

    reader = threading.Thread(target=receive)
    started = time.perf_counter()
    reader.start()
    for _ in range(n):
        pub.send_multipart([TOPIC + b"incident.updated", PAYLOAD])
    reader.join()
    rate = got / (time.perf_counter() - started)
    assert got == n, (kind, got)
    stop.set()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a few seconds in all")
    n = 5_000 if parser.parse_args().quick else N
    rates: dict[str, list[float]] = {"zmq.proxy": [], "ours, plain": [], "ours, CURVE": []}
    for _ in range(3):
        for kind, found in rates.items():
            found.append(run(kind, n))
    reference = sorted(rates["zmq.proxy"])[1]
    for kind, found in rates.items():
        median = sorted(found)[1]
        print(f"{kind}: median {median:,.0f} msg/s ({median / reference:.2f}× zmq.proxy)")


if __name__ == "__main__":
    main()
