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
issue 18, each against a reference in the same run:
unread snapshots: a backend process holding 3,000 incidents, while 20 connections logged in as
viewers each send 200 `snapshot.request` and never read (the attack that grew the backend from
155 MB to 1,270 MB): its resident memory before, at its highest, and after.
scoped updates: what publishing one incident change costs the serve loop with 20 logins, each
on its own stream (8 the township's, 8 a department's, 4 a village's), against the single
stream before issue 18 (one PUB send to the same 20 subscribers), in the same process.
logins under a lockout attack: a supervisor's logins a second while 4 connections send wrong
passwords for every other user as fast as they are answered, against the same logins idle.
--quick: the same code path in a few seconds (figures printed, not meaningful;
tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
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
from backend.service.publisher import Publisher  # noqa: E402
from backend.service.stats import ServerStats  # noqa: E402
from backend.sessions import Session, SessionBook  # noqa: E402
from backend.store import Store  # noqa: E402
from client.curve import ClientKeys  # noqa: E402
from client.request import RequestClient  # noqa: E402
from domain.deadlines import DeadlineRules  # noqa: E402
from domain.lifecycle import new_incident  # noqa: E402
from domain.scope import WHOLE_TOWNSHIP, CaseScope  # noqa: E402
from domain.township import Role, load_demo_township  # noqa: E402
from domain.wire import Message, MsgType, encode, stream_topic  # noqa: E402
from tests.helpers import demo_reports  # noqa: E402
from tests.processes import BackendProcess  # noqa: E402
from tests.services import Service  # noqa: E402

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


def row(what: str, value: str, reference: str, ratio: str) -> None:
    print(f"| {what} | {value} | {reference} | {ratio} |", flush=True)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def fresh_db() -> str:
    return "sqlite:///" + tempfile.mkdtemp(prefix="bench-security-") + "/room.sqlite3"


# --- 1. memory under unread snapshots --------------------------------------------------------


def bench_unread_snapshots(incidents: int, peers: int, asks: int) -> None:
    backend = BackendProcess(fresh_db(), "--no-demo", "--log-level", "WARNING").start(timeout=60)
    try:
        with RequestClient(backend.router, timeout=30) as gateway:
            gateway.log_in("gateway", DEMO_PASSWORD)
            for report in demo_reports(incidents, seed=18):
                gateway.submit_report(report)
            token = gateway.log_in("duty", DEMO_PASSWORD).token
            one = len(encode(Message(MsgType.SNAPSHOT, {"incidents": gateway.snapshot()[1]})))
        assert backend.process is not None
        pid = backend.process.pid
        before = rss_mb(pid)
        context: zmq.Context[Any] = zmq.Context.instance()
        dealers = []
        for _ in range(peers):
            d = context.socket(zmq.DEALER)
            d.setsockopt(zmq.LINGER, 0)
            d.connect(backend.router)
            dealers.append(d)
        for d in dealers:
            for _ in range(asks):
                d.send(encode(Message(MsgType.SNAPSHOT_REQUEST, session=token)))
        highest, quiet_since, last = before, time.monotonic(), before
        while time.monotonic() - quiet_since < 5:  # until it has not grown for 5 s
            time.sleep(0.25)
            now = rss_mb(pid)
            highest = max(highest, now)
            if now > last + 1:
                quiet_since, last = time.monotonic(), now
        for d in dealers:
            d.close()
        time.sleep(2)
        after = rss_mb(pid)
    finally:
        backend.kill()
    asked_mb = peers * asks * one / 2**20
    row(
        f"backend RSS while {peers} logins each ask {asks} snapshots of {incidents:,} incidents "
        f"({one / 2**20:.1f} MB each) and never read",
        f"{before:.0f} MB before, {highest:.0f} MB at most (+{highest - before:.0f} MB), "
        f"{after:.0f} MB after they left",
        f"{asked_mb:,.0f} MB asked for",
        f"{(highest - before) / asked_mb:.2%} of it held",
    )


# --- 2. scoped updates against one stream ----------------------------------------------------


def _subscribers(endpoint: str, topics: list[bytes], ready: Any, stop: Any, got: Any) -> None:
    """In a process of its own, as consoles are: 20 SUBs read everything until told to stop."""
    context: zmq.Context[Any] = zmq.Context()
    subs = []
    for topic in topics:
        s = context.socket(zmq.SUB)
        s.setsockopt(zmq.RCVHWM, 0)
        s.connect(endpoint)
        s.setsockopt(zmq.SUBSCRIBE, topic)
        subs.append(s)
    poller = zmq.Poller()
    for s in subs:
        poller.register(s, zmq.POLLIN)
    ready.set()
    count = 0
    while not stop.is_set():
        for s, _ in poller.poll(100):
            while True:
                try:
                    s.recv_multipart(zmq.NOBLOCK)
                    count += 1
                except zmq.Again:
                    break
    got.value = count
    for s in subs:
        s.close(0)
    context.term()


def _timed_publishing(
    endpoint: str, topics: list[bytes], publish: Any, changes: int, settle: Any = None
) -> tuple[float, int]:
    """Seconds a change, publishing `changes` to subscribers in another process; received."""
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    got = multiprocessing.Value("q", 0)
    reader = multiprocessing.Process(target=_subscribers, args=(endpoint, topics, ready, stop, got))
    reader.start()
    ready.wait(30)
    settled = time.monotonic() + 1.0  # every subscription reaches the publisher
    while time.monotonic() < settled:
        if settle is not None:
            settle()
        time.sleep(0.01)
    start = time.perf_counter()
    for seq in range(1, changes + 1):
        publish(seq)
    taken = (time.perf_counter() - start) / changes
    time.sleep(1.0)
    stop.set()
    reader.join(30)
    return taken, int(got.value)


def bench_scoped_updates(changes: int) -> None:
    context: zmq.Context[Any] = zmq.Context()
    incident = {"id": "x", "village": "V01", "grid": "V01G1", "department": "zongzhiban",
                "channel": "hotline", "reporter": "群**", "description": "占道经营" * 40,
                "state": "dispatched", "number": 1, "version": 3}  # fmt: skip
    body = {"incident": incident}
    # The single stream before issue 18: one PUB, every subscriber takes everything.
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.SNDHWM, 0)
    port = pub.bind_to_random_port("tcp://127.0.0.1")

    def publish_once(seq: int) -> None:
        msg = Message(MsgType.INCIDENT_UPDATED, body, session="s", seq=seq)
        pub.send_multipart([msg.topic, encode(msg)])

    single, single_got = _timed_publishing(
        f"tcp://127.0.0.1:{port}", [b"incident."] * 20, publish_once, changes
    )
    # Streams per login: 8 the township's, 8 departments' (one of them this case's), 4 villages'.
    sessions = SessionBook()
    departments = sorted(TOWNSHIP.departments)
    villages = sorted(TOWNSHIP.villages)
    scopes = [WHOLE_TOWNSHIP] * 8
    scopes += [CaseScope(departments=frozenset({departments[k]})) for k in range(8)]
    scopes += [CaseScope(villages=frozenset({villages[k + 1]})) for k in range(4)]
    for k, scope in enumerate(scopes):
        sessions.add(f"bench{k}", Session(f"u{k}", "某", Role.SUPERVISOR, None, "plain", 0.0,
                                          time.time(), scope))  # fmt: skip
    publisher = Publisher(context, None, ServerStats(), sessions)
    publisher.bind("tcp://127.0.0.1:*")
    per_login, scoped_got = _timed_publishing(
        publisher.endpoint,
        [stream_topic(s.stream, "incident.") for s in sessions.live()],
        lambda _seq: publisher.publish_incident(MsgType.INCIDENT_UPDATED, body, incident),
        changes,
        publisher.read_subscriptions,
    )
    seen = sum(1 for s in scopes if s.covers_wire(incident))
    row(
        f"publishing one incident change to 20 consoles ({seen} of whose logins see it)",
        f"{per_login * 1e6:.0f} µs a change, a stream per login",
        f"{single * 1e6:.0f} µs, one stream for all (before issue 18)",
        f"{per_login / single:.1f}×",
    )
    assert single_got == 20 * changes, f"the single stream delivered {single_got}"
    assert scoped_got == seen * changes, f"the streams delivered {scoped_got}"
    pub.close(0)
    publisher.close()
    context.term()


# --- 3. logins under a lockout attack --------------------------------------------------------


def _logins_per_s(router: str, seconds: float) -> float:
    done, end = 0, time.monotonic() + seconds
    with RequestClient(router, timeout=120) as c:
        while time.monotonic() < end:
            c.log_in("supervisor", DEMO_PASSWORD)
            done += 1
    return done / seconds


def _attack(router: str, stop: threading.Event, sent: list[int]) -> None:
    users = itertools.cycle(sorted(p for p in TOWNSHIP.people if p != "P0001")[:200])
    with RequestClient(router, timeout=120) as c:
        while not stop.is_set():
            try:
                c.log_in(next(users), "wrong-guess-123")
            except Exception:
                sent[0] += 1


def bench_logins(seconds: float) -> None:
    backend = BackendProcess(fresh_db(), "--no-demo", "--log-level", "ERROR").start(timeout=60)
    try:
        idle = _logins_per_s(backend.router, seconds)
        stop, sent = threading.Event(), [0]
        attackers = [
            threading.Thread(target=_attack, args=(backend.router, stop, sent), daemon=True)
            for _ in range(4)
        ]
        for a in attackers:
            a.start()
        time.sleep(1)
        attacked = _logins_per_s(backend.router, seconds)
        stop.set()
        for a in attackers:
            a.join(120)
    finally:
        backend.kill()
    row(
        "a supervisor's logins a second while 4 connections guess every other user's password",
        f"{attacked:.1f}/s ({sent[0] / (seconds + 1):.0f} wrong guesses/s answered)",
        f"{idle:.1f}/s idle",
        f"{attacked / idle:.0%}",
    )


def bench_demo_timing(tries: int) -> None:
    """A demo user refused by a backend started without --demo-users, against an unknown user:
    the same work, so the answer's time does not tell them apart (issue 18, item 4)."""
    service = Service(fresh_db(), demo_users=False)
    try:
        times: dict[str, list[float]] = {"demo": [], "unknown": []}
        people = sorted(TOWNSHIP.people)  # each login tried once: no lock comes into it
        with service.client(staff=False, timeout=60) as c:
            for k in range(tries):
                for kind, user in (("demo", people[k]), ("unknown", f"nobody{k}")):
                    start = time.perf_counter()
                    with contextlib.suppress(Exception):
                        c.log_in(user, DEMO_PASSWORD)
                    times[kind].append(time.perf_counter() - start)
    finally:
        service.close()
    demo, unknown = (statistics.median(times[u]) for u in ("demo", "unknown"))
    row(
        "a demo user's refused login (backend without --demo-users), median",
        f"{demo * 1000:.0f} ms",
        f"{unknown * 1000:.0f} ms, an unknown user",
        f"{demo / unknown:.2f}×",
    )


def _p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a few seconds in all")
    quick = parser.parse_args().quick
    if quick:
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

    print("| issue 18 | measured | reference (same run) | ratio |")
    print("|---|---|---|---|")
    if quick:
        bench_unread_snapshots(incidents=600, peers=2, asks=5)
        bench_scoped_updates(changes=200)
        bench_logins(seconds=1.0)
        bench_demo_timing(tries=2)
    else:
        bench_unread_snapshots(incidents=3_000, peers=20, asks=200)
        bench_scoped_updates(changes=20_000)
        bench_logins(seconds=10.0)
        bench_demo_timing(tries=15)


if __name__ == "__main__":
    main()
