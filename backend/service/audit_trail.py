"""The audit trail as the service writes it (domain.audit): entries chained in order, written
before the answers they record go out, pruned by age, the head witnessed in the log."""

from __future__ import annotations

import logging
import time
from typing import Any

from backend.service.context import RequestContext
from backend.store import Store
from domain.audit import PRUNED, AuditChain, AuditEntry, witness_line
from domain.wire import MsgType

log = logging.getLogger("backend.service")
witness_log = logging.getLogger("backend.audit_witness")
WITNESS_EVERY = 3600.0
PRUNE_EVERY = 3600.0


class AuditTrail:
    """Serve loop only. Entries wait in `queue` until `flush` (or a group commit that takes
    them, `take`) writes them; a failed write keeps them, so that the chain has no gap."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.chain = AuditChain()
        self.queue: list[AuditEntry] = []
        self._pruned = -PRUNE_EVERY
        self._witnessed = -WITNESS_EVERY

    def restore(self) -> None:
        self.chain = AuditChain(*self.store.audit_head())

    def add(
        self, who: str, role: str, console: str, what: str, subject: str, result: str,
        detail: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self.queue.append(
            self.chain.add(time.time(), who, role, console, what, subject, result, detail)
        )

    def add_request(self, ctx: RequestContext, result: str, always: bool = False) -> None:
        """A request that changes or reveals something, with its result; who and in which role
        as the session says; no personal data (a name, a description, a note): the ids, the
        action, the outcome."""
        if not (ctx.spec.audited or always):
            return
        request, who = ctx.request, ctx.who
        body = request.body
        subject = body.get("incident") or body.get("id") or body.get("login") or body.get("name")
        what = str(request.type)[:64]
        if request.type == MsgType.COMMAND:
            what = f"command.{_short(body.get('action', '?'))[:40]}"
        # a changing request's message id: a backend that restarts knows it was seen (replays)
        detail = {"id": str(request.id)[:64]} if ctx.spec.changing else None
        self.add(
            "" if who is None else who.login, "" if who is None else who.role.value,
            ctx.console, what, _short(subject or ""), str(result)[:32], detail,
        )  # fmt: skip

    def take(self) -> list[AuditEntry]:
        """The waiting entries, for a transaction that writes them with its own rows; hand
        them back with `put_back` if it fails."""
        taken, self.queue = self.queue, []
        return taken

    def put_back(self, entries: list[AuditEntry]) -> None:
        self.queue[:0] = entries

    def mark(self) -> tuple[int, str]:
        return self.chain.seq, self.chain.hash

    def rewind(self, mark: tuple[int, str]) -> None:
        """Entries made after `mark` were never written (their transaction rolled back)."""
        self.chain = AuditChain(*mark)

    def flush(self) -> None:
        """Written in order, in one transaction; kept for the next try if the write fails."""
        if not self.queue:
            return
        try:
            self.store.add_audit(self.queue)
        except Exception:
            log.exception("writing %d audit entries failed; kept to try again", len(self.queue))
            return
        self.queue = []

    def prune(self, now: float | None = None) -> None:
        """Once an hour: entries past the retention (180 days) may go, never younger ones; the
        pruning is itself an entry (`audit.pruned`, naming the last entry let go), so that
        `audit verify` tells the oldest entries pruned from the oldest entries cut off."""
        tick = time.monotonic()
        if now is None and tick - self._pruned < PRUNE_EVERY:
            return
        self._pruned = tick
        try:
            self.flush()
            last = self.store.prune_audit(time.time() if now is None else now)
        except Exception:
            log.exception("pruning the audit trail failed")
            return
        if last is not None:
            self.add("backend", "system", "backend", PRUNED, str(last.seq), "ok",
                     {"through_seq": last.seq, "through_hash": last.hash,
                      "through_at": last.at})  # fmt: skip
            self.flush()
            log.info("audit trail: entries through %d, older than the retention, let go", last.seq)

    def witness(self, force: bool = False) -> None:
        """The chain's head into the log, outside the database: every hour and at stop, so
        that `audit verify --witness-log` finds newest entries removed."""
        now = time.monotonic()
        if not force and now - self._witnessed < WITNESS_EVERY:
            return
        self._witnessed = now
        self.flush()
        if self.chain.seq:
            witness_log.info(witness_line(self.chain.seq, self.chain.hash))


def _short(value: object) -> str:
    """A field as the client sent it, refused or not: never `str()` of a nested value (a list
    1,000 deep is a RecursionError), and at most 64 characters."""
    if isinstance(value, str):
        return value[:64]
    if isinstance(value, int | float):
        return str(value)[:64]
    return type(value).__name__
