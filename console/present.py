"""How the console writes times, time left and names: once, for every widget and export.

Times are in the township's zone, which comes with the township over the wire (its deadline
rules' `utc_offset_hours`), never this machine's: a console on a server set to UTC, or in New
York, shows the command room's day. Until the township arrives, China Standard Time.
The zone is one per console process (one township), set on the GUI thread by the window when
the township comes; everything here runs on the GUI thread.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from domain.deadlines import DeadlineRules, Duration
from domain.incident import Incident
from domain.township import Township

DEFAULT_ZONE = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")
"""Until the township says otherwise: China keeps one zone and no summer time."""


class _TownshipZone:
    """The one zone this console writes times in (a holder, so that no `global` is needed)."""

    tz: dt.tzinfo = DEFAULT_ZONE


_ZONE = _TownshipZone()


def use_rules(rules: DeadlineRules) -> None:
    """(GUI thread) The township's rules came with it: its zone from now on."""
    _ZONE.tz = rules.calendar.tz


def zone() -> dt.tzinfo:
    return _ZONE.tz


def utc_offset_s() -> float:
    """The township's offset from UTC, in seconds (for chart axes that count in seconds)."""
    offset = dt.datetime.now(_ZONE.tz).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def local(t: float) -> dt.datetime:
    """An epoch time as the township's wall clock reads it."""
    return dt.datetime.fromtimestamp(t, _ZONE.tz)


def when(t: float | None, fmt: str = "%m-%d %H:%M") -> str:
    """A moment, short: month-day hour:minute ("" for none)."""
    return "" if t is None else local(t).strftime(fmt)


def clock(t: float) -> str:
    """The status bar's clock: the whole date and time."""
    return local(t).strftime("%Y-%m-%d %H:%M:%S")


def time_of_day(t: float) -> str:
    return local(t).strftime("%H:%M:%S")


def received(t: float, now: float) -> str:
    """When a case came in, for the queue: the time today, 昨天 and the time yesterday, else
    the date too (yesterday's 22:49 and today's 01:29 must not look alike)."""
    day, this = local(t), local(now).date()
    if day.date() == this:
        return day.strftime("%H:%M:%S")
    if day.date() == this - dt.timedelta(days=1):
        text = QCoreApplication.translate("Present", "Yesterday %1")
        return text.replace("%1", day.strftime("%H:%M"))
    return day.strftime("%m-%d %H:%M")


def stamp(t: float) -> str:
    """For file names: sortable, no separators a file system dislikes."""
    return local(t).strftime("%Y%m%d-%H%M%S")


def today(now: float) -> dt.date:
    return local(now).date()


def start_of_day(now: float) -> float:
    """Midnight of the township's day that `now` falls in."""
    return local(now).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def day_start(day: dt.date) -> float:
    """Midnight at the start of a township day."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=_ZONE.tz).timestamp()


def time_left(seconds: float) -> str:
    """`1:05:09`, `2d 3h` beyond a day; a negative time is how long it is overdue."""
    late = seconds < 0
    s = int(abs(seconds))
    if s >= 86400:
        days = QCoreApplication.translate("Present", "%1d %2h")
        text = days.replace("%1", str(s // 86400)).replace("%2", str(s % 86400 // 3600))
    else:
        text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    overdue = QCoreApplication.translate("Present", "overdue %1")
    return overdue.replace("%1", text) if late else text


_DURATION_WORDS = {
    "m": QT_TRANSLATE_NOOP("Present", "%1 min"),
    "h": QT_TRANSLATE_NOOP("Present", "%1 h"),
    "wh": QT_TRANSLATE_NOOP("Present", "%1 working h"),
    "wd": QT_TRANSLATE_NOOP("Present", "%1 working days"),
}


def duration(text: str) -> str:
    """A time limit as the rules write it (`30m`, `4wh`, `5wd`) in words: 30 分钟, 4 工作小时,
    5 个工作日; as it is if it is not one."""
    try:
        d = Duration.parse(text)
    except ValueError:
        return text
    amount = f"{d.amount:g}"
    words = QCoreApplication.translate("Present", str(_DURATION_WORDS[d.unit]))
    return words.replace("%1", amount)


def category_name(township: Township | None, code: str) -> str:
    """A category's name; its code where the township does not know it (yet)."""
    return (township.name_of("categories", code) if township else None) or code


def department_name(township: Township | None, code: str | None, none: str = "") -> str:
    if not code:
        return none
    return (township.name_of("departments", code) if township else None) or code


def village_name(township: Township | None, code: str | None) -> str:
    """A camera's village; the township's own name for one in no village it knows."""
    name = township.name_of("villages", code) if township and code else None
    if name is not None:
        return name
    return township.name if township else ""


def place_name(township: Township | None, incident: Incident) -> str:
    """Village / grid, the grid's name without the village's repeated in front."""
    name = (
        township.name_of("villages", incident.village) if township else None
    ) or incident.village
    grid = township.name_of("grids", incident.grid) if township and incident.grid else None
    return f"{name} / {grid.removeprefix(name)}" if grid else name


def incident_title(township: Township | None, incident: Incident) -> str:
    """Number and category: how a case is named in a heading, an alarm or a message."""
    return f"{incident.display_number} {category_name(township, incident.category)}"
