"""Reading the registers' cells out of a workbook or CSV files, each value with its place.

A township's files come from Excel or WPS: a workbook (.xlsx), or CSV files saved as UTF-8 (with
or without a BOM) or as GB18030 (what Excel in China writes as "CSV"). Numbers may come as
text, codes as numbers ("101" typed into a cell is 101.0): cells are read as they are and
converted where the register says what they are (`township.check`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from backend.township.sheets import (
    SHEETS,
    Column,
    Place,
    Problem,
    SheetSpec,
    TownshipFilesError,
    header_key,
)

MAX_FILE_BYTES = 32 * 1024 * 1024
"""A county's registers are a few MB; anything much bigger is not a register."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A workbook is a zip: what it unpacks to is bounded too (a zip bomb is not a register)."""
MAX_ROWS = 200_000


@dataclass(slots=True)
class Cell:
    value: Any
    place: Place


@dataclass(slots=True)
class RawSheet:
    spec: SheetSpec
    file: str
    rows: list[dict[str, Cell]] = field(default_factory=list)
    row_places: list[Place] = field(default_factory=list)
    present: bool = False  # the sheet or file exists
    missing: set[str] = field(default_factory=set)
    """Required columns the header lacks: said once, not again as empty in every row."""


def _too_big(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TownshipFilesError(
            Problem(
                Place(path.name),
                f"文件过大({size / 1e6:.0f} MB,上限 {MAX_FILE_BYTES // 2**20} MB)",
                f"file too big ({size / 1e6:.0f} MB, limit {MAX_FILE_BYTES // 2**20} MB)",
            )
        )


def _columns(
    spec: SheetSpec, headers: list[Any], place: Place, problems: list[Problem]
) -> dict[int, Column]:
    """Which cell index holds which column; a missing required column is a problem."""
    by_key = {header_key(c.header): c for c in spec.columns} | {
        header_key(c.key): c for c in spec.columns
    }
    found: dict[int, Column] = {}
    for i, h in enumerate(headers):
        column = by_key.get(header_key(h)) if h not in (None, "") else None
        if column is not None and column not in found.values():
            found[i] = column
    for column in spec.columns:
        if column.required and column not in found.values():
            problems.append(
                Problem(
                    place,
                    f"缺少“{column.header}”列",
                    f"the column {column.header!r} ({column.key}) is missing",
                )
            )
    return found


def _fill(sheet: RawSheet, rows: Any, problems: list[Problem], sheet_name: str) -> None:
    """Rows after the header (the first non-empty row); a template's note row (starting with
    "说明") and empty rows are skipped."""
    columns: dict[int, Column] | None = None
    for number, cells in rows:
        values = list(cells)
        if all(v in (None, "") for v in values):
            continue
        if columns is None:
            columns = _columns(sheet.spec, values, Place(sheet.file, sheet_name, number), problems)
            sheet.missing = {c.key for c in sheet.spec.columns
                             if c.required and c not in columns.values()}  # fmt: skip
            continue
        first = next((v for v in values if v not in (None, "")), "")
        if isinstance(first, str) and first.startswith("说明"):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise TownshipFilesError(
                Problem(
                    Place(sheet.file, sheet_name, number),
                    f"行数超过 {MAX_ROWS:,} 行",
                    f"more than {MAX_ROWS:,} rows",
                )
            )
        row: dict[str, Cell] = {}
        for i, column in columns.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str):
                value = value.strip()
            if value in (None, ""):
                continue
            place = Place(
                sheet.file, sheet_name, number, f"{get_column_letter(i + 1)} {column.header}"
            )
            row[column.key] = Cell(value, place)
        sheet.rows.append(row)
        sheet.row_places.append(Place(sheet.file, sheet_name, number))


