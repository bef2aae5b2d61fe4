"""The console's plain incident state, without Qt."""

from __future__ import annotations

import dataclasses
import random

from backend.demo.reporter import make_demo_report
from console.models.incident_book import IncidentBook
from domain.deadlines import DeadlineRules
from domain.incident import Incident, IncidentState
from domain.lifecycle import new_incident
from domain.township import load_demo_township


def _incidents(n: int) -> list[Incident]:
    rng, township, rules = random.Random(1), load_demo_township(), DeadlineRules.load()
    return [
        new_incident(make_demo_report(rng, township, {}), k + 1, 1_795_000_000.0 + k, rules)
        for k in range(n)
    ]


def test_positions_follow_arrival_after_snapshot_and_inserts() -> None:
    book = IncidentBook()
    first, later = _incidents(8)[:5], _incidents(8)[5:]
    book.replace_all(list(reversed(first)), seq=5)
    book.apply(later)
    assert [book.index_of(i.id) for i in first + later] == list(range(8))
    assert all(book.at(book.index_of(i.id)) == i for i in first + later)


def test_newer_versions_replace_older_ones_are_ignored() -> None:
    book = IncidentBook()
    (incident,) = _incidents(1)
    book.apply([incident])
    newer = dataclasses.replace(incident, state=IncidentState.ACCEPTED, version=2)
    result = book.apply([newer, incident])
    assert result.changed == [newer] and result.inserted == []
    assert book.get(incident.id) == newer and len(book) == 1
