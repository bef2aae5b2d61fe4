"""The store on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sqlite3
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.demo.reporter import make_demo_report
from backend.schema import Base
from backend.store import ReportConflict, Store
from domain.audit import AuditChain, verify
from domain.incident import Channel, IncidentState
from domain.resources import load_config
from domain.township import load_demo_township


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    s.migrate()
    s.seed_township(load_demo_township())
    return s


def test_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], "the models changed without a migration"


def test_migrating_twice_is_harmless(store: Store) -> None:
    store.migrate()
    assert store.has_township()


@pytest.mark.parametrize("platform_set", ["classic", "1+4"])
def test_township_round_trips_through_the_store(store: Store, platform_set: str) -> None:
    assert store.load_township(platform_set) == load_demo_township(platform_set)


def test_a_report_is_stored_once_with_its_action(store: Store) -> None:
    report = make_demo_report(random.Random(1), load_demo_township(), load_config()["demo"])
    incident, created = store.intake(report)
    assert created and incident.number == 1 and incident.version == 1
    assert incident.state == IncidentState.REPORTED
    again, created_again = store.intake(report)
    assert not created_again and again == incident
    assert [i.id for i in store.incidents()] == [report.id]
    assert store.action_count(report.id) == 1


@pytest.mark.parametrize(
    ("channel", "role"),
    [(Channel.GRID_APP, "grid_worker"), (Channel.HOTLINE, "gateway"),
     (Channel.RESIDENT_APP, "gateway"), (Channel.CAMERA, "duty_officer")],
)  # fmt: skip
def test_a_reports_first_row_names_who_made_it(store: Store, channel: Channel, role: str) -> None:
    """Found by a fresh pair of eyes: a hotline report's row said grid_worker."""
    report = make_demo_report(random.Random(2), load_demo_township(), load_config()["demo"])
    store.intake(dataclasses.replace(report, channel=channel))
    (first,) = store.changes(report.id)
    assert first.action == "report" and first.role == role


def test_reusing_an_id_for_another_report_is_a_conflict(store: Store) -> None:
    rng = random.Random(2)
    township = load_demo_township()
    first = make_demo_report(rng, township, {})
    store.intake(first)
    other = make_demo_report(rng, township, {})
    clash = type(other)(**{**other.to_wire(), "id": first.id})
    with pytest.raises(ReportConflict, match=first.id):
        store.intake(clash)
    assert len(store.incidents()) == 1


def test_a_report_stored_by_an_older_version_sent_again_is_the_same_report(store: Store) -> None:
    """Digests were json.dumps' text before 2026-12: a phone's retry after an upgrade is not a
    conflict, and another report under that id still is."""
    rng = random.Random(4)
    township = load_demo_township()
    report = make_demo_report(rng, township, {})
    incident, _ = store.intake(report)
    canonical = json.dumps(report.to_wire(), sort_keys=True, ensure_ascii=False)
    old = hashlib.sha256(canonical.encode()).hexdigest()
    with store.engine.begin() as c:
        c.execute(text("UPDATE incident SET report_digest = :d"), {"d": old})
    assert store.intake(report) == (incident, False)
    other = make_demo_report(rng, township, {})
    with pytest.raises(ReportConflict):
        store.intake(type(other)(**{**other.to_wire(), "id": report.id}))


def test_numbers_follow_arrival(store: Store) -> None:
    rng = random.Random(3)
    township = load_demo_township()
    numbers = [store.intake(make_demo_report(rng, township, {}))[0].number for _ in range(20)]
    assert numbers == list(range(1, 21))


def test_sqlite_is_durable_by_configuration(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    store.migrate()
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    path = sqlite_url.removeprefix("sqlite:///")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_audit_trail_is_append_only_in_the_database_and_kept_180_days(store: Store) -> None:
    """Both databases refuse to change an audit row or to delete one younger than 180 days;
    older ones may go (retention), and the chain is taken up from the first one kept."""
    chain = AuditChain()
    old = time.time() - 200 * 86_400
    who = ("值班员甲", "duty_officer", "desk-01", "command.accept")
    times = [old, old + 1, time.time(), time.time()]
    entries = [chain.add(t, *who, f"i{k}", "ok") for k, t in enumerate(times)]
    store.add_audit(entries)
    for sql in ("UPDATE audit_log SET result = 'x' WHERE seq = 3",
                "DELETE FROM audit_log WHERE seq = 3"):  # fmt: skip
        with pytest.raises(DBAPIError, match="audit_log"), store.unit_of_work() as s:
            s.execute(text(sql))
    pruned = store.prune_audit(time.time())
    assert pruned is not None and (pruned.seq, pruned.hash) == (2, entries[1].hash)
    kept = store.audit()
    assert [e.seq for e in kept] == [3, 4]
    assert verify(kept) == []  # from the first kept, taken as given
    assert store.audit_head() == (4, entries[-1].hash)
