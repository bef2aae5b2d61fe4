"""The township's own files from the administrator's desk (township.check, township.apply): the
same check and the same versioned, all-or-nothing apply as `python -m backend township`, run on
the slow-request worker with a store connection of its own. An applied version is taken in by
the serve loop within a tick (backend.service.territory: audited as township.applied, published
as township.changed), as one applied from the command line is."""

from __future__ import annotations

import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

from backend.service.context import Refusal, Reply, RequestContext, SlowJob
from backend.service.services import Services
from backend.store import Store
from backend.store.township import StaleTownship
from backend.township.apply import Planned, apply_planned, plan
from backend.township.check import CheckResult
from backend.township.diff import describe
from backend.township.package import unpack
from backend.township.sheets import TownshipFilesError
from domain.requests import TownshipPackageBody
from domain.wire import ErrorCode, MsgType

MAX_PROBLEMS_SENT = 500
"""A workbook with every row wrong: the first ones and how many there are in all."""


def _planned(store: Store, body: TownshipPackageBody) -> Planned:
    with tempfile.TemporaryDirectory(prefix="township-") as folder:
        try:
            unpack(body.package, Path(folder))
        except TownshipFilesError as e:
            return Planned(CheckResult(None, [e.problem]), None, [])
        return plan(store, Path(folder))


def _own_store(svc: Services) -> closing[Store]:
    """A connection of the worker's own (the serve loop's store is the loop's)."""
    return closing(Store(svc.store.url, svc.store.rules))


def _summary(result: CheckResult) -> dict[str, Any] | None:
    t = result.township
    if t is None:
        return None
    return {"code": t.code, "name": t.name, "villages": len(t.villages), "grids": len(t.grids),
            "people": len(t.people), "cameras": len(t.cameras), "layers": len(t.layers),
            "categories": len(t.categories)}  # fmt: skip


def check(ctx: RequestContext, body: TownshipPackageBody, svc: Services) -> SlowJob:
    """Every problem with its place, or what applying would change against the store now."""

    def job() -> Reply:
        with _own_store(svc) as store:
            planned = _planned(store, body)
            version = store.township_version()[0]
        problems = planned.check.problems
        answer = {
            "ok": planned.check.township is not None and not planned.refusal,
            "problems": [{"place": str(p.place), "zh": p.zh, "en": p.en}
                         for p in problems[:MAX_PROBLEMS_SENT]],
            "problem_count": len(problems),
            "township": _summary(planned.check),
            "changes": [*planned.check.notes, *describe(planned.diffs)]
            if planned.check.township
            else [],
            "refusal": planned.refusal,
            "version": version,
        }  # fmt: skip
        return Reply(MsgType.TOWNSHIP_CHECKED, answer)

    return job


def apply(ctx: RequestContext, body: TownshipPackageBody, svc: Services) -> SlowJob:
    """Applied over the version the administrator checked against (`version`), or refused."""
    who = ctx.logged_in().login

    def job() -> Reply:
        with _own_store(svc) as store:
            planned = _planned(store, body)
            if planned.check.township is None:
                first = "; ".join(str(p) for p in planned.check.problems[:3])
                raise Refusal(
                    ErrorCode.INVALID,
                    f"{len(planned.check.problems)} 个问题 / problems (township.check): {first}",
                )
            try:
                version, lines = apply_planned(store, planned, who, body.version)
            except StaleTownship as e:
                raise Refusal(ErrorCode.STALE_VERSION, str(e)) from None
            except ValueError as e:  # another township's files
                raise Refusal(ErrorCode.CONFLICT, str(e)) from None
        return Reply(MsgType.TOWNSHIP_APPLIED, {"version": version, "changes": lines})

    return job