def read_workbook(path: Path, problems: list[Problem]) -> dict[str, RawSheet]:
    _too_big(path)
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise TownshipFilesError(
            Problem(
                Place(path.name), f"不是 Excel 工作簿(.xlsx):{e}", f"not an .xlsx workbook: {e}"
            )
        ) from e
    if unpacked > MAX_UNPACKED_BYTES:
        raise TownshipFilesError(
            Problem(
                Place(path.name),
                f"工作簿解压后过大({unpacked / 1e6:.0f} MB)",
                f"the workbook unpacks to {unpacked / 1e6:.0f} MB",
            )
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise TownshipFilesError(
            Problem(Place(path.name), f"工作簿无法读取:{e}", f"the workbook cannot be read: {e}")
        ) from e
    sheets: dict[str, RawSheet] = {}
    try:
        names = {header_key(n): n for n in book.sheetnames}
        for spec in SHEETS:
            sheet = RawSheet(spec, path.name)
            sheets[spec.key] = sheet
            name = names.get(header_key(spec.name)) or names.get(spec.key)
            if name is None:
                continue
            sheet.present = True
            ws = book[name]
            _fill(sheet, enumerate(ws.iter_rows(values_only=True), start=1), problems, name)
    finally:
        book.close()
    return sheets


def decoded(data: bytes) -> str:
    """UTF-8 (with or without a BOM), or GB18030 (GBK, GB2312) as Excel and GIS in China save."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_csv_files(directory: Path, problems: list[Problem]) -> dict[str, RawSheet]:
    """`村社.csv` or `villages.csv`, and so on for each register."""
    files = {header_key(p.stem): p for p in _files(directory, ".csv")}
    sheets: dict[str, RawSheet] = {}
    for spec in SHEETS:
        path = files.get(header_key(spec.name)) or files.get(spec.key)
        sheet = RawSheet(spec, path.name if path else f"{spec.name}.csv")
        sheets[spec.key] = sheet
        if path is None:
            continue
        _too_big(path)
        sheet.present = True
        text = decoded(path.read_bytes())
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as e:
            raise TownshipFilesError(
                Problem(Place(path.name), f"CSV 无法读取:{e}", f"the CSV cannot be read: {e}")
            ) from e
        _fill(sheet, enumerate(rows, start=1), problems, "")
    return sheets


def _files(directory: Path, suffix: str) -> list[Path]:
    """The directory's files with `suffix` in any case (TOWNSHIP.XLSX as saved on Windows),
    without editors' lock files (~$township.xlsx)."""
    return sorted(
        p for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() == suffix and not p.name.startswith(("~$", "."))
    )  # fmt: skip


def read_registers(directory: Path, problems: list[Problem]) -> dict[str, RawSheet]:
    """The workbook in `directory` (one), or its CSV files: one or the other, never both (a
    CSV beside the workbook was read by nobody, and its changes vanished without a word)."""
    books, csvs = _files(directory, ".xlsx"), _files(directory, ".csv")
    if len(books) > 1:
        raise TownshipFilesError(
            Problem(
                Place(books[0].name),
                "目录中有多个工作簿:" + "、".join(p.name for p in books),
                "more than one workbook in the directory: " + ", ".join(p.name for p in books),
            )
        )
    if books and csvs:
        raise TownshipFilesError(
            Problem(
                Place(books[0].name),
                f"工作簿与 CSV 文件({'、'.join(p.name for p in csvs)})只能用一种:删去或移走另一种",
                f"a workbook and CSV files ({', '.join(p.name for p in csvs)}): use one or the "
                "other; remove or move the rest",
            )
        )
    if books:
        return read_workbook(books[0], problems)
    if not csvs:
        if old := _files(directory, ".xls") + _files(directory, ".et"):
            zh = f"{old[0].name} 是旧版工作簿:请在 Excel 或 WPS 中另存为 .xlsx"
            en = f"{old[0].name} is an old-style workbook: save it as .xlsx in Excel or WPS"
        elif (directory / "csv").is_dir() and _files(directory / "csv", ".csv"):
            zh = "登记表的 CSV 在 csv/ 子目录中:请把它们移到上一级目录"
            en = "the registers' CSV files are in csv/: move them up into the directory itself"
        else:
            zh, en = (
                "目录中没有登记表(.xlsx 或 .csv)",
                "no registers (.xlsx or .csv) in the directory",
            )
        raise TownshipFilesError(Problem(Place("township.xlsx / *.csv"), zh, en))
    return read_csv_files(directory, problems)
