"""The audit trail (docs/security.md): every changing request recorded with its result before
its answer goes out, hash-chained, append-only in the database, and a changed, removed or
inserted entry found by `python -m backend audit verify`."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from backend.log_lines import FORMAT, OneLineFormatter
from backend.service.audit_trail import AuditTrail
from backend.store import Store
from client.request import RequestError
from domain.audit import (
    GENESIS,
    PRUNED,
    RESTORED,
    WITNESS_LINE,
    AuditChain,
    AuditEntry,
    Pruned,
    check_witnesses,
    entry_hash,
    restore_windows,
    verify,
)
from domain.lifecycle import Action, Command
from domain.patrol import PatrolReport
from domain.township import Role
from domain.wire import Message, MsgType, encode
from tests.helpers import demo_reports
from tests.services import Service

REPO = Path(__file__).resolve().parents[1]


def _chain(n: int) -> list[AuditEntry]:
    chain = AuditChain()
    who = ("值班员甲", "duty_officer", "desk-01", "command.accept")
    return [chain.add(1000.0 + k, *who, f"incident-{k}", "ok") for k in range(n)]


def test_a_chain_verifies_and_each_kind_of_tampering_is_found() -> None:
    entries = _chain(5)
    assert entries[0].prev == GENESIS and entries[1].prev == entries[0].hash
    assert verify(entries, first_prev=GENESIS) == []
    changed = [*entries]
    changed[2] = dataclasses.replace(entries[2], result="not_allowed")
    assert [(b.seq, "changed" in b.why) for b in verify(changed)] == [(3, True)]
    removed = entries[:2] + entries[3:]
    assert [b.seq for b in verify(removed)] == [4, 4]  # a gap, and a broken link
    forged = dataclasses.replace(entries[2], who="别人", hash="")
    forged = dataclasses.replace(forged, hash=entry_hash(forged.fields()))  # rehashed, too
    breaks = verify([*entries[:2], forged, *entries[3:]])
    assert [b.seq for b in breaks] == [4]  # the next entry no longer follows it
    assert verify(entries[1:], first_prev=GENESIS)[0].why.startswith("the chain does not start")


def _verify_cli(url: str, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend", "audit", "verify", "--db", url, *more],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _cut(sqlite_url: str, where: str, *params: object) -> None:
    """Someone with the database file drops the guard and deletes entries `where` says."""
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        conn.execute("DROP TRIGGER audit_log_keep")
        conn.execute(f"DELETE FROM audit_log WHERE {where}", params)


def test_changing_requests_are_audited_before_they_are_answered_and_the_trail_holds(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    service = service_factory()
    report, other = demo_reports(2, seed=41)
    with service.client() as c:
        ack = c.submit_report(report)
        # Answered: so already in the trail.
        assert service.store.audit()[-1].subject == report.id
        assert not c.submit_report(report).body["created"]
        c.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
        with pytest.raises(RequestError, match="not_allowed"):
            c.command(Command(report.id, Action.DISPATCH, 2, "网格员乙", Role.GRID_WORKER,
                              {"department": "sifasuo"}))  # fmt: skip
        captured = encode(Message(MsgType.COMMAND, Command(
            other.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR).to_wire(),
            session=c.logins[Role.SUPERVISOR].token))  # fmt: skip
        c.submit_report(other)
        c.send_raw(captured)
        c.receive()
        c.send_raw(captured)
        assert c.receive().body["code"] == "replayed"
        now = time.time()
        c.submit_patrol(PatrolReport(str(uuid.uuid4()), "P0226", "V01G1", now - 900, now - 5,
                                     1200.0, (), ()))  # fmt: skip
        c.request(MsgType.SNAPSHOT_REQUEST)  # reads are not audited
    trail = [(e.what, e.subject, e.result) for e in service.store.audit()]
    assert trail[0][0] == "township.applied"  # the test's township, applied before the start
    assert [t[0] for t in trail[1:7]] == ["login"] * 6  # the client's staff logging in
    trail = trail[7:]
    assert trail[:2] == [
        ("report.submit", report.id, "ok"),
        ("report.submit", report.id, "ok, known already"),
    ]
    assert ("command.accept", report.id, "ok") in trail
    assert ("command.dispatch", report.id, "not_allowed") in trail
    assert trail.count(("command.accept", other.id, "ok")) == 1
    assert ("command.accept", other.id, "replayed") in trail
    assert trail[-1][0] == "patrol.submit" and len(trail) == 8
    accepted = next(e for e in service.store.audit() if e.what == "command.accept")
    assert (accepted.who, accepted.role, accepted.console) == ("supervisor", "supervisor", "plain")
    # No personal data: not the reporter's name, not the description.
    dump = orjson.dumps([e.fields() for e in service.store.audit()]).decode()
    assert report.reporter not in dump and report.description not in dump
    assert ack.body["incident"]["reporter"] == report.reporter  # (it was there to leak)
    service.close()
    again = service_factory()  # the chain goes on across a restart
    with again.client() as c:
        c.command(Command(other.id, Action.DISPATCH, 2, "带班领导", Role.SUPERVISOR,
                          {"department": "sifasuo"}))  # fmt: skip
    again.close()
    done = _verify_cli(sqlite_url)
    # 8 requests and one more after the restart, with 6 logins before each
    assert done.returncode == 0 and "intact: 22 entries" in done.stdout, done.stderr


def test_the_database_refuses_to_change_a_row_and_verify_finds_one_changed_behind_its_back(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    service = service_factory()
    with service.client() as c:
        for r in demo_reports(3, seed=42):
            c.submit_report(r)
    service.close()
    db = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        for sql in ("UPDATE audit_log SET result = 'x' WHERE seq = 2",
                    "DELETE FROM audit_log WHERE seq = 2"):  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError, match="audit_log"):
                conn.execute(sql)
    # Someone with the database file drops the guards and edits an entry: verify says which.
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET result = 'conflict' WHERE seq = 2")
    done = _verify_cli(sqlite_url)
    assert done.returncode == 1
    assert "entry 2: its fields do not match its hash" in done.stderr
    _cut(sqlite_url, "seq = 2")
    done = _verify_cli(sqlite_url)
    assert done.returncode == 1 and "entry 3: entries 2–2 missing" in done.stderr


@pytest.mark.slow
def test_the_newest_entries_cut_off_are_found_by_the_heads_the_log_witnessed(
    service_factory: Callable[..., Service],
    sqlite_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="backend.audit_witness")
    service = service_factory()
    with service.client() as c:
        for r in demo_reports(4, seed=43):
            c.submit_report(r)
    service.close()  # the head at stop goes to the log
    heads = [r.getMessage() for r in caplog.records if r.name == "backend.audit_witness"]
    assert heads and heads[-1].startswith(f"audit head seq={service.server.audit_chain.seq} ")
    log = tmp_path / "backend.log"
    log.write_text("\n".join(f"2026-11-24 12:00:00 INFO backend.audit_witness: {h}" for h in heads))
    assert _verify_cli(sqlite_url, "--witness-log", str(log)).returncode == 0
    # Someone drops the guard and deletes the newest entries: the chain that is left is whole.
    _cut(sqlite_url, "seq > ?", service.server.audit_chain.seq - 2)
    assert _verify_cli(sqlite_url).returncode == 0  # the table alone cannot tell
    done = _verify_cli(sqlite_url, "--witness-log", str(log))
    assert done.returncode == 1
    assert f"entry {service.server.audit_chain.seq}: witnessed in the log" in done.stderr
    assert "cut off" in done.stderr


def test_a_flood_without_a_login_is_counted_on_the_record_not_written_entry_by_entry(
    service_factory: Callable[..., Service],
) -> None:
    """Issue 18, item 7: 150,000 camera.health requests from a console with no login had added
    ~99,000 entries. Now the first of a minute is an entry, the rest one entry with a count."""
    service = service_factory()
    health = {"cameras": {"C001": {"state": "live", "since": None}}}
    n = 300
    with service.client(staff=False) as c:
        for _ in range(n):
            with pytest.raises(RequestError, match="not_logged_in"):
                c.request(MsgType.CAMERA_HEALTH, health)
        assert len(service.store.audit()) < 10  # not one per request
    service.close()  # a stop cuts the minute short: its count is written, not lost
    trail = service.store.audit()
    firsts = [e for e in trail if e.what == "camera.health" and e.result == "not_logged_in"]
    counted = [e for e in trail if e.what == "requests.refused"]
    assert len(firsts) == 1 and len(counted) == 1
    assert counted[0].result == "not_logged_in" and counted[0].detail["count"] == n - 1
    assert counted[0].detail["by_type"] == {"camera.health": n - 1}
    assert verify(trail, first_prev=GENESIS) == []


def _trail(sqlite_url: str, times: list[float]) -> tuple[Store, AuditChain, list[AuditEntry]]:
    """A store whose trail has an entry at each of `times`, and the chain that made them."""
    store = Store(sqlite_url)
    store.migrate()
    chain = AuditChain()
    who = ("值班员甲", "duty_officer", "desk-01", "command.accept")
    entries = [chain.add(t, *who, f"i{k}", "ok") for k, t in enumerate(times)]
    store.add_audit(entries)
    return store, chain, entries


def _aged_trail(sqlite_url: str) -> tuple[Store, list[AuditEntry]]:
    """A store whose trail began 200 days ago: two entries past the retention, then today's."""
    old = time.time() - 200 * 86_400
    store, _chain, entries = _trail(
        sqlite_url, [old, old + 1, *(time.time() - 60 + k for k in range(5))]
    )
    return store, entries


