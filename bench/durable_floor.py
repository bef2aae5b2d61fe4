"""The floor under any durable acknowledgement on this disk: a bare open-loop commit stream.

Run beside `bench/backend.py latency`, at the same rate and for the same time, so that both see
the same disk. Arrivals follow the schedule whatever happened before (no coordinated omission):
a commit that stalls delays every arrival behind it, exactly as it would delay reports. Whatever
has arrived when a commit starts goes into that one commit, as the backend's group commit does.
Prints one JSON line: the response times (ms) and the longest single commit.

Run: .venv/bin/python bench/durable_floor.py RATE SECONDS DIRECTORY
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time


def main() -> None:
    rate, seconds, directory = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    db = sqlite3.connect(os.path.join(directory, "floor.sqlite3"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, k TEXT, body TEXT)")
    db.execute("CREATE INDEX r_k ON r (k)")
    body = "x" * 1500  # about one incident row and its action row
    n = int(rate * seconds)
    latencies: list[float] = []
    longest = 0.0
    start = time.perf_counter()
    i = 0
    while i < n:
        now = time.perf_counter()
        due = start + i / rate
        if now < due:
            time.sleep(min(due - now, 0.001))
            continue
        batch = 1
        while i + batch < n and start + (i + batch) / rate <= now:
            batch += 1
        began = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO r (k, body) VALUES (?, ?)",
            [(os.urandom(8).hex(), body) for _ in range(batch)],
        )
        db.execute("COMMIT")
        done = time.perf_counter()
        longest = max(longest, done - began)
        latencies += [done - (start + (i + j) / rate) for j in range(batch)]
        i += batch
    print(json.dumps({"latencies_ms": [x * 1000 for x in latencies], "longest_ms": longest * 1000}))


if __name__ == "__main__":
    main()
