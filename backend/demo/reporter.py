"""The live demo: field reports sent through the real wire like a grid worker's app, and the
township's staff moving cases along under their own logins.

Runs on its own thread with its own DEALER socket (client.request), so the demo exercises the
same intake path and the same checks as a real terminal, idempotent resends included.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import math
import random
import threading
import time
import uuid
from dataclasses import replace
from typing import Any

from backend.demo.field_gateway import FieldGateway
from backend.demo.patrols import plan_day
from backend.demo.rhythm import Rhythm
from backend.demo.staff import DemoStaff
from backend.demo.users import DEMO_PASSWORD, desk_people
from client.curve import ClientKeys
from client.request import Login, RequestClient, RequestError, RequestTimeout
from domain.deadlines import DeadlineRules
from domain.incident import Channel, FieldReport, Incident, Urgency
from domain.lifecycle import Command
from domain.patrol import PatrolReport
from domain.resources import load_config
from domain.township import Role, Township
from domain.wire import MsgType

log = logging.getLogger(__name__)

CHANNEL_WEIGHTS = {
    Channel.GRID_APP: 60,
    Channel.RESIDENT_APP: 20,
    Channel.HOTLINE: 10,
    Channel.CAMERA: 5,
    Channel.ENFORCEMENT: 5,
}


def make_demo_report(
    rng: random.Random,
    township: Township,
    config: dict[str, Any],
    now: float | None = None,
    avoid: frozenset[str] = frozenset(),
) -> FieldReport:
    """One plausible report: a grid worker of a random grid, a category by its demo weight;
    never by a person in `avoid` (the desk's logins: their reports are theirs to make)."""
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
    reporter = rng.choice([p for p in reporters if p.code not in avoid] or reporters)
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


class DemoReporter(threading.Thread):
    """Reports by the day's rhythm (backend.demo.rhythm) until `stop` is set; each case's next
    step at its planned moment (backend.demo.staff), sent as a command under the login of the
    person who takes it; the grid workers' patrols of the day as each one ends."""

    def __init__(
        self,
        router_endpoint: str,
        township: Township,
        rules: DeadlineRules,
        stop: threading.Event,
        per_minute: float | None = None,
        speed: float = 1.0,
        seed: int | None = None,
        keys: ClientKeys | None = None,
        gateway: str | None = None,
    ) -> None:
        super().__init__(name="demo-reporter", daemon=True)
        self._endpoint = router_endpoint
        self._township = township
        self._config = load_config()["demo"]
        self._rhythm = Rhythm.from_config(rules.calendar, self._config, per_minute)
        self._staff = DemoStaff(township, rules, desk_people(township), speed)
        self._stop_event = stop
        self._rng = random.Random(seed)
        self._keys = keys
        self._http = FieldGateway(gateway) if gateway else None
        """The field's reports through the HTTP gateway (as the phones send them), if given."""
        self._tz = rules.calendar.tz
        self._patrols_sent: set[str] = set()
        self._plan: tuple[dt.date, list[PatrolReport]] | None = None
        self._logins: dict[str, Login] = {}
        self._cases: dict[str, Incident] = {}
        self._steps: list[tuple[float, int, str]] = []
        self._seq = 0
        self.sent = 0
        self.steps_taken = 0
        self.patrols_sent = 0

    def run(self) -> None:
        with RequestClient(self._endpoint, timeout=5.0, keys=self._keys) as client:
            if not self._log_in(client):
                return
            next_report = time.time()  # a first report at once: something moves on screen
            while not self._stop_event.is_set():
                now = time.time()
                if next_report <= now:
                    self._report(client)
                    next_report = self._rhythm.next_arrival(max(now, next_report), self._rng)
                while self._steps and self._steps[0][0] <= time.time():
                    _at, _seq, incident_id = heapq.heappop(self._steps)
                    self._act(client, incident_id)
                self._send_patrols(client)
                wake = min(next_report, self._steps[0][0] if self._steps else next_report)
                self._stop_event.wait(max(0.0, min(wake - time.time(), 30.0)))

    def _log_in(self, client: RequestClient) -> bool:
        """As the gateway (reports, patrols), then as a supervisor of the demo's to read the
        cases already open; False if stopped first."""
        while not self._stop_event.is_set():
            try:
                client.log_in("gateway", DEMO_PASSWORD)
                self._login(client, self._staff.supervisors[0])
                _seq, cases = client.snapshot()
            except (RequestTimeout, RequestError) as e:
                log.warning("demo staff cannot log in (run with --demo-users): %s", e)
                self._stop_event.wait(5.0)
                continue
            for case in cases:
                self._schedule(Incident.from_wire(case))
            return True
        return False

    def _login(self, client: RequestClient, person: str) -> Login:
        login = self._logins.get(person)
        if login is None:
            login = self._logins[person] = client.log_in(person, DEMO_PASSWORD)
        return login

    def _report(self, client: RequestClient) -> None:
        report = make_demo_report(self._rng, self._township, self._config, avoid=self._staff.desk)
        try:
            filed = self._http.file(report) if self._http is not None else None
            if filed is not None:  # through the gateway: read back as the desk reads it
                reader = self._login(client, self._staff.supervisors[0])
                body = client.request(
                    MsgType.DETAIL_REQUEST, {"incident": filed}, login=reader
                ).body
            else:
                body = client.submit_report(report).body
        except (RequestTimeout, RequestError) as e:
            log.warning("demo report not acknowledged: %s", e)
            return
        self.sent += 1
        self._schedule(Incident.from_wire(body["incident"]))

    def _schedule(self, incident: Incident) -> None:
        self._cases[incident.id] = incident
        step = self._staff.next_step(incident)
        if step is not None:
            self._seq += 1
            heapq.heappush(self._steps, (step.at, self._seq, incident.id))

    def _act(self, client: RequestClient, incident_id: str) -> None:
        incident = self._cases.pop(incident_id, None)
        step = None if incident is None else self._staff.next_step(incident)
        if incident is None or step is None:
            return
        if step.at > time.time() + 1:  # re-read after a refusal: its next step is later
            self._schedule(incident)
            return
        command = Command(incident.id, step.action, incident.version, "", step.role, step.args)
        try:
            login = self._login(client, step.person)
            reply = client.request(MsgType.COMMAND, command.to_wire(), login=login)
        except RequestError as e:
            if e.code == "stale_version":  # the deadline sweep or the desk moved it meanwhile
                self._read_again(client, incident_id, self._logins[step.person])
            else:
                log.warning("demo step %s on %s refused: %s", step.action.value, incident.id, e)
            return
        except RequestTimeout as e:
            log.warning("demo step %s on %s not answered: %s", step.action.value, incident.id, e)
            return
        self.steps_taken += 1
        self._schedule(Incident.from_wire(reply.body["incident"]))

    def _read_again(self, client: RequestClient, incident_id: str, login: Login) -> None:
        try:
            body = {"incident": incident_id}
            fresh = client.request(MsgType.DETAIL_REQUEST, body, login=login).body["incident"]
        except (RequestTimeout, RequestError):
            return
        self._schedule(Incident.from_wire(fresh))

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
