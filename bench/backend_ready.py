"""How long the backend takes to READY as its history grows, as a ratio to an empty store.

Stores of 0, 20,000, 100,000 and 1,000,000 incidents of history (closed ones spread over the
two years before last month, two action-log rows each, plus a township's day of open cases:
300 open, 200 closed yesterday), written straight into SQLite. Each is measured `--runs` times
from spawning `python -m backend --no-demo` to its READY line; the first run after writing a
store also pays the page cache. Aim (issue 16): at most 2× the empty store at 1,000,000.
Run: .venv/bin/python bench/backend_ready.py [--sizes 0,20000,100000,1000000] [--runs 3]
     .venv/bin/python bench/backend_ready.py --quick    (0 and 2,000 incidents, one run)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.store import Store  # noqa: E402
from domain.township import load_demo_township  # noqa: E402

TOWNSHIP = load_demo_township()
OPEN_NOW = 300
CLOSED_YESTERDAY = 200


def make_store(path: Path, history: int, now: float) -> None:
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.seed_township(TOWNSHIP)
    store.close()
    rng = random.Random(history)
    cats, villages = list(TOWNSHIP.categories), list(TOWNSHIP.villages)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    cols = (
        "id, number, category, urgency, channel, state, description, village, reporter, "
        "reported_at, received_at, report_digest, version, level, overdue_noted, "
        "settled_in_village, reopened, updated_at, is_open, urgency_rank, queue_due, stage_due, "
        "closed_at"
    )
    action_cols = "incident, at, actor, role, action, from_state, to_state, note, version, args"
    old_end, old_start = now - 40 * 86_400, now - 2 * 365 * 86_400

    def incident(number: int, at: float, open_: bool) -> tuple[object, ...]:
        due = at + 3 * 86_400
        return (
            uuid.UUID(int=rng.getrandbits(128)).hex, number, rng.choice(cats), "normal",
            "grid_app", "dispatched" if open_ else "closed", "描述", rng.choice(villages), "某",
            at, at, "d", 1 if open_ else 2, "village", 0, 0, 0, at, open_, 2, due,
            due if open_ else None, None if open_ else at,
        )  # fmt: skip

    def actions(row: tuple[object, ...]) -> list[tuple[object, ...]]:
        at = float(row[9])  # type: ignore[arg-type]
        first = (row[0], at, "某", "grid_worker", "report", None, "reported", "grid_app", 1, "{}")
        if row[18]:
            return [first]
        return [first, (row[0], at + 3600, "某", "supervisor", "close", "verified", "closed", "",
                        2, "{}")]  # fmt: skip

    marks = ",".join("?" * 23)
    number = 0
    for start in range(0, history, 100_000):
        rows = []
        for _ in range(start, min(history, start + 100_000)):
            number += 1
            rows.append(incident(number, rng.uniform(old_start, old_end), False))
        con.executemany(f"INSERT INTO incident ({cols}) VALUES ({marks})", rows)
        con.executemany(
            f"INSERT INTO action_log ({action_cols}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [a for r in rows for a in actions(r)],
        )
    today = []
    for k in range(OPEN_NOW + CLOSED_YESTERDAY):
        number += 1
        today.append(incident(number, now - rng.uniform(0, 86_400), k < OPEN_NOW))
    con.executemany(f"INSERT INTO incident ({cols}) VALUES ({marks})", today)
    con.executemany(
        f"INSERT INTO action_log ({action_cols}) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [a for r in today for a in actions(r)],
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def time_to_ready(path: Path, *options: str) -> float:
    """Seconds from spawning `python -m backend` on the SQLite file to its READY line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "--db", f"sqlite:///{path}", "--plain",
         "--router", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*", "--log-level", "ERROR",
         *options],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.terminate()
    rc = proc.wait(30)
    if not line.startswith(b"READY ") or rc != 0:
        raise RuntimeError(f"backend on {path}: {line!r}, exit {rc}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="0,20000,100000,1000000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="0 and 2,000 incidents, one run")
    args = p.parse_args()
    sizes = [0, 2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    now = time.time()
    print("| incidents of history | store | READY after, s (median) | ratio to empty |")
    print("|---|---|---|---|")
    empty = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"h{size}.sqlite3"
            make_store(path, size, now)
            times = [time_to_ready(path) for _ in range(runs)]
            median = statistics.median(times)
            empty = empty or median
            mb = path.stat().st_size / 1e6
            print(f"| {size:,} | {mb:,.0f} MB | {median:.2f} ({min(times):.2f}–{max(times):.2f})"
                  f" | {median / empty:.2f}× |", flush=True)  # fmt: skip
            path.unlink()


if __name__ == "__main__":
    main()
