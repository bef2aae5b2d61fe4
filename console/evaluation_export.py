"""Evaluation tables written for the monthly assessment meeting: CSV that Excel and WPS open
as UTF-8 (with its BOM), and XLSX with rates kept as numbers in percent format."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from console.models.evaluation_model import Column, shown

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell a spreadsheet would run as a formula (a reporter named =HYPERLINK(…) reaches the
evaluation by grid worker)."""


def inert(value: Any) -> Any:
    """Text that would start a formula, as text: a leading apostrophe, as OWASP advises for
    CSV (Excel and WPS show the rest)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    path: Path, title: str, columns: Sequence[Column], headers: list[str], rows: list[list[Any]]
) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([title])
        out.writerow(headers)
        for row in rows:
            out.writerow(
                [
                    inert(shown(v, c.kind if c.kind != "series" else "count"))
                    for v, c in zip(row, columns, strict=True)
                ]
            )


def write_xlsx(
    path: Path, title: str, columns: Sequence[Column], headers: list[str], rows: list[list[Any]]
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "考核"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    formats = {"rate": "0.0%", "hours": "0.0", "score": "0.0"}
    for row in rows:
        sheet.append(row)
        for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
            if column.kind in formats:
                cell.number_format = formats[column.kind]
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # kept as text, never a formula
    for k, column in enumerate(columns, start=1):
        letter = sheet.cell(row=2, column=k).column_letter
        sheet.column_dimensions[letter].width = 22 if column.kind == "text" else 12
    sheet.freeze_panes = "B3"
    book.save(path)


def export(
    path: Path, title: str, columns: Sequence[Column], headers: list[str], rows: list[list[Any]]
) -> None:
    """By the file's suffix: .xlsx or .csv."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, title, columns, headers, rows)
    elif path.suffix.lower() == ".csv":
        write_csv(path, title, columns, headers, rows)
    else:
        raise ValueError(f"{path.name}: export to .csv or .xlsx")
