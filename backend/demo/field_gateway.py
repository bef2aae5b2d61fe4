"""The demo's field reports as the phones send them: over HTTP to the gateway (python -m
gateway, `make run` starts one), signed in as the grid app's server (the `gridapp` login),
so that what a township's own grid app would do is what the demo does. While the gateway
does not answer (it starts after the backend), the report goes straight to the backend."""

from __future__ import annotations

import logging
import time

import httpx

from backend.demo.users import DEMO_PASSWORD
from domain.incident import Channel, FieldReport

log = logging.getLogger("backend.demo")
QUIET_S = 30.0
"""After the gateway failed, reports go straight to the backend this long."""


class FieldGateway:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=self.url, timeout=10.0)
        self._token: str | None = None
        self._quiet_until = 0.0
        self.sent = 0

    def _sign_in(self) -> str:
        answer = self._client.post("/v1/session", json={"user": "gridapp",
                                                         "password": DEMO_PASSWORD})  # fmt: skip
        answer.raise_for_status()
        token: str = answer.json()["token"]
        return token

    def file(self, report: FieldReport) -> str | None:
        """The filed case's id, or None: the gateway did not take it (send it directly)."""
        if time.monotonic() < self._quiet_until or report.channel == Channel.CAMERA:
            return None  # a case seen on the video is the duty officer's, at the desk
        body = report.to_wire()
        try:
            self._token = self._token or self._sign_in()
            answer = self._post(body)
            if answer.status_code == 401:  # the gateway restarted: tokens are its memory
                self._token = self._sign_in()
                answer = self._post(body)
            if 400 <= answer.status_code < 500 and answer.status_code != 429:
                log.warning("the gateway refused a demo report: %s", answer.text[:300])
                return None
            answer.raise_for_status()
        except httpx.HTTPError as e:
            if self.sent or not self._quiet_until:
                log.info("demo reports go straight to the backend for %.0f s: the gateway at "
                         "%s: %s", QUIET_S, self.url, e)  # fmt: skip
            self._quiet_until = time.monotonic() + QUIET_S
            return None
        if not self.sent or self._quiet_until:
            log.info("demo field reports come through the gateway at %s", self.url)
            self._quiet_until = 0.0
        self.sent += 1
        found: str = answer.json()["id"]
        return found

    def _post(self, body: dict[str, object]) -> httpx.Response:
        return self._client.post("/v1/reports", json=body,
                                 headers={"Authorization": f"Bearer {self._token}"})  # fmt: skip
