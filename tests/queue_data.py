"""Incidents for queue tests: real reports of the demo township, moved along by real rules."""

from __future__ import annotations

import dataclasses
import random

from backend.demo.reporter import make_demo_report
from domain.deadlines import DeadlineRules
from domain.incident import Incident, IncidentState, Level, Urgency
from domain.lifecycle import new_incident
from domain.resources import load_config
from domain.township import load_demo_township

TOWNSHIP = load_demo_township()
RULES = DeadlineRules.load()
NOW = 1_795_480_000.0


def incidents(n: int, seed: int = 0, start: int = 1) -> list[Incident]:
    rng = random.Random(seed)
    demo = load_config()["demo"]
    out = []
    for k in range(n):
        report = make_demo_report(rng, TOWNSHIP, demo)
        out.append(new_incident(report, start + k, NOW - rng.uniform(0, 7200), RULES))
    return out


def changed(i: Incident, rng: random.Random) -> Incident:
    """The same incident, one version on, with state, urgency, level or deadline moved."""
    return dataclasses.replace(
        i,
        version=i.version + 1,
        state=rng.choice(list(IncidentState)),
        urgency=rng.choice(list(Urgency)),
        level=rng.choice(list(Level)),
        stage_due=rng.choice([None, NOW + rng.uniform(-3600, 7200)]),
        department=rng.choice([None, *TOWNSHIP.departments]),
        last_actor=rng.choice([None, "王建国", "李秀英"]),
    )
