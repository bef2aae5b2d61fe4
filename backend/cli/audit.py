"""`python -m backend audit verify|show`: check the audit trail's hash chain, or read its end.

verify         every entry against its hash and the one before it; exit status 1 and
               each break named when something was changed, removed or inserted
  --witness-log FILE   also against the heads the backend wrote to its log (every hour
               and at stop: "audit head seq=N hash=H"): finds the newest entries removed;
               default: the configuration's witness_log and its rotated copies (.gz too)
  --restored-from BACKUP_DIR   the store was restored from that backup (or rolled back to
               it): heads witnessed after it was taken are counted, not taken for a cut
show [--last N]  the newest entries, oldest first
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from backend.config import path_setting
from backend.paths import existing_store_url
from backend.store import Store
from domain.audit import (
    GENESIS,
    PRUNED,
    AuditEntry,
    check_head,
    check_witnesses,
    verify,
    witnessed_in,
)

PAGE = 50_000


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend audit", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy URL (default: the backend's, if it exists)")
    sub = p.add_subparsers(dest="what", required=True)
    check = sub.add_parser("verify", parents=[common])
    check.add_argument("--witness-log", type=Path, action="append", default=[])
    check.add_argument("--restored-from", type=Path, metavar="BACKUP_DIR",
                       help="this store was restored from that backup: witness lines written "
                       "after it was taken are counted, not checked")  # fmt: skip
    show = sub.add_parser("show", parents=[common])
    show.add_argument("--last", type=int, default=20)
    args = p.parse_args(argv)
    store = Store(existing_store_url(args.db))
    try:
        if args.what == "verify":
            taken = None if args.restored_from is None else _taken_at(args.restored_from)
            return _verify(store, args.witness_log or _configured_logs(), taken)
        head, _ = store.audit_head()
        for e in store.audit(after_seq=max(0, head - args.last), limit=args.last):
            when = dt.datetime.fromtimestamp(e.at, store.rules.calendar.tz).isoformat(
                " ", "seconds"
            )
            print(f"{e.seq:>8} {when} {e.console:<16} {e.who or '-':<10} {e.role or '-':<18} "
                  f"{e.what:<22} {e.subject:<36} {e.result}")  # fmt: skip
        return 0
    finally:
        store.close()


def _entries(store: Store) -> Iterator[AuditEntry]:
    after = 0
    while page := store.audit(after_seq=after, limit=PAGE):
        yield from page
        after = page[-1].seq


def _configured_logs() -> list[Path]:
    """The configuration's witness log and what logrotate kept of it (backend.log.1, .2.gz…)."""
    log = path_setting("witness_log")
    if log is None or not log.exists():
        return []
    return [log, *sorted(log.parent.glob(log.name + ".*"))]


def _log_text(path: Path) -> str:
    """A log, or one logrotate compressed (deploy/logrotate: backend.log.2.gz)."""
    if path.suffix == ".gz":
        with gzip.open(path, "rt", errors="replace") as f:
            return f.read()
    return path.read_text(errors="replace")


def _taken_at(backup: Path) -> float:
    try:
        manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
        return float(manifest["taken_at"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f"audit verify: {backup} is not a backup's folder: {e}") from None


def _verify(store: Store, witness_logs: list[Path], restored_at: float | None = None) -> int:
    """From the first entry kept: GENESIS before entry 1, taken as given after pruning."""
    count, last = 0, "-"
    hashes: dict[int, str] = {}
    checkpoints: list[AuditEntry] = []

    def counted() -> Iterator[AuditEntry]:
        nonlocal count, last
        for e in _entries(store):
            count, last = count + 1, e.hash[:16]
            if witness_logs:
                hashes[e.seq] = e.hash
            if e.what == PRUNED:
                checkpoints.append(e)
            yield e

    first = store.audit(limit=1)
    breaks = verify(counted(), first_prev=GENESIS if first and first[0].seq == 1 else None)
    pruned, cut = check_head(first[0] if first else None, checkpoints)
    breaks = cut + breaks
    witnessed = [w for path in witness_logs for w in witnessed_in(_log_text(path))]
    later = []
    if restored_at is not None:  # what the live service did after the backup was taken
        later = [w for w in witnessed if w[2] is not None and w[2] > restored_at]
        witnessed = [w for w in witnessed if w not in later]
    breaks += check_witnesses(hashes, witnessed, pruned)
    if witness_logs:
        print(f"{len(set(witnessed))} witnessed head(s) checked")
    if later:
        print(f"{len({(w[0], w[1]) for w in later})} head(s) witnessed after the backup was "
              "taken: not in this store, as a restore leaves them")  # fmt: skip
    if breaks:
        for b in breaks:
            print(f"entry {b.seq}: {b.why}", file=sys.stderr)
        print(f"audit trail BROKEN: {len(breaks)} break(s) in {count} entries", file=sys.stderr)
        return 1
    print(f"audit trail intact: {count} entries, the last {last}…")
    return 0
