"""Which incidents the queue shows, and in what order: plain Python and numpy, tested without Qt.

A QSortFilterProxyModel with dynamic sorting took ~1.9 s for a burst of 10,000 inserts here, and
a Python pass over 100,000 incidents costs ~100 ms on this machine before any sorting. So the
queue keeps what it sorts and filters by as numpy columns, one slot per incident, updated per
change: a filter is a few array comparisons and an order one `lexsort`, ~10 ms for 100,000.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from domain.incident import URGENCY_RANK, Incident, IncidentState, Level, Urgency

LEVEL_RANK = {level: n for n, level in enumerate(Level)}
STATE_RANK = {state: n for n, state in enumerate(IncidentState)}

Slots = npt.NDArray[np.int64]


class SortBy(StrEnum):
    PRIORITY = "priority"  # urgency, then the running deadline: the wall's order
    NUMBER = "number"
    RECEIVED = "received"
    CATEGORY = "category"
    PLACE = "place"
    CHANNEL = "channel"
    URGENCY = "urgency"
    LEVEL = "level"
    STATE = "state"
    ASSIGNEE = "assignee"
    TIME_LEFT = "time_left"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Every field narrows; None (or empty) means "any"."""

    states: frozenset[IncidentState] | None = None
    """None: the open ones (the default queue). To see every state, pass them all."""
    platform: str | None = None
    department: str | None = None
    village: str | None = None
    grid: str | None = None
    category: str | None = None
    urgency: Urgency | None = None
    level: Level | None = None
    overdue_only: bool = False
    mine: str | None = None
    """A user's name: the incidents this user made the latest change to."""
    text: str = ""
    area: tuple[float, float, float, float] | None = None
    """(west, south, east, north) in WGS-84 degrees: the cases placed inside (the map's
    selection); a case with no position of its own is placed at its grid's or village's."""
    words: dict[str, str] = field(default_factory=dict, compare=False)
    """Display names (category, village, department names…) searched with `text` and sorted by."""

    def with_text(self, text: str) -> QueueFilter:
        return replace(self, text=text.strip())


_COLUMNS = (
    "open", "urgency", "due", "number", "received", "state", "level", "channel",
    "category", "village", "grid", "department", "platform", "last_actor", "lon", "lat",
)  # fmt: skip


def own_place(incident: Incident) -> tuple[float, float]:
    """Where a case is on the map when nothing better is known: its own position, or nowhere."""
    if incident.lat is None or incident.lon is None:
        return math.nan, math.nan
    return incident.lon, incident.lat


