"""Whose cases a login sees and acts on, beside the role table (docs/security.md, "Scope").

The role says what a login may do; the scope says to which cases. The command room (the
supervisor, the duty officer) sees the township; so do the administrator and the auditor, who
act on no case but read the trail beside the cases it names. A department's handlers see the
cases dispatched to their department, as the lead or to assist (协办: they see, the lead acts), a
grid leader those of their village, a grid worker or member those of their grids; a grid role
also sees what they reported themselves, wherever. A gateway acts for the people it logged in,
anywhere (their reports, patrols and photos); it follows no case, because its role may not ask
for them (the role table decides what a login is sent: domain.requests). The backend holds each
login's scope (from the township's own lists: a department's handlers, a grid's leader, members
and workers) and sends, answers and accepts only what it covers; a console is told its scope to
say so on screen.

Plain Python on plain values, so that it runs per update per login without a lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.incident import Channel
from domain.township import Role, Township

TOWNSHIP_ROLES = frozenset(
    {
        Role.SUPERVISOR,
        Role.DUTY_OFFICER,
        Role.ADMINISTRATOR,
        Role.AUDITOR,
        Role.GATEWAY,
        Role.SYSTEM,
    }
)
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_MEMBER, Role.GRID_LEADER})


@dataclass(frozen=True, slots=True)
class CaseScope:
    township: bool = False
    departments: frozenset[str] = field(default_factory=frozenset)
    villages: frozenset[str] = field(default_factory=frozenset)
    grids: frozenset[str] = field(default_factory=frozenset)
    reporter: str | None = None
    """Their own grid app reports, wherever they are: the name they report under."""

    def covers(
        self,
        department: str | None,
        village: str,
        grid: str | None,
        reporter: str,
        channel: str,
        assisting: str | None = None,
    ) -> bool:
        if self.township:
            return True
        return (
            (department is not None and department in self.departments)
            or (bool(assisting) and not self.departments.isdisjoint(str(assisting).split(",")))
            or village in self.villages
            or (grid is not None and grid in self.grids)
            or (reporter == self.reporter and channel == Channel.GRID_APP)
        )

    def covers_wire(self, incident: Mapping[str, Any], assisting: bool = True) -> bool:
        """An incident in its wire form (what the live map and the stream hold); `assisting`
        False: as the lead only (an assisting department sees a case, it does not act on it)."""
        fields = where(incident)
        return self.township or self.covers(*(fields if assisting else fields[:-1]))

    @property
    def empty(self) -> bool:
        return not (
            self.township or self.departments or self.villages or self.grids or self.reporter
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "township": self.township,
            "departments": sorted(self.departments),
            "villages": sorted(self.villages),
            "grids": sorted(self.grids),
            "reporter": self.reporter,
        }

    @classmethod
    def from_wire(cls, body: Mapping[str, Any] | None) -> CaseScope:
        """A login's scope as sent; none sent (an older backend): the township."""
        if not isinstance(body, Mapping):
            return cls(township=True)
        reporter = body.get("reporter")
        return cls(
            township=bool(body.get("township")),
            departments=frozenset(str(d) for d in body.get("departments") or ()),
            villages=frozenset(str(v) for v in body.get("villages") or ()),
            grids=frozenset(str(g) for g in body.get("grids") or ()),
            reporter=reporter if isinstance(reporter, str) else None,
        )

    def describe(self, township: Township | None = None) -> str:
        """In words, for a refusal and the console's status line."""
        if self.township:
            return "the whole township"

        def names(register: str, codes: frozenset[str]) -> str:
            if township is None:
                return ", ".join(sorted(codes))
            return ", ".join(township.name_of(register, c) or c for c in sorted(codes))

        parts = [
            f"{what} {names(register, codes)}"
            for what, register, codes in (
                ("department", "departments", self.departments),
                ("village", "villages", self.villages),
                ("grid", "grids", self.grids),
            )
            if codes
        ]
        if self.reporter:
            parts.append(f"reports by {self.reporter}")
        return "; ".join(parts) or "no cases"


def where(incident: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a scope looks at in an incident's wire form, in `CaseScope.covers`' order: read once
    when many scopes are asked about one incident (each login's, for each change published)."""
    get = incident.get
    return (get("department"), get("village", ""), get("grid"), get("reporter", ""),
            get("channel", ""), get("assisting"))  # fmt: skip


NO_CASES = CaseScope()
WHOLE_TOWNSHIP = CaseScope(township=True)


def scope_of(
    role: Role,
    person: str | None,
    name: str,
    township: Township,
    ties: Mapping[str, Any] | None = None,
) -> CaseScope:
    """A login's scope from the township's own lists, as they stand now, and what the user is
    tied to (`users add --department`: domain.accounts.TIED_REGISTER; codes the township no
    longer has cover nothing)."""
    if role in TOWNSHIP_ROLES:
        return WHOLE_TOWNSHIP
    tied = ties or {}

    def own(register: str, codes: set[str]) -> frozenset[str]:
        return frozenset(codes | set(tied.get(register) or ()))

    if role == Role.DEPARTMENT_HANDLER:
        departments = {
            d.code for d in township.departments.values() if person and person in d.handlers
        }
        return CaseScope(departments=own("departments", departments))
    if role not in GRID_ROLES:
        return NO_CASES  # not a person's role
    grids = township.grids.values()
    if role == Role.GRID_LEADER:
        villages = {g.village for g in grids if person and g.leader == person}
        found = township.people.get(person or "")
        if found is not None and found.village:
            villages.add(found.village)
        return CaseScope(villages=own("villages", villages), reporter=name)
    mine = {g.code for g in grids if person and (person in g.workers or person in g.members)}
    return CaseScope(grids=own("grids", mine), reporter=name)
