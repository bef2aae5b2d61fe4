"""Typed values out of a register's cells: a bad one is a problem at its place, and None."""

from __future__ import annotations

import math
import re

from backend.township.reading import Cell, RawSheet
from backend.township.sheets import Place, Problem, SheetSpec

CODE = re.compile(r"^[A-Za-z0-9_\-.+]{1,32}$")
SPLIT = re.compile(r"[、,，;；\s]+")


class CellReader:
    def __init__(
        self, problems: list[Problem], missing: set[tuple[str, str]] | None = None
    ) -> None:
        self.problems = problems
        self.missing = missing or set()
        """(sheet, column) pairs whose column is missing: already one problem, said once."""

    def problem(self, place: Place, zh: str, en: str) -> None:
        self.problems.append(Problem(place, zh, en))

    def cell(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> Cell | None:
        """The cell; an empty one is a problem where the column is required."""
        cell = row.get(key)
        if cell is None and spec.column(key).required and (spec.key, key) not in self.missing:
            header = spec.column(key).header
            self.problem(place, f"“{header}”为空", f"{header} ({key}) is empty")
        return cell

    def text(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> str | None:
        cell = self.cell(row, key, spec, place)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number
        return str(value).strip()

    def number(self, row: dict[str, Cell], key: str, spec: SheetSpec, place: Place) -> float | None:
        cell = self.cell(row, key, spec, place)
        if cell is None:
            return None
        try:
            value = (
                float(str(cell.value).strip()) if isinstance(cell.value, str) else float(cell.value)
            )
        except (TypeError, ValueError):
            value = float("nan")
        if not math.isfinite(value):
            self.problem(cell.place, f"不是数字:{cell.value}", f"not a number: {cell.value}")
            return None
        return value

    def listed(self, row: dict[str, Cell], key: str) -> tuple[list[str], Place | None]:
        cell = row.get(key)
        if cell is None:
            return [], None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return [p for p in SPLIT.split(str(value)) if p], cell.place


def unique_rows(sheet: RawSheet, r: CellReader) -> list[tuple[str, dict[str, Cell], Place]]:
    """(code, row, place) of each row with a well-formed code seen for the first time."""
    seen: dict[str, Place] = {}
    out = []
    for row, place in zip(sheet.rows, sheet.row_places, strict=True):
        code = r.text(row, "code", sheet.spec, place)
        if code is None:
            continue
        cell_place = row["code"].place
        if not CODE.match(code):
            r.problem(
                cell_place,
                f"代码“{code}”只能用字母、数字和 _-.+,不超过 32 个字符",
                f"code {code!r}: letters, digits and _-.+ only, at most 32 characters",
            )
            continue
        if code in seen:
            r.problem(
                cell_place,
                f"代码“{code}”重复(首次见于{seen[code]})",
                f"duplicate code {code!r} (first at {seen[code]})",
            )
            continue
        seen[code] = cell_place
        out.append((code, row, place))
    return out
