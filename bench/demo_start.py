"""How long a fresh `make run` backend takes to READY with the demo's past week replayed, as a
ratio to an empty demo start in the same run (docs/demo.md: "a believable morning within a
minute").

Each run spawns `python -m backend --demo --demo-users --demo-rate 0` on a new SQLite file, with
`--demo-days 7` and with `--demo-days 0`, and times it to its READY line.
Run: .venv/bin/python bench/demo_start.py [--runs 3] [--days 7]
     .venv/bin/python bench/demo_start.py --quick    (one day, one run)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.backend_ready import time_to_ready as ready_in  # noqa: E402


def time_to_ready(db: Path, days: float) -> float:
    return ready_in(db, "--demo", "--demo-users", "--demo-rate", "0", "--demo-days", str(days))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--days", type=float, default=7)
    p.add_argument("--quick", action="store_true", help="one day, one run")
    args = p.parse_args()
    days, runs = (1.0, 1) if args.quick else (args.days, args.runs)
    replayed, empty = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(runs):
            replayed.append(time_to_ready(Path(tmp) / f"week{k}.sqlite3", days))
            empty.append(time_to_ready(Path(tmp) / f"empty{k}.sqlite3", 0))
    week, none = statistics.median(replayed), statistics.median(empty)
    print(f"fresh demo store to READY, {days:g} days replayed: {week:.1f} s (median of {runs})")
    print(f"fresh demo store to READY, nothing replayed: {none:.1f} s")
    print(f"replayed / empty: {week / none:.1f}x; the replay itself: {week - none:.1f} s")


if __name__ == "__main__":
    main()
