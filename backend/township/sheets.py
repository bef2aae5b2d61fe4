"""The registers a township keeps, as sheets with Chinese headers, and where a problem was found.

One sheet per register (the workbook's sheet, or a CSV file of the same name). A header is
matched by its Chinese name or its English key, ignoring case, spaces and a bracketed note
("纬度(WGS-84)"), so that a township's own spreadsheet with a reworded header still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "number", "int", "list"]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    required: bool = True
    kind: Kind = "text"
    note: str = ""  # shown in the template's second row


@dataclass(frozen=True, slots=True)
class SheetSpec:
    key: str  # the English name, also a CSV's file name
    name: str  # the sheet's Chinese name
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, header: str, required: bool = True, kind: Kind = "text", note: str = "") -> Column:
    return Column(key, header, required, kind, note)


LIST_NOTE = "多人用顿号、逗号或空格分隔"
TOWNSHIP = SheetSpec("township", "乡镇", (
    _c("code", "代码", note="字母数字,如 qingxi"),
    _c("name", "名称"),
    _c("county", "所属县市", False),
    _c("lat", "纬度", kind="number"),
    _c("lon", "经度", kind="number"),
    _c("platform_set", "平台体系", note="平台表中的体系代码"),
    _c("coordinates", "坐标系", False, note="WGS-84、CGCS2000、GCJ-02(高德/腾讯)或 BD-09(百度)"),
    _c("boundary_coordinates", "边界坐标系", False, note="边界文件的坐标系,默认 WGS-84"),
))  # fmt: skip
PLATFORMS = SheetSpec("platforms", "平台", (
    _c("set", "体系代码"),
    _c("set_name", "体系名称"),
    _c("code", "平台代码"),
    _c("name", "平台名称"),
))  # fmt: skip
VILLAGES = SheetSpec("villages", "村社", (
    _c("code", "代码"),
    _c("name", "名称"),
    _c("lat", "纬度", False, "number", "有边界时可空"),
    _c("lon", "经度", False, "number", "有边界时可空"),
))  # fmt: skip
PEOPLE = SheetSpec("people", "人员", (
    _c("code", "代码"),
    _c("name", "姓名"),
    _c("role", "角色", note="网格长、网格员、专职网格员、部门承办人、值班员、指挥长"),
    _c("village", "所属村社", False),
    _c("phone", "电话", False),
    _c("speciality", "专长", False),
))  # fmt: skip
GRIDS = SheetSpec("grids", "网格", (
    _c("code", "代码"),
    _c("name", "名称"),
    _c("village", "所属村社"),
    _c("lat", "纬度", False, "number", "有边界时可空"),
    _c("lon", "经度", False, "number", "有边界时可空"),
    _c("leader", "网格长", note="人员代码"),
    _c("members", "网格员", False, "list", LIST_NOTE),
    _c("workers", "专职网格员", False, "list", LIST_NOTE),
))  # fmt: skip
DEPARTMENTS = SheetSpec("departments", "部门", (
    _c("code", "代码"),
    _c("name", "名称"),
    _c("platform", "平台", note="平台代码或名称"),
    _c("handlers", "承办人", False, "list", LIST_NOTE),
))  # fmt: skip
CAMERAS = SheetSpec("cameras", "摄像头", (
    _c("code", "代码"),
    _c("name", "名称"),
    _c("kind", "类型", False, note="office 机关、reservoir 水库、road 道路、high 高点…"),
    _c("group", "分组", False),
    _c("phase", "轮巡批次", False, "int"),
    _c("village", "所属村社", False),
    _c("lat", "纬度", kind="number"),
    _c("lon", "经度", kind="number"),
    _c("main_url", "主码流地址", note="rtsp://…;用户名密码写在此处"),
    _c("sub_url", "子码流地址", False),
    _c("coverage_km", "覆盖半径(公里)", False, "number", "高点摄像头"),
    _c("direction", "朝向", False, note="枪机朝向:度数(正北 0,顺时针)或 东、东南…;球机留空"),
))  # fmt: skip
CATEGORIES = SheetSpec("categories", "事件类别", (
    _c("code", "代码"),
    _c("name", "名称"),
    _c("platform", "平台", note="平台代码或名称"),
    _c("department", "默认部门", note="部门代码或名称"),
))  # fmt: skip

DURATION_NOTE = "30m 分钟、2h 小时、4wh 工作小时、5wd 工作日(也可写 30分钟、4工作小时、5工作日)"
DEADLINES = SheetSpec("deadlines", "时限", (
    _c("stage", "环节", note="受理、派遣、处置、核查、全案"),
    _c("normal", "一般", note=DURATION_NOTE),
    _c("urgent", "紧急"),
    _c("very_urgent", "特急"),
))  # fmt: skip
HOLIDAYS = SheetSpec("holidays", "节假日", (
    _c("date", "日期", note="2027-01-01;法定节假日及调休"),
    _c("name", "名称", False),
    _c("kind", "类型", False, note="放假(默认)或上班(调休上班的周末)"),
))  # fmt: skip

SHEETS = (TOWNSHIP, PLATFORMS, VILLAGES, PEOPLE, GRIDS, DEPARTMENTS, CAMERAS, CATEGORIES,
          DEADLINES, HOLIDAYS)  # fmt: skip
"""In the order the workbook has them (and references resolve)."""
OPTIONAL_SHEETS = {"platforms", "deadlines", "holidays"}
"""Missing, they take the defaults (resources/deadlines.json) or nothing."""

ROLE_NAMES = {
    "网格长": "grid_leader",
    "网格员": "grid_member",
    "兼职网格员": "grid_member",
    "专职网格员": "grid_worker",
    "部门承办人": "department_handler",
    "承办人": "department_handler",
    "值班员": "duty_officer",
    "指挥长": "supervisor",
    "指挥室主任": "supervisor",
}
"""A person's role as the register writes it (the English value is read as well)."""


def header_key(text: str) -> str:
    """A header as compared: no bracketed note, no spaces, lower case."""
    text = re.sub(r"[（(【\[].*?[)）】\]]", "", str(text))
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value is: the file, the sheet, the row (as the spreadsheet numbers it) and the
    column's header; only as much as is known."""

    file: str
    sheet: str = ""
    row: int = 0
    column: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(f"第{self.row}行 row {self.row}")
        if self.column:
            parts.append(f"{self.column}列 column {self.column}")
        return " › ".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    place: Place
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.place}: {self.zh} / {self.en}"


class TownshipFilesError(Exception):
    """The files cannot be read at all (no registers, a file too big, not a workbook)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
