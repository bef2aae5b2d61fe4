"""A new version of the township applied by another process (`python -m backend township
apply`, or `--township` at a restart of another backend on the same store): noticed within a
tick, audited, swapped in, and announced to every console, which asks for the township again.
Serve loop only."""

from __future__ import annotations

import logging

from backend.service.audit_trail import AuditTrail
from backend.service.publisher import Publisher
from backend.service.services import Services
from domain.deadlines import DeadlineRules
from domain.township import Township, TownshipDataError
from domain.wire import MsgType

log = logging.getLogger("backend.server")


def take_in(svc: Services, township: Township, version: int) -> None:
    """A new version of the township in every part of the service that counts by it."""
    svc.township = township
    svc.township_version = version
    svc.live.set_township(township)
    svc.accounts.rescope(township)


class TerritoryWatch:
    def __init__(self, services: Services, audit: AuditTrail, publisher: Publisher) -> None:
        self.svc = services
        self.audit = audit
        self.publisher = publisher

    def start(self) -> None:
        """The version the backend started on (read with the township); one applied while no
        backend ran (`township apply` on a stopped room, `--township` at this start) is put on
        the record now, with who the store says applied it and when."""
        store = self.svc.store
        version, by, at = store.township_version()
        self.svc.township_version = version
        recorded = store.last_audited_township_version()
        if version > recorded:
            t = self.svc.township
            detail = {"version": version, "last_recorded": recorded, "applied_at": at,
                      "while_stopped": True, "villages": len(t.villages), "grids": len(t.grids),
                      "people": len(t.people), "cameras": len(t.cameras)}  # fmt: skip
            self.audit.add(by or "township command", "administrator", "backend",
                           "township.applied", t.code, "ok", detail)  # fmt: skip
            self.audit.flush()

    def check(self) -> bool:
        """True if a new version was taken in."""
        svc = self.svc
        try:
            version, by, _at = svc.store.township_version()
            if version == svc.township_version:
                return False
            try:
                township = svc.store.load_township(svc.township.platform_set)
            except TownshipDataError:  # the files chose another platform set
                township = svc.store.load_township()
        except Exception:
            log.exception("reading the township's version %s failed", svc.township_version + 1)
            return False
        before = svc.township
        if (rules := svc.store.township_rules()) is not None:
            svc.store.rules = DeadlineRules(rules)  # deadlines of new stages from now on
        take_in(svc, township, version)
        detail = {
            "version": version,
            "villages": len(township.villages),
            "grids": len(township.grids),
            "people": len(township.people),
            "cameras": len(township.cameras),
            "categories": len(township.categories),
            "before": {"villages": len(before.villages), "grids": len(before.grids),
                       "cameras": len(before.cameras)},
        }  # fmt: skip
        self.audit.add(by or "township command", "administrator", "backend", "township.applied",
                       township.code, "ok", detail)  # fmt: skip
        self.audit.flush()
        self.publisher.publish(MsgType.TOWNSHIP_CHANGED, {"version": version})
        log.info("township %s version %d taken in (applied by %s)", township.code, version, by)
        return True
