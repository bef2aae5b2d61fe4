"""Backend figures (issue 3), each beside a raw reference measured in the same run.

Run: .venv/bin/python bench/backend.py [intake|queue|fanout|latency|snapshot|all] [--quick]
Prints one markdown table row per figure; docs/benchmarks.md records the results.
--quick: every part on a few hundred or thousand rows, the same code path in seconds (figures
printed, not meaningful; tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import zmq
from sqlalchemy import Column, Engine, Float, MetaData, String, Table, insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.demo.reporter import make_demo_report  # noqa: E402
from backend.demo.users import DEMO_PASSWORD  # noqa: E402
from backend.service.loop import LiveStateServer  # noqa: E402
from backend.sessions import Session  # noqa: E402
from backend.store import Store, make_engine  # noqa: E402
from client.request import RequestClient  # noqa: E402
from domain.deadlines import DeadlineRules  # noqa: E402
from domain.incident import FieldReport, Incident  # noqa: E402
from domain.lifecycle import new_incident  # noqa: E402
from domain.scope import WHOLE_TOWNSHIP  # noqa: E402
from domain.township import Role, load_demo_township  # noqa: E402
from domain.wire import Message, MsgType, decode, encode, stream_topic  # noqa: E402
from tests.processes import BackendProcess  # noqa: E402

TOWNSHIP = load_demo_township()
ROWS: list[str] = []
QUICK = False
"""--quick: each part a few seconds (set by main)."""


def row(figure: str, ours: str, reference: str, ratio: str) -> None:
    ROWS.append(f"| {figure} | {ours} | {reference} | {ratio} |")
    print(ROWS[-1], flush=True)


def fresh_db() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"


def reports(n: int, seed: int = 0) -> list[FieldReport]:
    rng = random.Random(seed)
    return [make_demo_report(rng, TOWNSHIP, {}) for _ in range(n)]


# --- durable intake ----------------------------------------------------------------------------


def gateway_token(backend: BackendProcess) -> str:
    """The demo gateway's login (backend.demo.users): reports come in under it."""
    with RequestClient(backend.router, timeout=10) as client:
        return client.log_in("gateway", DEMO_PASSWORD).token


def raw_table() -> tuple[Engine, Table]:
    """A bare table on the store's engine settings (WAL, synchronous=FULL) in a fresh file."""
    engine = make_engine(fresh_db())
    meta = MetaData()
    t = Table(
        "r", meta, Column("id", String(36), primary_key=True), Column("x", Float),
        Column("d", String(200)),
    )  # fmt: skip
    meta.create_all(engine)
    return engine, t


def raw_commit_per_row(n: int) -> float:
    """Reference: SQLAlchemy Core, WAL + synchronous=FULL, one commit per row."""
    engine, t = raw_table()
    start = time.perf_counter()
    for i in range(n):
        with engine.begin() as c:
            c.execute(insert(t), {"id": str(uuid.uuid4()), "x": float(i), "d": "描述" * 20})
    return n / (time.perf_counter() - start)


def raw_batched(n: int) -> float:
    engine, t = raw_table()
    rows = [{"id": str(uuid.uuid4()), "x": float(i), "d": "描述" * 20} for i in range(n)]
    start = time.perf_counter()
    with engine.begin() as c:
        c.execute(insert(t), rows)
    return n / (time.perf_counter() - start)


def ours_intake(n: int, clients: int = 8, window: int = 64) -> tuple[float, float]:
    """Reports acknowledged per second through the wire into a backend process, with `clients`
    DEALERs each keeping `window` reports in flight. Returns (rate, reports per commit)."""
    backend = BackendProcess(fresh_db(), "--no-demo", "--log-level", "WARNING").start()
    token = gateway_token(backend)
    all_reports = reports(n, seed=5)
    done = [0] * clients

    def client(k: int) -> None:
        mine = all_reports[k::clients]
        sock: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.DEALER)
        sock.connect(backend.router)
        sent = 0
        while done[k] < len(mine):
            while sent < len(mine) and sent - done[k] < window:
                report = mine[sent].to_wire()
                sock.send(encode(Message(MsgType.REPORT_SUBMIT, report, session=token)))
                sent += 1
            if sock.poll(5000):
                reply = decode(sock.recv())
                assert reply.type == MsgType.REPORT_ACK, reply.body
                done[k] += 1
            else:
                raise RuntimeError("backend stopped answering")
        sock.close(0)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = n / (time.perf_counter() - start)
    backend.stop()
    store = Store(backend.db_url)
    stored = len(store.incidents())
    store.close()
    assert stored == n, (stored, n)
    return rate, 0.0


