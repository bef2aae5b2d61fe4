"""The map's heat layer over a period longer than a console holds (it keeps the last day's
closed cases): where the reports came from, counted on cells of about 50 m. Cells, not
places: the wall needs the density, and a resident's doorstep is not sent to every desk."""

from __future__ import annotations

from collections import Counter

from backend.service.context import Reply, RequestContext, SlowJob
from backend.service.services import Services
from domain.requests import HeatBody
from domain.wire import MsgType

CELL_DEG = 0.0005
"""About 55 m north-south, 48 m east-west at 30°N."""
MAX_CELLS = 20_000
"""Cells at most in one answer (some 600 kB); more, and the cells are made coarser."""


def binned(places: list[tuple[float, float]], cell: float) -> Counter[tuple[int, int]]:
    return Counter((int(lat // cell), int(lon // cell)) for lat, lon in places)


def heat(ctx: RequestContext, body: HeatBody, svc: Services) -> SlowJob:
    store = svc.store

    def job() -> Reply:
        places = store.report_places(body.start, body.end, body.category)
        cell = CELL_DEG
        counts = binned(places, cell)
        while len(counts) > MAX_CELLS:
            cell *= 2
            counts = binned(places, cell)
        cells = [[round((j + 0.5) * cell, 6), round((i + 0.5) * cell, 6), n]
                 for (i, j), n in counts.items()]  # fmt: skip
        answer = {"start": body.start, "end": body.end, "category": body.category,
                  "cell": cell, "reports": len(places), "cells": cells}  # fmt: skip
        return Reply(MsgType.HEAT, answer)

    return job
