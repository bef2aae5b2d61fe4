"""Field reports for the demo township, sent through the real wire like a grid worker's app.

Runs on its own thread with its own DEALER socket (client.request), so the demo exercises the
same intake path as a real terminal, idempotent resends included.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import threading
import time
import uuid
from dataclasses import replace
from typing import Any

from backend.demo.patrols import plan_day
from backend.demo.users import log_in_staff
from client.curve import ClientKeys
from client.request import RequestClient, RequestError, RequestTimeout
from domain.deadlines import DeadlineRules
from domain.incident import Channel, FieldReport, Incident, IncidentState, Urgency
from domain.lifecycle import Action, Command
from domain.patrol import PatrolReport
from domain.scope import WHOLE_TOWNSHIP, CaseScope
from domain.township import Role, Township

log = logging.getLogger(__name__)

CHANNEL_WEIGHTS = {
    Channel.GRID_APP: 60,
    Channel.RESIDENT_APP: 20,
    Channel.HOTLINE: 10,
    Channel.CAMERA: 5,
    Channel.ENFORCEMENT: 5,
}


def make_demo_report(
    rng: random.Random, township: Township, config: dict[str, Any], now: float | None = None
) -> FieldReport:
    """One plausible report: a grid worker of a random grid, a category by its demo weight."""
    categories = [c for c in township.categories.values() if c.demo_weight > 0]
    if not categories:  # a township's own categories carry no demo weights: all alike
        categories = [replace(c, demo_weight=1) for c in township.categories.values()]
    category = rng.choices(categories, weights=[c.demo_weight for c in categories])[0]
    grid = rng.choice(list(township.grids.values()))
    u = rng.random()
    very_urgent = float(config.get("very_urgent_share", 0.03))
    urgent = float(config.get("urgent_share", 0.15))
    urgency = (
        Urgency.VERY_URGENT
        if u < very_urgent
        else Urgency.URGENT
        if u < very_urgent + urgent
        else Urgency.NORMAL
    )
    channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
    reporters = [township.people[p] for p in grid.workers] or [township.people[grid.leader]]
    reporter = rng.choice(reporters)
    if channel in (Channel.RESIDENT_APP, Channel.HOTLINE):
        reporter_name = "群众" + rng.choice("张王李赵陈刘") + "某"
    else:
        reporter_name = reporter.name
    assert reporter.role in (Role.GRID_WORKER, Role.GRID_LEADER)
    r_km, angle = 0.4 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    lat = grid.lat + r_km * math.sin(angle) / 111.0
    lon = grid.lon + r_km * math.cos(angle) / (111.0 * math.cos(math.radians(grid.lat)))
    text = rng.choice(category.demo_texts) if category.demo_texts else category.name
    village = township.villages[grid.village]
    report_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    phone, id_number = (
        _resident_contact(report_id) if reporter_name.startswith("群众") else (None, None)
    )
    return FieldReport(
        id=str(report_id),
        category=category.code,
        urgency=urgency,
        channel=channel,
        description=f"{village.name}:{text}",
        village=grid.village,
        grid=grid.code,
        lat=round(lat, 6),
        lon=round(lon, 6),
        reporter=reporter_name,
        reported_at=time.time() if now is None else now,
        reporter_phone=phone,
        reporter_id_number=id_number,
    )


def _resident_contact(report_id: uuid.UUID) -> tuple[str, str]:
    """A made-up mobile number and identity card number (Hangzhou's 3301 prefix), from the
    report's id: the demo's other draws stay as they were."""
    rng = random.Random(report_id.int)
    phone = rng.choice(("138", "139", "158", "177", "189")) + f"{rng.randrange(10**8):08d}"
    born = f"{rng.randrange(1950, 2005)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    body = f"3301{rng.randrange(1, 10):02d}{born}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return phone, body + check


# The demo's staff take the main path of the loop, as a real command room mostly does.
DEMO_STEPS: dict[IncidentState, tuple[Action, Role, dict[str, Any]]] = {
    IncidentState.REPORTED: (Action.PASS_UP, Role.GRID_LEADER, {}),
    IncidentState.PASSED_UP: (Action.ACCEPT, Role.SUPERVISOR, {}),
    IncidentState.ACCEPTED: (Action.DISPATCH, Role.SUPERVISOR, {}),
    IncidentState.DISPATCHED: (Action.START, Role.DEPARTMENT_HANDLER, {}),
    IncidentState.IN_PROGRESS: (Action.REPLY, Role.DEPARTMENT_HANDLER, {"note": "已按要求处置"}),
    IncidentState.REPLIED: (Action.VERIFY, Role.GRID_WORKER, {}),
    IncidentState.VERIFIED: (Action.CLOSE, Role.SUPERVISOR, {}),
    IncidentState.CLOSED: (Action.EVALUATE, Role.SUPERVISOR, {"score": 4}),
}
STAFF = {
    Role.GRID_LEADER: "网格长", Role.DUTY_OFFICER: "值班员", Role.SUPERVISOR: "带班领导",
    Role.DEPARTMENT_HANDLER: "部门经办人", Role.GRID_WORKER: "专职网格员",
}  # fmt: skip


class DemoReporter(threading.Thread):
    """Poisson arrivals at `per_minute` reports a minute until `stop` is set; between reports,
    the demo staff move earlier incidents one step along the loop, through real commands, and
    the grid workers' patrols of the day go in as each one ends (those of the morning at once)."""

    def __init__(
        self,
        router_endpoint: str,
        township: Township,
        per_minute: float,
        config: dict[str, Any],
        stop: threading.Event,
        seed: int | None = None,
        keys: ClientKeys | None = None,
    ) -> None:
        super().__init__(name="demo-reporter", daemon=True)
        self._endpoint = router_endpoint
        self._township = township
        self._rate = per_minute / 60.0
        self._config = config
        self._stop_event = stop
        self._rng = random.Random(seed)
        self._keys = keys
        self._tz = DeadlineRules.load().calendar.tz
        self._patrols_sent: set[str] = set()
        self._plan: tuple[dt.date, list[PatrolReport]] | None = None
        self.sent = 0
        self.patrols_sent = 0
        self._scopes: dict[Role, CaseScope] = {}

    def run(self) -> None:
        open_incidents: dict[str, Incident] = {}
        with RequestClient(self._endpoint, timeout=2.0, keys=self._keys) as client:
            while not self._stop_event.is_set():
                try:
                    self._scopes = {login.role: login.scope for login in log_in_staff(client)}
                    break
                except (RequestTimeout, RequestError) as e:
                    log.warning("demo staff cannot log in (run with --demo-users): %s", e)
                    self._stop_event.wait(5.0)
            # A first report at once, so a fresh console has something to show.
            while not self._stop_event.is_set():
                report = make_demo_report(self._rng, self._township, self._config)
                try:
                    ack = client.submit_report(report)
                    self.sent += 1
                    incident = Incident.from_wire(ack.body["incident"])
                    open_incidents[incident.id] = incident
                except (RequestTimeout, RequestError) as e:
                    log.warning("demo report not acknowledged: %s", e)
                for _ in range(2):
                    self._advance(client, open_incidents)
                self._send_patrols(client)
                self._stop_event.wait(self._rng.expovariate(self._rate))

    def _send_patrols(self, client: RequestClient) -> None:
        now = time.time()
        today = dt.datetime.fromtimestamp(now, self._tz).date()
        if self._plan is None or self._plan[0] != today:
            self._plan = (today, plan_day(self._township, today, self._tz))
        for patrol in self._plan[1]:
            if patrol.ended_at > now:
                break
            if patrol.id in self._patrols_sent:
                continue
            try:
                client.submit_patrol(patrol)
            except (RequestTimeout, RequestError) as e:
                log.warning("demo patrol not acknowledged: %s", e)
                return
            self._patrols_sent.add(patrol.id)
            self.patrols_sent += 1

    def _advance(self, client: RequestClient, open_incidents: dict[str, Incident]) -> None:
        if len(open_incidents) < 8:  # keep a queue on the screen
            return
        # Only cases the step's staff member may act on (a village's staff, its village's):
        # asking for others was refused by the backend's scope check, a warning each time.
        ours = [
            i for i in sorted(open_incidents.values(), key=lambda i: i.id)
            if self._scopes.get(DEMO_STEPS[i.state][1], WHOLE_TOWNSHIP).covers_wire(i.to_wire())
        ]  # fmt: skip
        if not ours:
            return
        incident = self._rng.choice(ours)
        action, role, args = DEMO_STEPS[incident.state]
        if action == Action.DISPATCH:
            category = self._township.categories[incident.category]
            args = {"department": category.department}
        command = Command(incident.id, action, incident.version, STAFF[role], role, args)
        try:
            reply = client.command(command)
        except (RequestTimeout, RequestError) as e:
            log.info("demo step refused: %s", e)
            open_incidents.pop(incident.id, None)
            return
        after = Incident.from_wire(reply.body["incident"])
        if after.state in DEMO_STEPS:
            open_incidents[after.id] = after
        else:
            open_incidents.pop(after.id, None)
