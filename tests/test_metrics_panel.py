"""The indicators, counted with numpy over the queue's columns, against a plain count."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time

import numpy as np
from pytestqt.qtbot import QtBot

from console.models.queue_order import QueueOrder
from console.widgets.indicator_charts import headroom
from console.widgets.metrics_panel import MINUTES, MetricsPanel
from domain.deadlines import DeadlineRules
from domain.incident import IncidentState, Urgency
from tests.queue_data import TOWNSHIP, changed, incidents


def test_the_figures_are_what_a_plain_count_gives(qtbot: QtBot) -> None:
    now = time.time()
    local = dt.datetime.fromtimestamp(now, DeadlineRules.load().calendar.tz)  # the township's day
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    rng = random.Random(3)
    book = [  # across yesterday, today and the last hour; some moved along
        dataclasses.replace(
            changed(i, rng) if rng.random() < 0.5 else i,
            received_at=now - rng.choice([rng.uniform(0, 3600), rng.uniform(0, 2 * 86400)]),
        )
        for i in incidents(3000, seed=3)
    ]
    order = QueueOrder()
    order.update(book)
    panel = MetricsPanel(order)
    qtbot.addWidget(panel)
    panel.set_township(TOWNSHIP)
    panel.refresh(now)

    today = [i for i in book if i.received_at >= start_of_day]
    assert panel.reports_today.value.text() == str(len(today))
    urgent = sum(1 for i in today if i.urgency != Urgency.NORMAL)
    assert panel.urgent_today.value.text() == str(urgent)
    awaiting = [IncidentState.REPORTED, IncidentState.PASSED_UP]
    assert panel.awaiting.value.text() == str(sum(1 for i in book if i.state in awaiting))

    per_minute = np.zeros(MINUTES)
    for i in book:
        age = int((now - i.received_at) // 60)
        if 0 <= age < MINUTES:
            per_minute[MINUTES - 1 - age] += 1
    _x, shown = panel._minute_curve.getData()
    assert per_minute.sum() > 0 and np.array_equal(shown, per_minute)

    platforms = [p.code for p in TOWNSHIP.platforms]
    by_platform = np.zeros(len(platforms))
    for i in today:
        category = TOWNSHIP.categories[i.category]
        by_platform[platforms.index(category.platform_by_set[TOWNSHIP.platform_set])] += 1
    assert np.array_equal(panel._bars.opts["height"], by_platform)
    # The axis is tall enough for the highest bar, in steps that do not move every report.
    assert panel.per_minute.viewRange()[1][1] == headroom(per_minute.max()) >= per_minute.max()


def test_headroom_moves_in_steps() -> None:
    assert [headroom(x) for x in (0, 4, 5, 12, 49, 150, 1000)] == [5, 5, 10, 20, 100, 200, 2000]


def test_in_a_burst_the_numbers_stay_current_and_the_charts_wait(qtbot: QtBot) -> None:
    order = QueueOrder()
    panel = MetricsPanel(order)
    qtbot.addWidget(panel)
    panel.set_township(TOWNSHIP)
    now = time.time()
    fresh = [dataclasses.replace(i, received_at=now - 30) for i in incidents(3000, seed=4)]
    order.update(fresh[:1000])
    panel.mark_dirty(1000)
    panel._on_tick()  # the first tick draws everything
    assert panel.reports_today.value.text() == "1000"
    assert panel._minute_curve.getData()[1].sum() == 1000
    order.update(fresh[1000:])
    panel.mark_dirty(2000)  # 2,000 updates within a second: a burst
    panel._on_tick()
    assert panel.reports_today.value.text() == "3000", "the numbers follow every second"
    assert panel._minute_curve.getData()[1].sum() == 1000, "the chart waits out the burst"
    panel._charts_at -= 5  # five seconds on
    panel._on_tick()
    assert panel._minute_curve.getData()[1].sum() == 3000
