"""A township's files into a store: checked whole first, then one versioned transaction.

A running backend sees the new version within a second, audits it (who applied it, when) and
publishes the new township to every console (backend.service.territory).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from backend.store import Store
from backend.store.township import StaleTownship, TownshipMismatch
from backend.township.check import CheckResult, check_directory
from backend.township.diff import RegisterDiff, describe, diff_townships
from domain.township import Township, TownshipDataError


@dataclass(slots=True)
class Planned:
    check: CheckResult
    current: Township | None
    diffs: list[RegisterDiff]
    refusal: str = ""

    @property
    def changes(self) -> bool:
        return any(not d.empty for d in self.diffs)


def plan(store: Store, directory: Path) -> Planned:
    """The check of the files and what they would change in `store`."""
    result = check_directory(directory)
    if result.township is None:
        return Planned(result, None, [])
    new = result.township
    current = None
    if store.has_township():
        try:
            current = store.load_township(new.platform_set)
        except TownshipDataError:
            current = store.load_township()
        if current.code != new.code:
            return Planned(
                result, current, [],
                f"文件是乡镇“{new.code}”,存储中是“{current.code}” / the files are township "
                f"{new.code!r}; this store holds {current.code!r}",
            )  # fmt: skip
    return Planned(result, current, diff_townships(current, new))


def print_problems(result: CheckResult, out: TextIO) -> None:
    for problem in result.problems:
        print(problem, file=out)
    print(f"{len(result.problems)} 个问题 / problems", file=out)


def apply_planned(
    store: Store, planned: Planned, by: str, expected: int | None = None
) -> tuple[int | None, list[str]]:
    """A checked plan into the store: (the new version, or None if nothing changed, and what
    changed); ValueError (its message for the user) if it cannot be applied, StaleTownship (a
    ValueError too) if the store moved on from `expected`."""
    township = planned.check.township
    if township is None:
        raise ValueError(f"{len(planned.check.problems)} 个问题 / problems")
    if planned.refusal:
        raise ValueError(planned.refusal)
    rules_changed = planned.check.rules != store.township_rules()
    if not planned.changes and not rules_changed:
        if expected is not None and (now := store.township_version()[0]) != expected:
            raise StaleTownship(f"version {now} is in the store now, not {expected}")
        return None, ["无变化 / no changes"]
    try:
        version = store.apply_township(township, by, rules=planned.check.rules, expected=expected)
    except TownshipMismatch as e:
        raise ValueError(str(e)) from None
    lines = describe(planned.diffs)
    if rules_changed:
        lines.append("时限与节假日已更新 / time limits and holidays updated")
    lines.append(f"已应用,版本 {version} / applied as version {version}")
    return version, lines


def apply_township_files(
    store: Store, directory: Path, by: str = "--township", out: TextIO = sys.stderr
) -> bool:
    """Check, then apply if anything changed; False (problems printed) if not applied."""
    planned = plan(store, directory)
    if planned.check.township is None:
        print_problems(planned.check, out)
        return False
    try:
        version, lines = apply_planned(store, planned, by)
    except ValueError as e:
        print(e, file=out)
        return False
    if version is not None:
        for line in lines:
            print(line, file=out)
    return True
