"""What logins and the role check cost (issue 7), each beside a reference in the same run.

Run: .venv/bin/python bench/logins.py [--quick]

login: 8 logins of a user made with `python -m backend users` (scrypt N=2^17), round trip,
against hashlib.scrypt with the same cost alone: the rest is the wire, the lookup and the
session's commit.
role check: 3,000 `hello` round trips under a login (the backend finds the session by the
token's SHA-256 and touches it) against 3,000 without one (no lookup), interleaved.
loop kept free: 15,000 hello round trips while another client logs in back to back (each hash 0.4 s
on the worker thread), against the same with nobody logging in.
--quick: the same code path in a few seconds (figures printed, not meaningful;
tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.passwords import USER_COST, hash_password  # noqa: E402
from backend.user_store import UserStore  # noqa: E402
from client.request import Login, RequestClient  # noqa: E402
from domain.township import Role  # noqa: E402
from domain.wire import MsgType  # noqa: E402
from tests.services import Service  # noqa: E402

PASSWORD = "bench-login-2026"
ROUND_TRIPS = 3_000


def _p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100)[q - 1]


def hellos(client: RequestClient, n: int, login: Login | None) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.request(MsgType.HELLO, login=login)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a few seconds in all")
    quick = parser.parse_args().quick
    round_trips = 200 if quick else ROUND_TRIPS
    folder = Path(tempfile.mkdtemp(prefix="bench-logins-"))
    service = Service(f"sqlite:///{folder}/bench.sqlite3")
    UserStore(service.store).add("bench", "测试员", Role.SUPERVISOR, hash_password(PASSWORD))
    try:
        with service.client(staff=False, timeout=30) as client:
            login_ms, scrypt_ms = [], []
            for _ in range(2 if quick else 8):
                started = time.perf_counter()
                login = client.log_in("bench", PASSWORD)
                login_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                hashlib.scrypt(PASSWORD.encode(), salt=os.urandom(16), n=1 << USER_COST, r=8,
                               p=1, maxmem=256 << 20, dklen=32)  # fmt: skip
                scrypt_ms.append((time.perf_counter() - started) * 1000)
            a, b = statistics.median(login_ms), statistics.median(scrypt_ms)
            print(f"login round trip: median {a:.0f} ms; scrypt alone {b:.0f} ms ({a / b:.2f}×)")

            hellos(client, 200, login)  # warm
            with_login: list[float] = []
            without: list[float] = []
            for _ in range(round_trips // 100):
                with_login += hellos(client, 100, login)
                without += hellos(client, 100, None)
            print(
                f"hello under a login: p50 {_p(with_login, 50):.3f} ms, "
                f"p99 {_p(with_login, 99):.3f} ms; without: p50 {_p(without, 50):.3f} ms, "
                f"p99 {_p(without, 99):.3f} ms ({_p(with_login, 50) / _p(without, 50):.2f}× p50, "
                f"{_p(with_login, 99) / _p(without, 99):.2f}× p99)"
            )

            idle = hellos(client, round_trips * 5, login)
            stop = threading.Event()
            logins = [0]

            def keep_logging_in() -> None:
                with service.client(staff=False, timeout=30) as other:
                    while not stop.is_set():
                        other.log_in("bench", PASSWORD)
                        logins[0] += 1

            thread = threading.Thread(target=keep_logging_in)
            thread.start()
            time.sleep(0.5)
            busy = hellos(client, round_trips * 5, login)
            stop.set()
            thread.join()
            print(
                f"hello while {logins[0]} logins ran: p50 {_p(busy, 50):.3f} ms, "
                f"p99 {_p(busy, 99):.3f} ms; idle: p50 {_p(idle, 50):.3f} ms, "
                f"p99 {_p(idle, 99):.3f} ms ({_p(busy, 50) / _p(idle, 50):.2f}× p50, "
                f"{_p(busy, 99) / _p(idle, 99):.2f}× p99)"
            )
    finally:
        service.close()


if __name__ == "__main__":
    main()
