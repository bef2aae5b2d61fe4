"""Push to the field: when a case is dispatched to a department, or its reply waits for the
grid's verification on site, its people are told through the township's messaging system
(浙政钉, an SMS gateway) by a webhook: a JSON POST, signed (HMAC-SHA256 of the body with the
township's secret, as GitHub and most messaging platforms sign theirs), retried with back-off
until the system takes it (2xx). Sent from a thread of its own: the serve loop only queues.

A push not yet taken is kept on disk (backend.service.push_spool, the `webhook_spool` folder)
from its change's commit until the system takes it: a restart sends it again, under the same
delivery id. docs/gateway.md, "Push to the field".
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from backend.service.context import IncidentChanged
from backend.service.push_spool import PushSpool, Spooled
from domain.lifecycle import Action
from domain.township import Township

log = logging.getLogger("backend.push")
FIRST_RETRY_S = 1.0
LAST_RETRY_S = 300.0
GIVE_UP_S = 24 * 3600.0
"""A push the system has not taken in a day is dropped (and said in the log)."""
MAX_WAITING = 10_000


@dataclass(slots=True)
class _Push:
    delivery: str
    body: bytes
    first_at: float
    next_at: float
    tries: int = 0


def message(changed: IncidentChanged, township: Township) -> dict[str, Any] | None:
    """What the messaging system is told of this change, or None (not the field's news)."""
    change, incident = changed.change, changed.incident
    if change is None or change.action not in (Action.DISPATCH, Action.REPLY):
        return None
    if change.action == Action.DISPATCH:
        event, department = "case.dispatched", township.departments.get(incident.department or "")
        codes = list(department.handlers) if department else []
    else:
        event, grid = "case.to_verify", township.grids.get(incident.grid or "")
        codes = [*grid.workers, grid.leader] if grid else []
    people = [township.people[c] for c in dict.fromkeys(codes) if c in township.people]
    category = township.categories.get(incident.category)
    return {
        "event": event,
        "case": {"id": incident.id, "number": incident.display_number,
                 "category": category.name if category else incident.category,
                 "urgency": incident.urgency.value, "village": incident.village,
                 "grid": incident.grid, "department": incident.department,
                 "stage_due": incident.stage_due},
        "to": [{"person": p.code, "name": p.name, "phone": p.phone} for p in people],
        "at": change.at,
    }  # fmt: skip


def signature(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


class FieldPush:
    def __init__(self, url: str, secret: bytes, spool: Path, timeout: float = 10.0) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout
        self.spool = PushSpool(spool)
        now = time.time()
        self._waiting: deque[_Push] = deque(
            _Push(p.delivery, p.body, p.first_at, now) for p in self.spool.waiting()
        )
        if self._waiting:
            log.info("%d pushes left by the last run: sent again", len(self._waiting))
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self.delivered = 0
        self._thread = threading.Thread(target=self._run, name="field-push", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        self._thread.join(5)

    def notice(self, changed: IncidentChanged, township: Township) -> None:
        """(Serve loop) Kept on disk and queued if the change is the field's news (a file
        written a dispatch or a reply: people's pace, not the loop's)."""
        said = message(changed, township)
        if said is None:
            return
        now = time.time()
        push = _Push(str(uuid.uuid4()), orjson.dumps(said), now, now)
        try:
            self.spool.keep(Spooled(push.delivery, push.body, push.first_at))
        except OSError as e:  # a full disk: still sent, but a restart would forget it
            log.error("push %s not kept on disk (%s)", push.delivery, e.strerror or e)
        with self._lock:
            if len(self._waiting) >= MAX_WAITING:
                dropped = self._waiting.popleft()
                self.spool.forget(dropped.delivery)
                log.warning("push %s dropped: %d waiting", dropped.delivery, MAX_WAITING)
            self._waiting.append(push)
            self._lock.notify()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as http:
            while not self._stop.is_set():
                push = self._next()
                if push is not None:
                    self._send(http, push)

    def _next(self) -> _Push | None:
        with self._lock:
            if not self._waiting:
                self._lock.wait(1.0)
                return None
            push = min(self._waiting, key=lambda p: p.next_at)
            wait = push.next_at - time.time()
            if wait > 0:
                self._lock.wait(min(wait, 1.0))
                return None
            self._waiting.remove(push)
            return push

    def _send(self, http: httpx.Client, push: _Push) -> None:
        headers = {"Content-Type": "application/json",
                   "X-Commandroom-Delivery": push.delivery,
                   "X-Commandroom-Signature": signature(self.secret, push.body)}  # fmt: skip
        try:
            answer = http.post(self.url, content=push.body, headers=headers)
            taken = 200 <= answer.status_code < 300
            why = f"HTTP {answer.status_code}"
        except httpx.HTTPError as e:
            taken, why = False, str(e) or type(e).__name__
        if taken:
            self.delivered += 1
            self.spool.forget(push.delivery)
            return
        push.tries += 1
        now = time.time()
        if now - push.first_at > GIVE_UP_S:
            log.error("push %s given up after %d tries: %s", push.delivery, push.tries, why)
            self.spool.forget(push.delivery)
            return
        delay = min(LAST_RETRY_S, FIRST_RETRY_S * 2 ** (push.tries - 1))
        if push.tries in (1, 5) or push.tries % 20 == 0:
            log.warning("push %s not taken (%s): again in %.0f s", push.delivery, why, delay)
        push.next_at = now + delay
        with self._lock:
            self._waiting.append(push)