def bench_intake() -> None:
    """Each run times the reference right before ours, and the ratio is taken per pair: this
    disk's commit cost wanders from run to run (0.2 to 0.8 ms here), so a reference measured
    minutes apart says little."""
    n, runs = (300, 1) if QUICK else (6000, 5)
    pairs = [(raw_commit_per_row(n // 4), ours_intake(n)[0]) for _ in range(runs)]
    batched = raw_batched(5_000 if QUICK else 50_000)
    reference = statistics.median(r for r, _ in pairs)
    ours = statistics.median(o for _, o in pairs)
    ratio = statistics.median(o / r for r, o in pairs)
    row(
        "durable report intake (acked after commit, WAL+FULL), reports/s",
        f"{ours:,.0f}",
        f"{reference:,.0f} (raw Core, commit per row)",
        f"{ratio:.1f}× (median of {runs} pairs: "
        + ", ".join(f"{o / r:.1f}" for r, o in pairs)
        + ")",
    )
    row("  for scale: raw batched insert, rows/s", "", f"{batched:,.0f}", "")


# --- dispatch-queue query on 1,000,000 incidents --------------------------------------------


def fill_million(path: Path, n: int = 1_000_000) -> None:
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.seed_township(TOWNSHIP)
    store.close()
    rng = random.Random(1)
    cats, villages = list(TOWNSHIP.categories), list(TOWNSHIP.villages)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    cols = (
        "id, number, category, urgency, channel, state, description, village, reporter, "
        "reported_at, received_at, report_digest, version, level, overdue_noted, "
        "settled_in_village, reopened, updated_at, is_open, urgency_rank, queue_due, stage_due"
    )
    states = ["reported", "accepted", "dispatched", "in_progress", "closed", "evaluated"]
    urg = ["very_urgent", "urgent", "normal"]

    def gen(start: int, stop: int) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for i in range(start, stop):
            state = rng.choice(states)
            u = rng.choices([0, 1, 2], weights=[3, 15, 82])[0]
            due = 1.79e9 + rng.uniform(0, 3e6)
            out.append(
                (
                    uuid.UUID(int=rng.getrandbits(128)).hex,
                    i + 1,
                    rng.choice(cats),
                    urg[u],
                    "grid_app",
                    state,
                    "描述",
                    rng.choice(villages),
                    "某",
                    1.79e9,
                    1.79e9,
                    "d",
                    1,
                    "village",
                    0,
                    0,
                    0,
                    1.79e9,
                    state not in ("closed", "evaluated"),
                    u,
                    due,
                    due,
                )
            )
        return out

    marks = ",".join("?" * 22)
    for start in range(0, n, 100_000):
        con.executemany(
            f"INSERT INTO incident ({cols}) VALUES ({marks})", gen(start, min(n, start + 100_000))
        )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def best_of(fn: Callable[[], object], runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_queue() -> None:
    path = Path(tempfile.mkdtemp(prefix="bench-")) / "million.sqlite3"
    n = 20_000 if QUICK else 1_000_000
    fill_million(path, n)
    store = Store(f"sqlite:///{path}")
    sql = "SELECT * FROM incident WHERE is_open = 1 ORDER BY urgency_rank, queue_due LIMIT 200"
    con = sqlite3.connect(path)
    raw_indexed = best_of(lambda: con.execute(sql).fetchall())
    ours = best_of(lambda: store.dispatch_queue(200))
    con.execute("DROP INDEX ix_incident_queue")
    no_index = best_of(lambda: con.execute(sql).fetchall(), runs=3)
    row(
        f"dispatch-queue query, {n:,} incidents, limit 200 (incl. building 200 Incidents)",
        f"{ours:.2f} ms",
        f"{raw_indexed:.2f} ms raw SQL, same index; {no_index:.0f} ms without",
        f"{ours / raw_indexed:.1f}× raw; {no_index / ours:.0f}× faster than unindexed",
    )
    store.close()


# --- fan-out ---------------------------------------------------------------------------------


def fanout_rate(
    endpoint: str,
    topics: list[bytes],
    n: int,
    publish: Callable[[], object],
    settle: Callable[[], object] = lambda: None,
) -> float:
    """Updates/s each subscriber process (one per topic) received, publishing n with
    `publish`; `settle` is called while the subscriptions arrive (a manual XPUB's decisions)."""
    command = [sys.executable, str(REPO / "bench" / "fanout_subscriber.py"), endpoint, str(n)]
    procs = [
        subprocess.Popen([*command, topic.decode()], stdout=subprocess.PIPE, text=True)
        for topic in topics
    ]
    for p in procs:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "READY"
    settled = time.monotonic() + 0.5  # let every subscription reach the publisher
    while time.monotonic() < settled:
        settle()
        time.sleep(0.01)
    start = time.time()
    for _ in range(n):
        publish()
    ends = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        got, at = out.split()
        assert int(got) == n, f"a subscriber got {got} of {n}"
        ends.append(float(at))
    return n / (max(ends) - start)


def bench_fanout() -> None:
    n = 2_000 if QUICK else 30_000
    incident = sample_incident()
    payload = encode(Message(MsgType.INCIDENT_REPORTED, {"incident": incident}, seq=1))
    store = Store(fresh_db())
    store.migrate()
    store.seed_township(TOWNSHIP)
    for subs in (1, 2) if QUICK else (1, 8):
        ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        pub = ctx.socket(zmq.PUB)
        pub.setsockopt(zmq.SNDHWM, 0)
        port = pub.bind_to_random_port("tcp://127.0.0.1")
        raw = fanout_rate(
            f"tcp://127.0.0.1:{port}",
            [b"incident."] * subs,
            n,
            partial(pub.send_multipart, [b"incident.reported", payload]),
        )
        pub.close(0)
        server = LiveStateServer(
            store, TOWNSHIP, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", demo_users=True
        )
        endpoints = server.bind()  # its PUB holds 100,000 updates: none dropped here
        sessions = server.accounts.sessions  # one duty officer's login per subscriber
        for k in range(subs):
            sessions.add(f"bench{k}", Session("duty", "值班员", Role.DUTY_OFFICER, None, "plain",
                                              0.0, time.time(), WHOLE_TOWNSHIP))  # fmt: skip
        ours = fanout_rate(
            endpoints.pub,
            [stream_topic(s.stream, "incident.") for s in sessions.live()],
            n,
            partial(server.publisher.publish_incident, MsgType.INCIDENT_REPORTED,
                    {"incident": incident}, None),
            server.publisher.read_subscriptions,
        )  # fmt: skip
        row(
            f"fan-out to {subs} subscriber process(es), updates/s each ({len(payload)} B)",
            f"{ours:,.0f}",
            f"{raw:,.0f} raw pyzmq PUB/SUB, same bytes",
            f"{ours / raw:.0%}",
        )
    # What each update costs a console's link thread: decode, sequence check, Incident.
    start = time.perf_counter()
    for _ in range(n):
        Incident.from_wire(decode(payload).body["incident"])
    per = (time.perf_counter() - start) / n * 1e6
    row("  console side: decode + Incident per update", f"{per:.1f} µs", "", "")


def sample_incident() -> dict[str, object]:
    (r,) = reports(1)
    return new_incident(r, 1, time.time(), DeadlineRules.load()).to_wire()


# --- latency ---------------------------------------------------------------------------------


def bench_latency(rate: float = 200.0, seconds: float = 10.0) -> None:
    """Open-loop: reports leave on schedule whatever the backend is doing. The reference is
    `bench/durable_floor.py`, bare group commits on the same schedule, run at the same time so
    that both see the same disk: this VM's disk stalls for 0.1-0.8 s now and then, and no
    acknowledgement that waits for fsync can be faster than the disk."""
    backend = BackendProcess(fresh_db(), "--no-demo", "--log-level", "WARNING").start()
    sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
    sub.connect(backend.pub)
    with RequestClient(backend.router, timeout=10) as watcher:  # a duty officer's stream
        sub.setsockopt(zmq.SUBSCRIBE, watcher.log_in("duty", DEMO_PASSWORD).topic + b"incident.")
    time.sleep(0.5)
    sent: dict[str, float] = {}
    latencies: list[float] = []
    all_reports = reports(int(rate * seconds), seed=9)
    token = gateway_token(backend)
    encoded = [
        encode(Message(MsgType.REPORT_SUBMIT, r.to_wire(), session=token)) for r in all_reports
    ]

    def receive() -> None:
        while len(latencies) < len(all_reports) and sub.poll(3000):
            frame = sub.recv_multipart()[1]
            arrived = time.perf_counter()
            latencies.append(arrived - sent[decode(frame).body["incident"]["id"]])

    gc.collect()
    gc.freeze()  # the instrument's own collections must not show up as backend latency
    receiver = threading.Thread(target=receive)
    receiver.start()
    dealer: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.DEALER)
    dealer.connect(backend.router)
    floor = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "durable_floor.py"), str(rate), str(seconds),
         tempfile.mkdtemp(prefix="floor-")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    start = time.perf_counter()
    for i, (r, frame) in enumerate(zip(all_reports, encoded, strict=True)):
        due = start + i / rate
        while time.perf_counter() < due:
            if dealer.poll(1):
                dealer.recv()
        sent[r.id] = due
        dealer.send(frame)
    receiver.join()
    backend.stop()
    floor_out = json.loads(floor.communicate()[0])
    ours = _percentiles([x * 1000 for x in latencies])
    ref = _percentiles(floor_out["latencies_ms"])
    row(
        f"report → subscriber latency at {rate:.0f} reports/s for {seconds:.0f} s, p50 / p99 / max",
        f"{ours[0]:.1f} / {ours[1]:.1f} / {ours[2]:.0f} ms",
        f"{ref[0]:.1f} / {ref[1]:.1f} / {ref[2]:.0f} ms bare group commits, same schedule, same "
        f"time (longest fsync'd commit {floor_out['longest_ms']:.0f} ms)",
        f"p99 {ours[1] - ref[1]:+.1f} ms",
    )


def _percentiles(ms: list[float]) -> tuple[float, float, float]:
    ms = sorted(ms)
    return ms[len(ms) // 2], ms[int(len(ms) * 0.99)], ms[-1]


# --- snapshot --------------------------------------------------------------------------------


def bench_snapshot(n: int = 100_000) -> None:
    n = min(n, 2_000) if QUICK else n
    url = fresh_db()
    store = Store(url)
    store.migrate()
    store.seed_township(TOWNSHIP)
    all_reports = reports(n, seed=13)
    for i in range(0, n, 5000):
        store.intake_many(all_reports[i : i + 5000])
    store.close()
    backend = BackendProcess(url, "--no-demo", "--log-level", "WARNING").start()
    with RequestClient(backend.router, timeout=30) as client:
        client.log_in("duty", DEMO_PASSWORD)
        start = time.perf_counter()
        _seq, incidents = client.snapshot()
        wire_time = time.perf_counter() - start
        [Incident.from_wire(i) for i in incidents]
        total = time.perf_counter() - start
    backend.stop()
    assert len(incidents) == n
    store = Store(url)
    start = time.perf_counter()
    store.live_incidents(0)
    db_read = time.perf_counter() - start
    store.close()
    row(
        f"snapshot of {n:,} incidents to a late joiner (received + parsed into Incidents)",
        f"{total:.2f} s ({wire_time:.2f} s on the wire)",
        f"{db_read:.2f} s to read them from the store in-process",
        f"{total / db_read:.1f}×",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    names = ["intake", "queue", "fanout", "latency", "snapshot", "all"]
    parser.add_argument("part", nargs="?", default="all", choices=names)
    parser.add_argument("--quick", action="store_true", help="a few seconds a part")
    args = parser.parse_args()
    global QUICK
    QUICK, part = args.quick, args.part
    print("| figure | ours | reference (same run) | ratio |\n|---|---|---|---|")
    parts = {
        "intake": bench_intake,
        "queue": bench_queue,
        "fanout": bench_fanout,
        "latency": partial(bench_latency, seconds=1.0) if QUICK else bench_latency,
        "snapshot": bench_snapshot,
    }
    for name, fn in parts.items():
        if part in (name, "all"):
            fn()


if __name__ == "__main__":
    main()
