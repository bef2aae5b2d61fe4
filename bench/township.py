"""A county's township brought in (issue 17): check and apply, time and peak memory, against
reading the same workbook with openpyxl alone in the same run; then how long after an apply a
console (a real client on a real backend) has the new township.

County: 500 villages of 4 grids (2,000 square boundaries), 20,000 people, 5,000 cameras
(tests/county.py), written as the templates (township.xlsx + boundaries.geojson).
Each step runs in a fresh process, so that its peak RSS is its own.
Run: .venv/bin/python bench/township.py [--quick]   (quick: 50 villages, 2,000 people, 500
cameras)
"""

# ruff: noqa: PLC0415 - each step imports what it measures in its own process (time and RSS)
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zmq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def step(name: str, directory: str, db: str) -> None:
    """One measured step in this process; prints {"s": seconds, "rss_mb": peak}."""
    start = time.perf_counter()
    if name == "openpyxl":
        from openpyxl import load_workbook

        book = load_workbook(Path(directory) / "township.xlsx", read_only=True, data_only=True)
        rows = sum(1 for ws in book.worksheets for _row in ws.iter_rows(values_only=True))
        book.close()
        json.loads((Path(directory) / "boundaries.geojson").read_bytes())
        detail = f"{rows} rows"
    elif name == "check":
        from backend.township.check import check_directory

        result = check_directory(Path(directory))
        assert result.township is not None, [str(p) for p in result.problems[:5]]
        detail = f"{len(result.problems)} problems"
    else:  # apply
        from backend.store import Store
        from backend.township.apply import apply_township_files

        store = Store(db)
        store.migrate()
        assert apply_township_files(store, Path(directory), "bench", out=open("/dev/null", "w"))  # noqa: SIM115
        store.close()
        detail = "applied"
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": seconds, "rss_mb": rss, "detail": detail}))


def measured(name: str, directory: Path, db: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--step", name, str(directory), db],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=1800,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def baseline_rss() -> float:
    out = subprocess.run(
        [sys.executable, "-c", "import resource, backend.township.check, backend.store;"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip())


def live_update(directory: Path, db: str) -> tuple[float, float]:
    """A backend on the applied store; a village renamed and applied by the command line:
    (seconds from the command's end to township.changed at a subscriber, to the new township
    fetched whole by a client)."""
    from openpyxl import load_workbook

    from client.request import RequestClient
    from domain.wire import MsgType, decode
    from tests.processes import BackendProcess

    backend = BackendProcess(db, "--no-demo", "--demo-users", "--log-level", "WARNING").start(
        timeout=120
    )
    sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
    try:
        sub.connect(backend.pub)
        with RequestClient(backend.router, timeout=60) as watcher:  # a duty officer's stream
            login = watcher.log_in("duty", "demo")
            sub.setsockopt(zmq.SUBSCRIBE, login.topic + b"township.")
        book = load_workbook(directory / "township.xlsx")
        book["村社"].cell(3, 2, "改名村")
        book.save(directory / "township.xlsx")
        with RequestClient(backend.router, timeout=60) as client:
            client.log_in("supervisor", "demo")
            subprocess.run(
                [sys.executable, "-m", "backend", "township", "apply", str(directory),
                 "--db", db],
                cwd=REPO, capture_output=True, check=True, timeout=600,
            )  # fmt: skip
            applied = time.perf_counter()
            assert sub.poll(60_000), "no township.changed"
            assert decode(sub.recv_multipart()[1]).type == MsgType.TOWNSHIP_CHANGED
            announced = time.perf_counter() - applied
            body = client.township()
            fetched = time.perf_counter() - applied
            assert body["township"]["villages"][0]["name"] == "改名村"
    finally:
        sub.close(0)
        backend.stop()
    return announced, fetched


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--step", nargs=3, metavar=("NAME", "DIR", "DB"))
    args = p.parse_args()
    if args.step:
        step(*args.step)
        return 0
    from backend.township.template import write_templates
    from tests.county import make_county

    size = (50, 2_000, 500) if args.quick else (500, 20_000, 5_000)
    work = Path(tempfile.mkdtemp(prefix="bench-township-"))
    try:
        start = time.perf_counter()
        county = make_county(villages=size[0], people=size[1], cameras=size[2])
        write_templates(work / "files", county)
        made = time.perf_counter() - start
        xlsx_mb = (work / "files" / "township.xlsx").stat().st_size / 1e6
        db = f"sqlite:///{work / 'store.sqlite3'}"
        base = baseline_rss()
        ref = measured("openpyxl", work / "files", db)
        check = measured("check", work / "files", db)
        apply = measured("apply", work / "files", db)
        announced, fetched = live_update(work / "files", db)
        villages, people, cameras = size
        print(
            f"county: {villages} villages, {villages * 4} grids, {people:,} people, "
            f"{cameras:,} cameras; township.xlsx {xlsx_mb:.1f} MB, made in {made:.1f} s"
        )
        print("| figure | ours | reference (same run) | ratio |")
        print("|---|---|---|---|")
        print(f"| check, s | {check['s']:.2f} | {ref['s']:.2f} openpyxl alone (read every row, "
              f"load the GeoJSON) | {check['s'] / ref['s']:.1f}× |")  # fmt: skip
        print(f"| check, peak RSS MB | {check['rss_mb']:.0f} | {ref['rss_mb']:.0f} "
              f"(modules alone {base:.0f}) | {check['rss_mb'] / ref['rss_mb']:.1f}× |")  # fmt: skip
        print(f"| apply (check + one transaction into an empty SQLite store), s | "
              f"{apply['s']:.2f} | | {apply['s'] / ref['s']:.1f}× |")  # fmt: skip
        print(f"| apply, peak RSS MB | {apply['rss_mb']:.0f} | | |")
        print(f"| apply → township.changed at a subscriber, s | {announced:.2f} | | |")
        print(f"| apply → the new township fetched whole by a client, s | {fetched:.2f} | | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
