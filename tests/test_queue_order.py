"""The queue's own sorting and filtering, against a plain sort of everything."""

from __future__ import annotations

import random

import pytest

from console.models.queue_order import QueueFilter, QueueOrder, SortBy
from domain.incident import Incident, IncidentState, Urgency
from tests.queue_data import NOW, TOWNSHIP, changed, incidents


def _shown(order: QueueOrder) -> list[str]:
    return [order.ids[s] for s in order.compute(NOW)]


def _expected(order: QueueOrder, book: dict[str, Incident]) -> list[str]:
    """A plain Python sort of everything, by the same rules written out again."""
    from console.models.queue_order import LEVEL_RANK, STATE_RANK
    from domain.incident import URGENCY_RANK

    words = order.filter.words

    def name(code: str | None) -> tuple[bool, str]:
        return (code is None, words.get(code or "", code or ""))

    def due(i: Incident) -> float:
        return i.stage_due if i.stage_due is not None else float("inf")

    keys = {
        SortBy.PRIORITY: lambda i: (URGENCY_RANK[i.urgency], due(i), i.number),
        SortBy.TIME_LEFT: lambda i: (due(i), i.number),
        SortBy.RECEIVED: lambda i: (i.received_at, i.number),
        SortBy.NUMBER: lambda i: (i.number,),
        SortBy.URGENCY: lambda i: (URGENCY_RANK[i.urgency], i.number),
        SortBy.LEVEL: lambda i: (LEVEL_RANK[i.level], i.number),
        SortBy.STATE: lambda i: (STATE_RANK[i.state], i.number),
        SortBy.CATEGORY: lambda i: (name(i.category), i.number),
        SortBy.ASSIGNEE: lambda i: (name(i.department), i.number),
        SortBy.CHANNEL: lambda i: (name(i.channel.value), i.number),
        SortBy.PLACE: lambda i: (name(i.village), name(i.grid), i.number),
    }[order.sort_by]
    shown = [i for i in book.values() if i.is_open]
    ordered = sorted(shown, key=keys, reverse=order.descending)
    return [i.id for i in ordered]


@pytest.mark.parametrize("by", list(SortBy))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("batch", [1, 300])
def test_batches_keep_the_order_a_full_sort_would_give(
    by: SortBy, descending: bool, batch: int
) -> None:
    rng = random.Random(f"{by}{descending}{batch}")
    book = {i.id: i for i in incidents(400, seed=1)}
    order = QueueOrder()
    order.sort_by, order.descending = by, descending
    order.rebuild(book.values())
    fresh = incidents(100, seed=2, start=1000)
    for _ in range(8):
        picked = rng.sample(list(book.values()), batch)
        updates = [changed(i, rng) for i in picked]
        if fresh:
            updates.append(fresh.pop())
        for i in updates:
            book[i.id] = i
        order.update(updates)
        assert _shown(order) == _expected(order, book)


def test_the_default_queue_is_open_incidents_most_urgent_first_then_by_deadline() -> None:
    order = QueueOrder()
    rng = random.Random(3)
    book = [changed(i, rng) for i in incidents(300, seed=3)]
    order.rebuild(book)
    shown = [next(i for i in book if i.id == k) for k in _shown(order)]
    assert shown and all(
        i.state not in (IncidentState.CLOSED, IncidentState.EVALUATED, IncidentState.MERGED)
        and i.state != IncidentState.REJECTED
        for i in shown
    )
    ranks = {Urgency.VERY_URGENT: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}
    keys = [(ranks[i.urgency], i.stage_due if i.stage_due is not None else 9e99) for i in shown]
    assert keys == sorted(keys)


def test_filters_narrow_by_each_field_and_search_the_names_people_read() -> None:
    rng = random.Random(4)
    book = [changed(i, rng) for i in incidents(500, seed=4)]
    everything = frozenset(IncidentState)
    words = {c.code: c.name for c in TOWNSHIP.categories.values()}
    words.update({v.code: v.name for v in TOWNSHIP.villages.values()})
    sample = book[0]
    village_name = TOWNSHIP.villages[sample.village].name
    cases = [
        (QueueFilter(states=everything, mine="王建国"), lambda i: i.last_actor == "王建国"),
        (QueueFilter(states=everything, urgency=Urgency.URGENT), lambda i: i.urgency == "urgent"),
        (
            QueueFilter(states=everything, overdue_only=True),  # an ended case is not overdue
            lambda i: i.is_open and (i.stage_due or 9e99) < NOW,
        ),
        (
            QueueFilter(states=frozenset({IncidentState.DISPATCHED})),
            lambda i: i.state == IncidentState.DISPATCHED,
        ),
        (
            QueueFilter(states=everything, text=village_name, words=words),
            lambda i: i.village == sample.village or village_name in i.description,
        ),
        (
            QueueFilter(states=everything, text=sample.display_number.lower(), words=words),
            lambda i: i.id == sample.id,
        ),
    ]
    for f, predicate in cases:
        order = QueueOrder()
        order.filter = f
        order.rebuild(book)
        assert set(_shown(order)) == {i.id for i in book if predicate(i)}, f  # type: ignore[no-untyped-call]
        assert _shown(order), f"the case {f} selects nothing; the test would prove nothing"
