"""The audit trail (docs/security.md): who, in which role, from which console, when, did what to
what, and with what result; append-only and hash-chained, so that a changed, removed or inserted
entry is found by `verify`.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields in
canonical JSON. Entries hold no personal data: incident numbers and ids, actions and error codes,
never a reporter's name, a phone number or free text. The table alone cannot tell that its newest
entries were removed; the backend's log, kept elsewhere, witnesses the head every hour.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

GENESIS = "0" * 64
RETENTION_DAYS = 180
"""The Cybersecurity Law asks for six months of logs; older entries may be pruned, never newer."""
PRUNED = "audit.pruned"
"""The entry a pruning writes: `through_seq`, `through_hash`, `through_at` of the last entry let
go. A trail whose first entry is not 1 must hold one naming the entry before its first."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: float
    who: str
    """The login, as the backend holds it (a login's own entry: the name tried)."""
    role: str
    console: str
    """The enrolled name of the console's key; "plain" on a plain-text link."""
    what: str
    """The request's type, and the action for commands: "command.dispatch", "report.submit"."""
    subject: str
    """What it was done to: an incident's id, a report's, a patrol's, a key's name."""
    result: str
    """"ok", or the error code the request was refused with."""
    detail: dict[str, Any] = field(default_factory=dict)
    prev: str = GENESIS
    hash: str = ""

    def fields(self) -> dict[str, Any]:
        """Every field but the hash (a shallow copy: `asdict`'s deep copy was a quarter of a
        report's intake)."""
        return {
            "seq": self.seq, "at": self.at, "who": self.who, "role": self.role,
            "console": self.console, "what": self.what, "subject": self.subject,
            "result": self.result, "detail": self.detail, "prev": self.prev,
        }  # fmt: skip


def entry_hash(fields: dict[str, Any]) -> str:
    canonical = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(str(fields["prev"]).encode() + canonical).hexdigest()


RESTORED = "store.restored"
"""The entry a restore writes at the end of the restored trail: {"taken_at", "backup_seq"}."""


def restore_windows(entries: Iterable[AuditEntry]) -> list[tuple[float, float]]:
    """(backup taken, restored) for each restore on the record: the heads a live log witnessed
    in between belong to the service that was replaced."""
    return [(float(e.detail.get("taken_at", e.at)), e.at) for e in entries if e.what == RESTORED]