class QueueOrder:
    """Incidents as rows of numpy columns (a slot each); `compute` gives the visible slots."""

    def __init__(self) -> None:
        self.sort_by = SortBy.PRIORITY
        self.descending = False
        self.filter = QueueFilter()
        self.place: Callable[[Incident], tuple[float, float]] = own_place
        """(lon, lat) of a case in WGS-84: the model sets one that knows the township."""
        self.clear()

    def clear(self) -> None:
        self._slot: dict[str, int] = {}
        self.ids: list[str] = []  # slot -> incident id
        self._hay: list[str] = []  # slot -> what a text search looks in, casefolded
        self.titles: list[str] = []  # slot -> "SJ000123 垃圾乱倒 · 陈宅村": a case named in a list
        self._codes: dict[str | None, int] = {None: 0}  # every code string -> a small int
        self._cols: dict[str, npt.NDArray[np.float64]] = {name: np.zeros(1024) for name in _COLUMNS}

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """One column over every incident (a view: read, do not keep)."""
        return self._cols[name][: len(self.ids)]

    def code_of(self, text: str | None) -> int:
        """The small int `text` is stored as in the code columns; -1 if no incident has it."""
        return self._codes.get(text, -1)

    def slot_of(self, incident_id: str) -> int | None:
        return self._slot.get(incident_id)

    def _code(self, text: str | None) -> int:
        code = self._codes.get(text)
        if code is None:
            code = self._codes[text] = len(self._codes)
        return code

    def update(self, incidents: Iterable[Incident]) -> None:
        """Put new or changed incidents into the columns: values gathered in Python lists,
        then one fancy-indexed store per column (a scalar store per cell cost 3x as much)."""
        words = self.filter.words
        code = self._code
        slots: list[int] = []
        values: dict[str, list[float]] = {name: [] for name in _COLUMNS}
        (open_, urgency, due, number, received, state, level, channel, category,
         village, grid, department, platform, last_actor, lon, lat) = values.values()  # fmt: skip
        place = self.place
        for i in incidents:
            slot = self._slot.get(i.id)
            if slot is None:
                slot = self._slot[i.id] = len(self.ids)
                self.ids.append(i.id)
                self._hay.append("")
                self.titles.append("")
            slots.append(slot)
            open_.append(i.is_open)
            urgency.append(URGENCY_RANK[i.urgency])
            due.append(np.inf if i.stage_due is None else i.stage_due)
            number.append(i.number)
            received.append(i.received_at)
            state.append(STATE_RANK[i.state])
            level.append(LEVEL_RANK[i.level])
            channel.append(code(i.channel.value))
            category.append(code(i.category))
            village.append(code(i.village))
            grid.append(code(i.grid))
            department.append(code(i.department))
            platform.append(code(i.platform))
            last_actor.append(code(i.last_actor))
            x, y = place(i)
            lon.append(x)
            lat.append(y)
            self.titles[slot] = (f"{i.display_number} {words.get(i.category, i.category)} · "
                                 f"{words.get(i.village, i.village)}")  # fmt: skip
            self._hay[slot] = "\n".join(
                (
                    i.display_number,
                    i.description,
                    i.reporter,
                    words.get(i.category, i.category),
                    words.get(i.village, i.village),
                    words.get(i.grid or "", ""),
                    words.get(i.department or "", ""),
                )
            ).casefold()
        if not slots:
            return
        cols = self._cols
        if len(self.ids) > len(cols["open"]):
            size = max(len(self.ids), 2 * len(cols["open"]))
            for name in _COLUMNS:
                cols[name] = np.resize(cols[name], size)
        where = np.fromiter(slots, np.int64, count=len(slots))
        for name, column in values.items():
            cols[name][where] = column

    def rebuild(self, incidents: Iterable[Incident]) -> None:
        self.clear()
        self.update(incidents)

    def compute(self, now: float) -> Slots:
        """The visible slots, in order."""
        n = len(self.ids)
        c = {name: col[:n] for name, col in self._cols.items()}
        mask = self._mask(c, now)
        slots = np.flatnonzero(mask)
        keys = [k[slots] for k in self._sort_keys(c)]
        return slots[np.lexsort(keys)].astype(np.int64)

    def _mask(self, c: dict[str, npt.NDArray[np.float64]], now: float) -> npt.NDArray[np.bool_]:
        f = self.filter
        mask: npt.NDArray[np.bool_]
        if f.states is None:
            mask = np.asarray(c["open"] == 1)
        else:
            mask = np.isin(c["state"], [STATE_RANK[s] for s in f.states])
        for name, value in (
            ("platform", f.platform),
            ("department", f.department),
            ("village", f.village),
            ("grid", f.grid),
            ("category", f.category),
            ("last_actor", f.mine),
        ):
            if value is not None:
                mask &= c[name] == self._codes.get(value, -1)
        if f.urgency is not None:
            mask &= c["urgency"] == URGENCY_RANK[f.urgency]
        if f.level is not None:
            mask &= c["level"] == LEVEL_RANK[f.level]
        if f.overdue_only:
            mask &= (c["due"] < now) & (c["open"] == 1)
        if f.area is not None:
            west, south, east, north = f.area
            lon, lat = c["lon"], c["lat"]
            mask &= (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        if f.text:
            needle = f.text.casefold()
            mask &= np.fromiter((needle in h for h in self._hay), bool, count=len(self._hay))
        return mask

    def _sort_keys(self, c: dict[str, npt.NDArray[np.float64]]) -> list[npt.NDArray[np.float64]]:
        """Least significant first (lexsort's order). Open incidents always come first."""
        by = self.sort_by
        if by == SortBy.PRIORITY:
            keys = [c["number"], c["due"], c["urgency"]]
        elif by == SortBy.TIME_LEFT:
            keys = [c["number"], c["due"]]
        elif by == SortBy.RECEIVED:
            keys = [c["number"], c["received"]]
        elif by == SortBy.PLACE:
            rank = self._name_rank()
            keys = [
                c["number"],
                rank[c["grid"].astype(np.int64)],
                rank[c["village"].astype(np.int64)],
            ]
        elif by in (SortBy.CATEGORY, SortBy.ASSIGNEE, SortBy.CHANNEL):
            name = {SortBy.CATEGORY: "category", SortBy.ASSIGNEE: "department"}.get(by, "channel")
            keys = [c["number"], self._name_rank()[c[name].astype(np.int64)]]
        elif by == SortBy.NUMBER:
            keys = [c["number"]]
        else:  # urgency, level, state
            keys = [c["number"], c[by.value]]
        if self.descending:
            keys = [-k for k in keys]
        return [*keys, 1 - c["open"]]

    def _name_rank(self) -> npt.NDArray[np.float64]:
        """Each code's place when sorted by the name people read."""
        words = self.filter.words
        codes = sorted(
            self._codes.items(), key=lambda kv: (kv[0] is None, words.get(kv[0] or "", kv[0] or ""))
        )
        rank = np.zeros(len(self._codes))
        for n, (_text, code) in enumerate(codes):
            rank[code] = n
        return rank
