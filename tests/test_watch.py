"""What a monitoring system watches (issue 21): GET /health and the Prometheus text endpoint of
a real backend process, read by Prometheus' own parser, and a database that stops answering."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from backend.log_lines import OutageFilter
from backend.service.watch import Watch, incident_figures
from domain.wire import MsgType
from tests.helpers import demo_reports, wait_for
from tests.processes import REPO, BackendProcess, PostgresServer, free_port
from tests.services import staff_client


def _get(address: str, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(f"http://{address}{path}", timeout=10) as r:
            return r.status, r.headers["Content-Type"], r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read().decode()


def _metrics(address: str) -> dict[str, float]:
    status, kind, text = _get(address, "/metrics")
    assert status == 200 and kind.startswith("text/plain; version=0.0.4")
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            label = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[sample.name + (f"{{{label}}}" if label else "")] = sample.value
    return found


@pytest.mark.slow
def test_a_running_backend_says_it_is_healthy_and_counts_what_a_monitor_needs(
    sqlite_url: str,
) -> None:
    backend = BackendProcess(sqlite_url, "--no-demo", "--metrics", "127.0.0.1:0").start()
    try:
        assert backend.metrics is not None
        wait_for(lambda: _get(str(backend.metrics), "/health")[0] == 200, what="healthy")
        _status, kind, body = _get(backend.metrics, "/health")
        health: dict[str, Any] = json.loads(body)
        assert kind == "application/json" and health["status"] == "ok"
        before = _metrics(backend.metrics)
        assert before["commandroom_up"] == 1 and before["commandroom_database_up"] == 1
        assert before["commandroom_township_version"] >= 1
        assert before["commandroom_disk_free_bytes{folder=database}"] > 0
        with staff_client(backend.router) as c:
            for report in demo_reports(5, seed=3):
                c.submit_report(report)
            assert c.request(MsgType.INDICATORS_REQUEST).type == MsgType.INDICATORS

            def counted() -> bool:
                now = _metrics(str(backend.metrics))
                return now["commandroom_reports_total"] - before["commandroom_reports_total"] >= 5

            wait_for(counted, interval=0.2, what="the five reports counted")
            after = _metrics(backend.metrics)
            assert after["commandroom_logins"] >= 1 and after["commandroom_consoles_connected"] >= 1
        assert after["commandroom_unacknowledged_incidents"] >= 5
        assert after["commandroom_oldest_unacknowledged_seconds"] > 0
        assert after["commandroom_audit_head_seq"] > before["commandroom_audit_head_seq"]
        assert after["commandroom_open_incidents"] >= 5
        assert _get(backend.metrics, "/nothing")[0] == 404
    finally:
        backend.stop()


def test_a_metrics_address_in_use_stops_the_start_with_a_clear_error(sqlite_url: str) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        backend = BackendProcess(sqlite_url, "--no-demo", "--metrics", f"127.0.0.1:{port}")
        with pytest.raises(RuntimeError, match="cannot be served"):
            backend.start()
    finally:
        taken.close()


@pytest.mark.postgres
def test_a_database_that_stops_answering_turns_the_health_to_503_and_says_why() -> None:
    server = PostgresServer().start()
    engine = create_engine(server.url)
    watch = Watch(lambda: {"reports_total": 3.0}, engine, {})
    try:
        watch.take()
        assert watch.health()[0] and "commandroom_database_up 1" in watch.exposition()
        server.stop()
        watch.take()
        healthy, body = watch.health()
        assert not healthy and body["status"] == "database" and "does not answer" in body["why"]
        assert "commandroom_up 0" in watch.exposition()
        assert "commandroom_reports_total 3" in watch.exposition()
    finally:
        engine.dispose()
        server.stop()


def test_before_the_first_tick_the_backend_is_starting_not_healthy() -> None:
    engine = create_engine(f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x")
    watch = Watch(dict, engine, {})
    healthy, body = watch.health()
    assert not healthy and body["status"] == "starting"
    assert "commandroom_tick_age_seconds -1" in watch.exposition()


def test_the_oldest_waiting_report_is_the_one_not_yet_taken_in() -> None:
    incidents = {
        "a": {"state": "passed_up", "received_at": 1000.0},
        "b": {"state": "reported", "received_at": 1500.0},
        "c": {"state": "accepted", "received_at": 10.0},
    }
    assert incident_figures(incidents, 2000.0) == {
        "unacknowledged_incidents": 2.0,
        "oldest_unacknowledged_seconds": 1000.0,
    }
    assert incident_figures({}, 2000.0)["oldest_unacknowledged_seconds"] == 0.0


class _Kept(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_database_outage_is_one_traceback_and_a_count_not_a_flood() -> None:
    """Found walking docs/operations.md: 10 s without the database wrote 1,379 log lines."""
    records: list[logging.LogRecord] = []
    handler = _Kept(records)
    quiet = OutageFilter(quiet_s=3600)
    handler.addFilter(quiet)
    logger = logging.getLogger("test.outage")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for _ in range(200):
            try:
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
            except OperationalError:
                logger.exception("reading the users failed")
        logger.warning("something else")
    finally:
        logger.removeHandler(handler)
    assert len(records) == 2 and records[0].exc_info and quiet.left_out == 199
    quiet._last -= 7200  # an hour on: the next failure says how many were left out
    error = OperationalError("x", {}, ConnectionRefusedError())
    later = logging.LogRecord("x", logging.ERROR, "", 0, "again", None,
                              (OperationalError, error, None))  # fmt: skip
    assert quiet.filter(later) and "199 more database failures left out" in str(later.msg)
    assert later.exc_info is None, "the count, not another traceback"


@pytest.mark.parametrize("tool", [("--plain",), ("users", "list"), ("audit", "verify")])
def test_a_database_that_does_not_answer_at_start_is_one_line(tool: tuple[str, ...]) -> None:
    dead = f"postgresql+psycopg://x:secret@127.0.0.1:{free_port()}/township"
    done = subprocess.run([sys.executable, "-m", "backend", *tool, "--db", dead], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 1, "the service unit tries again"
    assert "the database does not answer" in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
