"""The gateway's way to the backend: one RequestClient per worker thread (a ZeroMQ socket
belongs to its thread), all over the gateway's one CurveZMQ key, so that every login made
here (the gateway's own, each field user's) is good from any of them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import zmq

from client.curve import ClientKeys
from client.request import Login, NotEnrolled, RequestClient, RequestError, RequestTimeout
from domain.township import Township
from domain.wire import ErrorCode, Message, MsgType

TOWNSHIP_TTL_S = 60.0
"""The township (villages, categories) is asked again after this: a new version in a minute."""


class BackendDown(Exception):
    """No answer: the backend is down, starting or unreachable (HTTP 503, try again)."""


@dataclass(frozen=True, slots=True)
class GatewayIdentity:
    user: str
    password: str


class BackendPort:
    def __init__(
        self,
        endpoint: str,
        identity: GatewayIdentity,
        keys: ClientKeys | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.endpoint = endpoint
        self.identity = identity
        self.keys = keys
        self.timeout = timeout
        self._context = zmq.Context()
        self._local = threading.local()
        self._clients: list[RequestClient] = []
        self._lock = threading.Lock()
        self._logging_in = threading.Lock()
        self._gateway: Login | None = None
        self._township: tuple[float, Township] | None = None
        self._silent = False
        """The last request had no answer: until one has, one request at a time asks (the
        others are told 503 at once, not each after its own timeout)."""
        self._asking = False

    def _client(self) -> RequestClient:
        client: RequestClient | None = getattr(self._local, "client", None)
        if client is None:
            client = RequestClient(self.endpoint, self.timeout, self._context, self.keys)
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    @contextmanager
    def _answered(self) -> Iterator[RequestClient]:
        """This thread's client for one request; BackendDown when it has no answer (the
        socket is then a new one), or at once while another request finds out whether the
        silent backend is back."""
        asking = False
        with self._lock:
            if self._silent:
                if self._asking:
                    raise BackendDown("the backend did not answer just now")
                self._asking = asking = True
        try:
            yield self._client()
        except (RequestTimeout, NotEnrolled) as e:
            self._reset()
            with self._lock:
                self._silent = True
            raise BackendDown(str(e)) from None
        except RequestError as e:  # a refusal: an answer all the same
            self._heard()
            if e.code == ErrorCode.STARTING:  # answering, not ready: 503 and a retry hint
                raise BackendDown(e.detail) from None
            raise
        else:
            self._heard()
        finally:
            if asking:
                with self._lock:
                    self._asking = False

    def _heard(self) -> None:
        with self._lock:
            self._silent = False

    def call(
        self, type_: str, body: dict[str, Any], login: Login | None, timeout: float | None = None
    ) -> Message:
        """One request under `login`; RequestError for the backend's refusal, BackendDown
        when it does not answer (the request may or may not have been done: the caller's
        client-made ids make a retry safe)."""
        with self._answered() as client:
            return client.request(type_, body, timeout=timeout, login=login)

    def _reset(self) -> None:
        """A socket that timed out may hold late answers: this thread starts a new one."""
        client = getattr(self._local, "client", None)
        if client is not None:
            self._local.client = None
            with self._lock:
                if client in self._clients:
                    self._clients.remove(client)
            client.close()

    def log_in(self, user: str, password: str) -> Login:
        reply = self.call(MsgType.LOGIN, {"user": user, "password": password}, None, 15.0)
        return Login.from_wire(reply.body)

    def gateway(self) -> Login:
        """The gateway's own login (residents', the hotline's and Open311 reports), made on
        first use and again when the backend has ended it: by one thread at a time (the
        backend counts logins still being checked as wrong ones, and locks out a sixth); the
        others wait for it, unless the backend is silent (then told at once)."""
        with self._lock:
            if self._gateway is not None:
                return self._gateway
            silent = self._silent
        if not self._logging_in.acquire(blocking=not silent):
            raise BackendDown("the backend did not answer just now")
        try:
            with self._lock:
                login = self._gateway
            if login is None:
                login = self.log_in(self.identity.user, self.identity.password)
                with self._lock:
                    self._gateway = login
            return login
        finally:
            self._logging_in.release()

    def as_gateway(self, type_: str, body: dict[str, Any], timeout: float | None = None) -> Message:
        try:
            return self.call(type_, body, self.gateway(), timeout)
        except RequestError as e:
            if e.code != ErrorCode.NOT_LOGGED_IN:
                raise
            with self._lock:
                self._gateway = None  # ended (idle, restart of a store): once more
            return self.call(type_, body, self.gateway(), timeout)

    def township(self) -> Township:
        """The township as the backend has it, asked again each TOWNSHIP_TTL_S."""
        now = time.monotonic()
        with self._lock:
            cached = self._township
        if cached is not None and now - cached[0] < TOWNSHIP_TTL_S:
            return cached[1]
        login = self.gateway()
        try:
            with self._answered() as client:
                body = client.township(login)
        except BackendDown:
            if cached is not None:
                return cached[1]  # the villages do not move while the backend restarts
            raise
        township = Township.from_dict(body["township"], body["categories"], body["platform_set"])
        with self._lock:
            self._township = (now, township)
        return township

    def snapshot(self, login: Login) -> list[dict[str, Any]]:
        """The open cases (and the last day's closed ones) the login's scope covers."""
        with self._answered() as client:
            return client.snapshot(login)[1]

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        self._context.term()