def test_a_pruning_is_on_the_record_and_the_oldest_entries_cut_off_are_named(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Issue 18, item 5: `audit verify` took a first entry past 1 for a pruning without asking
    its age, and skipped witness heads older than it: deleting entries minutes old (triggers
    dropped) left "audit trail intact". Now a pruning writes `audit.pruned`, naming the last
    entry it let go; a trail that starts later without one is named cut off."""
    store, entries = _aged_trail(sqlite_url)
    trail = AuditTrail(store)
    trail.restore()
    trail.prune(now=time.time())  # the retention lets the first two go, on the record
    kept = store.audit()
    assert [e.seq for e in kept] == [3, 4, 5, 6, 7, 8]
    assert (kept[-1].what, kept[-1].detail["through_seq"]) == (PRUNED, 2)
    log = tmp_path / "backend.log"
    log.write_text(
        f"2026-06-01 09:00:00,001 INFO backend.audit_witness: audit head seq=2 "
        f"hash={entries[1].hash}\n"  # a head witnessed before the pruning: let go with it
    )
    done = _verify_cli(sqlite_url, "--witness-log", str(log))
    assert done.returncode == 0 and "intact: 6 entries" in done.stdout, done.stderr
    store.close()
    _cut(sqlite_url, "seq <= 4")  # the oldest entries, minutes old
    done = _verify_cli(sqlite_url)
    assert done.returncode == 1
    assert "entry 5: entries 1–4 missing, and no pruning recorded them" in done.stderr
    log.write_text(
        f"2026-12-01 09:00:00,001 INFO backend.audit_witness: audit head seq=4 "
        f"hash={entries[3].hash}\n"
    )
    done = _verify_cli(sqlite_url, "--witness-log", str(log))
    assert "entry 4: witnessed in the log" in done.stderr  # not skipped as pruned


def test_a_witness_line_cannot_be_planted_through_a_value_a_request_carried(
    service_factory: Callable[..., Service], sqlite_url: str, tmp_path: Path
) -> None:
    """Issue 18, item 5: a witness line planted through an echoed request value made `verify`
    report a false break. Witnesses are whole lines of the witness's own logger, and the
    backend's log writes every message on one line, its line breaks escaped."""
    service = service_factory()
    with service.client() as c:
        for r in demo_reports(2, seed=44):
            c.submit_report(r)
    service.close()
    forged = f"audit head seq=2 hash={'f' * 64}"
    record = logging.LogRecord("backend.server", logging.WARNING, __file__, 1,
                               "refused a login by %s", (f"x\n2026-12-03 10:00:00,000 INFO "
                               f"backend.audit_witness: {forged}",), None)  # fmt: skip
    written = OneLineFormatter(FORMAT).format(record)
    assert "\n" not in written
    log = tmp_path / "backend.log"
    log.write_text(written + f"\n2026-12-03 10:00:01,000 WARNING backend.server: echoed {forged}\n")
    assert not WITNESS_LINE.findall(log.read_text())
    done = _verify_cli(sqlite_url, "--witness-log", str(log))
    assert done.returncode == 0, done.stderr


def test_a_pruning_forged_by_someone_with_the_file_is_caught_by_the_heads_witnessed(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A review cut entries minutes old and appended an `audit.pruned` of its own (the chain has
    no secret: anyone with the file can hash one): `verify` said intact, with the log too. The
    table alone cannot tell; the log can: a head it witnessed an hour ago cannot have been
    older than the retention when the forged pruning says it let it go."""
    store, chain, entries = _trail(sqlite_url, [time.time() - 3600 + k for k in range(6)])
    when = time.strftime("%Y-%m-%d %H:%M:%S,000", time.localtime(entries[2].at))
    log = tmp_path / "backend.log"
    log.write_text(f"{when} INFO backend.audit_witness: audit head seq=3 hash={entries[2].hash}\n")
    store.close()
    db = sqlite_url.removeprefix("sqlite:///")
    forged = chain.add(time.time(), "backend", "system", "backend", PRUNED, "4", "ok",
                       {"through_seq": 4, "through_hash": entries[3].hash,
                        "through_at": time.time() - 181 * 86_400})  # fmt: skip
    _cut(sqlite_url, "seq <= 4")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO audit_log (seq, at, who, role, console, what, subject, result, detail, "
            "prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (forged.seq, forged.at, forged.who, forged.role, forged.console, forged.what,
             forged.subject, forged.result, orjson.dumps(forged.detail).decode(), forged.prev,
             forged.hash),
        )  # fmt: skip
    assert _verify_cli(sqlite_url).returncode == 0  # the table alone cannot tell (documented)
    done = _verify_cli(sqlite_url, "--witness-log", str(log))
    assert done.returncode == 1
    assert (
        "entry 3: witnessed on" in done.stderr and "too recent to have been pruned" in done.stderr
    )


def test_heads_witnessed_between_a_backup_and_its_restore_are_the_replaced_services_only() -> None:
    """Found walking docs/operations.md: after a restore (or a rollback) every check reported
    the live log's newer heads as a cut, for a year; a flag that skipped every later line
    checked nothing any more. The restore's own entry bounds what is explained."""
    chain = AuditChain()
    kept = {e.seq: e.hash for e in (chain.add(t, "a", "r", "c", "w", "s", "ok") for t in (1, 2))}
    backup_at, restored_at = 100.0, 200.0
    replaced = [(backup_at, restored_at)]
    old_service = (3, "f" * 64, 150.0)  # witnessed by the service the restore replaced
    before = (2, "e" * 64, 90.0)  # a head changed before the backup: a break still
    after = (3, "d" * 64, 250.0)  # this store's head 3 after the restore, not as witnessed
    found = check_witnesses(kept, [old_service, before, after, old_service], Pruned(), replaced)
    assert [b.seq for b in found] == [2, 3], "only the replaced service's head is explained"
    assert check_witnesses(kept, [old_service], Pruned()) != [], "no restore recorded: a cut"
    restored = chain.add(restored_at, "restore", "administrator", "backend", RESTORED, "store",
                         "ok", {"taken_at": backup_at, "backup_seq": 2})  # fmt: skip
    assert restore_windows([restored]) == replaced
