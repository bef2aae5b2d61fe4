"""A township's files checked and built into a `Township`: every problem, each with its place.

Nothing here stops at the first problem: an administrator fixes a whole list at a time. The
township is built only when no problem was found (then `Township.from_dict` cannot fail).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.township.boundaries import read_boundaries
from backend.township.boundary_check import attach_boundaries
from backend.township.head import TownshipHead
from backend.township.layers import read_layers
from backend.township.reading import RawSheet, read_registers
from backend.township.registers import Registers
from backend.township.rules import read_rules
from backend.township.sheets import OPTIONAL_SHEETS, Place, Problem, TownshipFilesError
from domain.township import Township


@dataclass(slots=True)
class CheckResult:
    township: Township | None
    problems: list[Problem] = field(default_factory=list)
    boundaries: int = 0
    rules: dict[str, Any] | None = None
    """The time limits and holidays (backend.township.rules), over the defaults."""
    notes: list[str] = field(default_factory=list)
    """What was done to the files that is not a problem (a layer simplified to fit)."""

    @property
    def ok(self) -> bool:
        return self.township is not None and not self.problems


def _missing_sheets(sheets: dict[str, RawSheet], problems: list[Problem]) -> None:
    for key, sheet in sheets.items():
        if not sheet.present and key not in OPTIONAL_SHEETS:
            problems.append(
                Problem(
                    Place(sheet.file),
                    f"缺少“{sheet.spec.name}”表",
                    f"the {sheet.spec.name} ({sheet.spec.key}) sheet is missing",
                )
            )


def check_directory(directory: Path) -> CheckResult:
    """Read, check and build; a file that cannot be read at all is one problem."""
    problems: list[Problem] = []
    try:
        sheets = read_registers(directory, problems)
    except TownshipFilesError as e:
        return CheckResult(None, [e.problem])
    _missing_sheets(sheets, problems)
    b = TownshipHead(sheets, problems)
    town = b.township()
    chosen = town["platform_set"] if town else None
    sets = b.platforms(chosen)
    reg = Registers(b, chosen, sets.get(chosen or "", {}).get("platforms", []))
    reg.read_villages()
    reg.read_people()
    reg.read_grids()
    by_name = reg.read_departments()
    reg.read_cameras()
    reg.read_categories(by_name)
    rules = read_rules(sheets["deadlines"], sheets["holidays"], b.r)
    notes: list[str] = []
    try:
        found = read_boundaries(directory, b.boundary_system, problems)
        layers = read_layers(directory, b.boundary_system, problems, notes)
    except TownshipFilesError as e:
        return CheckResult(None, [*problems, e.problem])
    count = attach_boundaries(b, found, reg.villages, reg.grids)
    reg.unplaced()
    if problems or town is None:
        return CheckResult(None, problems, count)
    data = {**town, "platform_sets": sets,
            "villages": [_public(v) for v in reg.villages.values()],
            "grids": [_public(g) for g in reg.grids.values()],
            "people": list(reg.people.values()), "departments": list(reg.departments.values()),
            "cameras": list(reg.cameras.values()),
            "layers": [f.to_dict() for f in layers]}  # fmt: skip
    township = Township.from_dict(data, reg.categories, town["platform_set"])
    return CheckResult(township, [], count, rules, notes)


def _public(entity: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entity.items() if not k.startswith("_")}


def problems_by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        out[p.place.file].append(p)
    return dict(out)
