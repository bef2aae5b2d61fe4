"""The console's copy of the incidents: plain Python, so it can be tested without Qt.

Network updates change it at once (cheap); views read it on their own repaint timer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.incident import Incident


@dataclass(slots=True)
class BatchResult:
    inserted: list[Incident] = field(default_factory=list)
    changed: list[Incident] = field(default_factory=list)


class IncidentBook:
    """Incidents by id, and in arrival order (newest last)."""

    def __init__(self) -> None:
        self._by_id: dict[str, Incident] = {}
        self._order: list[str] = []
        self._position: dict[str, int] = {}  # arrival order is append-only: positions stay put
        self.seq = 0

    def __len__(self) -> int:
        return len(self._order)

    def at(self, index: int) -> Incident:
        return self._by_id[self._order[index]]

    def get(self, incident_id: str) -> Incident | None:
        return self._by_id.get(incident_id)

    def all(self) -> list[Incident]:
        return [self._by_id[i] for i in self._order]

    def index_of(self, incident_id: str) -> int:
        return self._position[incident_id]

    def replace_all(self, incidents: list[Incident], seq: int) -> None:
        ordered = sorted(incidents, key=lambda i: i.number)
        self._by_id = {i.id: i for i in ordered}
        self._order = [i.id for i in ordered]
        self._position = {incident_id: n for n, incident_id in enumerate(self._order)}
        self.seq = seq

    def apply(self, incidents: list[Incident]) -> BatchResult:
        """Insert new incidents and replace known ones with newer versions; ignore older ones."""
        result = BatchResult()
        for incident in incidents:
            known = self._by_id.get(incident.id)
            if known is None:
                self._by_id[incident.id] = incident
                self._position[incident.id] = len(self._order)
                self._order.append(incident.id)
                result.inserted.append(incident)
            elif incident.version > known.version:
                self._by_id[incident.id] = incident
                result.changed.append(incident)
        return result