class AuditChain:
    """Makes entries in order; the caller writes them in that order."""

    def __init__(self, last_seq: int = 0, last_hash: str = GENESIS) -> None:
        self.seq, self.hash = last_seq, last_hash

    def add(
        self,
        at: float,
        who: str,
        role: str,
        console: str,
        what: str,
        subject: str,
        result: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        draft = AuditEntry(
            self.seq + 1, at, who[:64], role[:32], console[:64], what[:64], subject[:64],
            result[:32], detail or {}, self.hash,
        )  # fmt: skip
        entry = dataclasses.replace(draft, hash=entry_hash(draft.fields()))
        self.seq, self.hash = entry.seq, entry.hash
        return entry


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    why: str


def verify(entries: Iterable[AuditEntry], first_prev: str | None = None) -> list[Break]:
    """Every break in the chain, oldest first: an entry whose hash does not match its fields (it
    was changed), whose `prev` is not the hash before it, or a number skipped (removed or
    inserted). `first_prev`: what the first entry's `prev` must be (GENESIS unless older
    entries were pruned, when it is taken as given)."""
    breaks: list[Break] = []
    before: AuditEntry | None = None
    for entry in entries:
        if entry_hash(entry.fields()) != entry.hash:
            breaks.append(Break(entry.seq, "its fields do not match its hash: changed"))
        if before is None:
            if first_prev is not None and entry.prev != first_prev:
                breaks.append(Break(entry.seq, "the chain does not start where it should"))
        else:
            if entry.seq != before.seq + 1:
                breaks.append(Break(entry.seq, f"entries {before.seq + 1}–{entry.seq - 1} missing"))
            if entry.prev != before.hash:
                breaks.append(Break(entry.seq, "does not follow the entry before it"))
        before = entry
    return breaks


@dataclass(frozen=True, slots=True)
class Pruned:
    """What a recorded pruning let go: entries through `through`, at `at` (0, 0.0: none)."""

    through: int = 0
    at: float = 0.0


def check_head(
    first: AuditEntry | None, checkpoints: Iterable[AuditEntry]
) -> tuple[Pruned, list[Break]]:
    """Whether the entries before the first kept were pruned, as an `audit.pruned` entry in the
    chain says (the one before the first, older than the retention when it went), or cut off.
    Returns what was pruned and the break, if any. Someone with the file can write such an
    entry too (the chain has no secret): the witnessed heads' times are what catch that."""
    if first is None or first.seq == 1:
        return Pruned(), []
    for c in checkpoints:
        d = c.detail
        if (
            c.what == PRUNED
            and d.get("through_seq") == first.seq - 1
            and d.get("through_hash") == first.prev
            and isinstance(d.get("through_at"), int | float)
            and c.at - d["through_at"] >= RETENTION_DAYS * 86_400
        ):
            return Pruned(first.seq - 1, c.at), []
    why = f"entries 1–{first.seq - 1} missing, and no pruning recorded them: the oldest cut off"
    return Pruned(), [Break(first.seq, why)]


WITNESS_LINE = re.compile(
    r"^(\S+ \S+) INFO backend\.audit_witness: audit head seq=(\d+) hash=([0-9a-f]{64})\s*$",
    re.MULTILINE,
)
"""What the backend writes to its log (outside the database) every hour and when it stops: a
whole line of the witness's own logger (a request's value echoed in another line, or inside
one, is not a witness; the backend's log writes each message on one line)."""


def witness_line(seq: int, hash_: str) -> str:
    return f"audit head seq={seq} hash={hash_}"


def witnessed_in(log_text: str) -> list[tuple[int, str, float | None]]:
    """The heads a backend's log witnessed: seq, hash, and when (the line's local time)."""
    found = []
    for m in WITNESS_LINE.finditer(log_text):
        try:
            at: float | None = time.mktime(time.strptime(m[1][:19], "%Y-%m-%d %H:%M:%S"))
        except ValueError:
            at = None
        found.append((int(m[2]), m[3], at))
    return found


def check_witnesses(
    entries: Mapping[int, str],
    witnessed: Iterable[tuple[int, str, float | None]],
    pruned: Pruned,
    replaced: Iterable[tuple[float, float]] = (),
) -> list[Break]:
    """Each head the log witnessed must still be in the trail, unchanged: removing the newest
    entries (and recomputing nothing) is found this way. `entries`: seq -> hash. A head a
    recorded pruning let go (`check_head`) must have been witnessed before the retention ended
    for it (a head is the newest entry when it is witnessed); any other must be found."""
    breaks = []
    windows = list(replaced)
    latest = pruned.at - (RETENTION_DAYS - 1) * 86_400  # a day's grace for the log's zone
    for seq, hash_, at in sorted(set(witnessed), key=lambda w: (w[0], w[1])):
        if seq == 0:
            continue
        if seq <= pruned.through:
            if at is not None and at > latest:
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(at))
                breaks.append(Break(seq, f"witnessed on {when}, too recent to have been pruned "
                                         "since: cut off"))  # fmt: skip
            continue
        kept = entries.get(seq)
        if kept != hash_ and at is not None and any(a - 1 < at < b for a, b in windows):
            continue  # the replaced service's own head (the log's time is to the second)
        if kept is None:
            breaks.append(Break(seq, f"witnessed in the log ({hash_[:16]}…) and gone: cut off"))
        elif kept != hash_:
            breaks.append(Break(seq, f"not the entry the log witnessed ({hash_[:16]}…)"))
    unique = {(b.seq, b.why): b for b in breaks}  # one head witnessed hourly: said once
    return list(unique.values())
