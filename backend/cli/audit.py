"""`python -m backend audit verify|show`: check the audit trail's hash chain, or read its end.

verify         every entry against its hash and the one before it; exit status 1 and
               each break named when something was changed, removed or inserted
  --witness-log FILE   also against the heads the backend wrote to its log (every hour
               and at stop: "audit head seq=N hash=H"): finds the newest entries removed;
               default: the configuration's witness_log and its rotated copies (.gz too)
               (a head witnessed between a backup and a restore recorded in the trail
               is the replaced service's, not a cut)
show [--last N]  the newest entries, oldest first
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import sys
from collections.abc import Iterator
from pathlib import Path

from backend.paths import existing_store_url
from backend.store import Store
from client.settings import path_setting
from domain.audit import (
    GENESIS,
    PRUNED,
    RESTORED,
    AuditEntry,
    check_head,
    check_witnesses,
    restore_windows,
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
    show = sub.add_parser("show", parents=[common])
    show.add_argument("--last", type=int, default=20)
    args = p.parse_args(argv)
    store = Store(existing_store_url(args.db))
    try:
        if args.what == "verify":
            return _verify(store, args.witness_log or _configured_logs())
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


def _verify(store: Store, witness_logs: list[Path]) -> int:
    """From the first entry kept: GENESIS before entry 1, taken as given after pruning."""
    count, last = 0, "-"
    hashes: dict[int, str] = {}
    checkpoints: list[AuditEntry] = []
    restores: list[AuditEntry] = []

    def counted() -> Iterator[AuditEntry]:
        nonlocal count, last
        for e in _entries(store):
            count, last = count + 1, e.hash[:16]
            if witness_logs:
                hashes[e.seq] = e.hash
            if e.what == PRUNED:
                checkpoints.append(e)
            elif e.what == RESTORED:
                restores.append(e)
            yield e

    first = store.audit(limit=1)
    breaks = verify(counted(), first_prev=GENESIS if first and first[0].seq == 1 else None)
    pruned, cut = check_head(first[0] if first else None, checkpoints)
    breaks = cut + breaks
    witnessed = [w for path in witness_logs for w in witnessed_in(_log_text(path))]
    windows = restore_windows(restores)
    breaks += check_witnesses(hashes, witnessed, pruned, windows)
    if witness_logs:
        print(f"{len({(w[0], w[1]) for w in witnessed})} witnessed head(s) checked")
        replaced = {(s_, h) for s_, h, at in witnessed if hashes.get(s_) != h and at is not None
                    and any(a - 1 < at < b for a, b in windows)}  # fmt: skip
        if replaced:
            print(
                f"{len(replaced)} of them witnessed between a backup and its restore "
                "(store.restored in the trail): the replaced service's, not this store's"
            )
    if breaks:
        for b in breaks:
            print(f"entry {b.seq}: {b.why}", file=sys.stderr)
        print(f"audit trail BROKEN: {len(breaks)} break(s) in {count} entries", file=sys.stderr)
        return 1
    print(f"audit trail intact: {count} entries, the last {last}…")
    return 0
