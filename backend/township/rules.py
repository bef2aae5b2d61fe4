"""The township's time limits and holidays from its 时限 and 节假日 sheets, over the defaults of
resources/deadlines.json (working hours, the warning share, handling times per category)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from backend.township.cells import CellReader
from backend.township.reading import RawSheet
from backend.township.sheets import Place
from domain.deadlines import DeadlineRules, Duration

STAGES = {"受理": "accept", "派遣": "dispatch", "处置": "handle", "核查": "verify",
          "全案": "case", "accept": "accept", "dispatch": "dispatch", "handle": "handle",
          "verify": "verify", "case": "case"}  # fmt: skip
CHINESE_UNITS = (("工作小时", "wh"), ("工作日", "wd"), ("分钟", "m"), ("小时", "h"))


def duration_text(value: Any) -> str:
    """ "30分钟" → "30m", "5工作日" → "5wd"; "4wh" as it is."""
    text = str(value).strip().replace(" ", "")
    text = re.sub(r"(\d)个", r"\1", text)  # 5个工作日, 2个小时
    for word, unit in CHINESE_UNITS:
        if text.endswith(word):
            return text[: -len(word)] + unit
    return text


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and 30_000 < value < 80_000:  # an Excel date serial: 46023
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
    text = re.sub(r"[年月/.]", "-", str(value).strip()).removesuffix("日")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-"))).isoformat()
    except ValueError:
        return None


def _durations(row: dict[str, Any], sheet: RawSheet, place: Place, r: CellReader) -> dict[str, str]:
    by_urgency = {}
    for urgency in ("normal", "urgent", "very_urgent"):
        text = r.text(row, urgency, sheet.spec, place)
        if text is None:
            continue
        try:
            if Duration.parse(duration_text(text)).amount <= 0:
                raise ValueError("not positive")
        except ValueError:
            r.problem(row[urgency].place, f"时长“{text}”无法识别(如 30m、2h、4wh、5wd,大于零)",
                      f"not a duration: {text!r} (30m, 2h, 4wh, 5wd; more than zero)")  # fmt: skip
            continue
        by_urgency[urgency] = duration_text(text)
    return by_urgency


OFF_WORDS = {"", "放假", "休", "休息", "假", "节假日", "off"}
WORK_WORDS = {"上班", "班", "调休上班", "补班", "工作日", "work"}


def _holidays(sheet: RawSheet, r: CellReader) -> tuple[list[str], list[str]]:
    """Days off, and weekend days worked instead (调休上班)."""
    off, work = [], []
    for row, place in zip(sheet.rows, sheet.row_places, strict=True):
        cell = r.cell(row, "date", sheet.spec, place)
        if cell is None:
            continue
        day = _date(cell.value)
        if day is None:
            r.problem(cell.place, f"日期“{cell.value}”无法识别(如 2027-01-01)",
                      f"not a date: {cell.value!r}")  # fmt: skip
            continue
        kind = (r.text(row, "kind", sheet.spec, place) or "").strip().lower()
        if kind in WORK_WORDS:
            work.append(day)
        elif kind in OFF_WORDS:
            off.append(day)
        else:
            r.problem(row["kind"].place, f"类型“{kind}”无法识别(放假或上班)",
                      f"kind {kind!r}: 放假 (day off) or 上班 (weekend day worked)")  # fmt: skip
    return sorted(set(off)), sorted(set(work))


def read_rules(deadlines: RawSheet, holidays: RawSheet, r: CellReader) -> dict[str, Any]:
    """The rules as DeadlineRules takes them; a bad cell is a problem at its place."""
    rules: dict[str, Any] = copy.deepcopy(DeadlineRules.load().to_wire())
    for row, place in zip(deadlines.rows, deadlines.row_places, strict=True):
        stage_text = r.text(row, "stage", deadlines.spec, place)
        stage = STAGES.get(stage_text or "")
        if stage_text is not None and stage is None:
            words = "受理、派遣、处置、核查、全案"
            r.problem(row["stage"].place, f"环节“{stage_text}”无法识别({words})",
                      f"unknown stage {stage_text!r}")  # fmt: skip
            continue
        by_urgency = _durations(row, deadlines, place, r)
        if stage is None or len(by_urgency) < 3:
            continue
        if stage in ("handle", "case"):
            rules["handle_default" if stage == "handle" else "case"] = by_urgency
        else:
            rules["stages"][stage] = by_urgency
    if holidays.present:
        rules["holidays"], rules["workdays"] = _holidays(holidays, r)
    try:
        DeadlineRules(rules)
    except (ValueError, KeyError) as e:
        r.problem(Place(deadlines.file, deadlines.spec.name), f"时限规则无效:{e}",
                  f"the time limits do not hold together: {e}")  # fmt: skip
    return rules
