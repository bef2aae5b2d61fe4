"""Killed mid-submit (issue 23): phones sending reports at once while the gateway, then the
backend, is killed with SIGKILL. Every report the gateway acknowledged is in the store after
the restart, and the phones' retries (the same ids) leave each report there once: on a SQLite
file and on a real PostgreSQL server."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from domain.township import load_demo_township
from tests.processes import BackendProcess, GatewayProcess
from tests.services import staff_client

GRID = load_demo_township().grids["V01G1"]
PHONES = 6
REPORTS = 24
"""Within a sign-in's burst (gateway.state: 30 at once), so no phone is told to wait."""


@pytest.fixture
def backend(db_url: str) -> Iterator[BackendProcess]:
    process = BackendProcess(db_url, "--no-demo").start(timeout=60)
    try:
        yield process
    finally:
        if process.alive:
            process.kill()


def _reports() -> list[dict[str, Any]]:
    return [{"id": str(uuid.uuid4()), "category": "municipal_damage", "lat": GRID.lat,
             "lon": GRID.lon, "description": f"第{k}处路灯不亮", "reported_at": time.time()}
            for k in range(REPORTS)]  # fmt: skip


def _send_all(url: str, token: str, reports: list[dict[str, Any]],
              kill: Callable[[], object]) -> dict[str, int]:  # fmt: skip
    """Each report from one of PHONES threads; `kill` after a few are acknowledged. The
    status each got (0: the connection failed)."""
    got: dict[str, int] = {}
    acknowledged = threading.Event()
    lock = threading.Lock()

    def send(report: dict[str, Any]) -> None:
        try:
            with httpx.Client(base_url=url, timeout=20.0) as http:
                auth = {"Authorization": f"Bearer {token}"}
                status = http.post("/v1/reports", json=report, headers=auth).status_code
        except httpx.HTTPError:
            status = 0
        with lock:
            got[report["id"]] = status
            if sum(1 for s in got.values() if s in (200, 201)) >= 4:
                acknowledged.set()

    with ThreadPoolExecutor(PHONES) as pool:
        futures = [pool.submit(send, r) for r in reports]
        assert acknowledged.wait(60), got
        kill()
        for f in futures:
            f.result()
    return got


def _stored(backend: BackendProcess) -> list[str]:
    with staff_client(backend.router, timeout=15.0) as desk:
        return [i["id"] for i in desk.snapshot()[1]]


def _sign_in(url: str) -> str:
    with httpx.Client(base_url=url, timeout=30.0) as http:
        answer = http.post("/v1/session", json={"user": "worker", "password": "demo"})
        assert answer.status_code == 201, answer.text
        token: str = answer.json()["token"]
        return token


def _retry_all(url: str, token: str, reports: list[dict[str, Any]]) -> None:
    with httpx.Client(base_url=url, timeout=30.0) as http:
        for report in reports:
            answer = http.post("/v1/reports", json=report,
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            assert answer.status_code in (200, 201), answer.text


def test_a_gateway_killed_mid_submit_loses_and_doubles_nothing(backend: BackendProcess) -> None:
    gateway = GatewayProcess(backend.router).start()
    reports = _reports()
    got = _send_all(gateway.url, _sign_in(gateway.url), reports,
                    lambda: gateway.stop(signal.SIGKILL))  # fmt: skip
    acknowledged = {i for i, s in got.items() if s in (200, 201)}
    assert acknowledged and len(acknowledged) < REPORTS, got  # killed before the end
    assert acknowledged <= set(_stored(backend))  # nothing acknowledged is lost
    gateway = GatewayProcess(backend.router).start()  # tokens were its memory: sign in again
    try:
        _retry_all(gateway.url, _sign_in(gateway.url), reports)
    finally:
        gateway.stop()
    stored = _stored(backend)
    assert sorted(stored) == sorted(r["id"] for r in reports)  # each once, none lost


def test_a_backend_killed_mid_submit_loses_and_doubles_nothing(backend: BackendProcess) -> None:
    gateway = GatewayProcess(backend.router).start()
    try:
        reports = _reports()
        token = _sign_in(gateway.url)
        got = _send_all(gateway.url, token, reports, backend.kill)
        acknowledged = {i for i, s in got.items() if s in (200, 201)}
        assert acknowledged and set(got.values()) <= {200, 201, 503}, got  # said, not dropped
        backend.start(timeout=60)
        assert acknowledged <= set(_stored(backend))
        _retry_all(gateway.url, _sign_in(gateway.url), reports)
        assert sorted(_stored(backend)) == sorted(r["id"] for r in reports)
    finally:
        gateway.stop()
