"""The serve loop: one thread owns the ROUTER and the PUB and does every commit, so "commit,
then publish seq N" needs no lock (the ZeroMQ guide's Clone pattern). Each turn it reads what
is waiting, admits it (admission), hands it to its handler (handlers/), commits reports in
groups, writes the audit entries, then sends the answers; once a tick it beats, sweeps
deadlines and publishes the indicators. Requests that read much of the store run on a worker
thread, a login's password hash on another, a photo's decoding on a third (none waits behind
the others); their answers go out from here."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import zmq

from backend.authenticator import EnrolledAuthenticator, secure_server_socket
from backend.keyring import KeyRing
from backend.service.accounts import Accounts
from backend.service.admission import Admission, Admitted, Answered
from backend.service.audit_trail import AuditTrail
from backend.service.context import (
    Announcement,
    Finish,
    Published,
    Refusal,
    Reply,
    RequestContext,
    SlowJob,
)
from backend.service.field_push import FieldPush
from backend.service.handlers import deadlines, handle, reports
from backend.service.handshakes import HandshakeWatch
from backend.service.live import LiveState
from backend.service.outbox import Outbox
from backend.service.publisher import Publisher
from backend.service.refusals import Refusals
from backend.service.services import Services
from backend.service.stats import ServerStats
from backend.service.territory import TerritoryWatch
from backend.service.watch import Watch, folders_of, watched_figures
from backend.store import Store
from domain import township_parts
from domain.lifecycle import LifecycleError
from domain.replay_guard import WINDOW_S
from domain.requests import BodyError
from domain.township import Township
from domain.wire import MAX_MESSAGE_BYTES, ErrorCode, Message, MsgType, encode

log = logging.getLogger("backend.server")
HARD_MAX_MESSAGE_BYTES = 4 * MAX_MESSAGE_BYTES
"""ZMQ_MAXMSGSIZE: a peer sending more is disconnected by ZeroMQ before we read anything.
Between MAX_MESSAGE_BYTES and this, the sender gets a clear `too_large` error reply."""
INDICATORS_EVERY = 5.0
"""Seconds between `metric.indicators` updates when nothing changed."""
DRAIN_MAX = 1000
"""Requests read per turn at most, so that heartbeats keep their rhythm."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    router: str
    pub: str
    metrics: str | None = None
    """HOST:PORT of GET /health and /metrics (backend/watch_http.py), when served."""


class LiveStateServer:
    def __init__(
        self,
        store: Store,
        township: Township,
        router_endpoint: str,
        pub_endpoint: str,
        heartbeat_interval: float = 1.0,
        peer_rate_limit: int = 20_000,
        context: zmq.Context[Any] | None = None,
        keyring: KeyRing | None = None,
        demo_users: bool = False,
        push: FieldPush | None = None,
    ) -> None:
        """`keyring`: CurveZMQ on both sockets, only enrolled keys let in (docs/security.md);
        None: plain text, for one machine only (logged as a warning). `demo_users`: the demo's
        users (password `demo`) may log in; refused otherwise, whatever the store holds."""
        self.store = store
        self.keyring = keyring
        self.push = push
        """Dispatches and replies told to the field's messaging system (a webhook), if any."""
        self.heartbeat_interval = heartbeat_interval
        self.stats = ServerStats()
        self._context = context or zmq.Context.instance()
        self._endpoints = (router_endpoint, pub_endpoint)
        self.audit = AuditTrail(store)
        self.accounts = Accounts(store, keyring, self.audit, demo_users)
        self.publisher = Publisher(self._context, keyring, self.stats, self.accounts.sessions)
        self.outbox = Outbox()  # large answers, as their readers keep up
        self.live = LiveState(store, township)
        self.services = Services(
            store, township, self.live, self.accounts, self.audit, self.publisher, self.outbox
        )
        self.territory = TerritoryWatch(self.services, self.audit, self.publisher)
        self.refusals = Refusals(self.stats)
        self.admission = Admission(self.accounts, self.audit, self.refusals, peer_rate_limit)
        self.ready = threading.Event()
        """Set when the store is loaded; until then every request is answered `starting`."""
        self._router: zmq.Socket[bytes] | None = None
        self._authenticator: EnrolledAuthenticator | None = None
        self._handshakes: HandshakeWatch | None = None
        self._answers: list[tuple[list[bytes], Message]] = []
        """Answers of this turn, held until the audit entries that record them are written."""
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="slow-requests")
        self._login_worker = ThreadPoolExecutor(1, thread_name_prefix="logins")  # not shared
        self._photo_worker = ThreadPoolExecutor(1, thread_name_prefix="photos")  # decoded
        self._slow_pending = 0
        self._slow_done: deque[tuple[RequestContext, Reply | Finish | Refusal]] = deque()
        self._indicators_sent = 0.0
        self.watch = Watch(lambda: watched_figures(self), store.engine, folders_of(store))

    # Read by tests, benches and the tools.
    @property
    def township(self) -> Township:
        """The version the service counts by now (backend.service.territory swaps it)."""
        return self.services.township

    @property
    def session(self) -> str:
        return self.publisher.session

    @property
    def seq(self) -> int:
        return self.publisher.seq

    @property
    def sessions(self) -> Any:
        return self.accounts.sessions

    @property
    def audit_chain(self) -> Any:
        return self.audit.chain

    @property
    def refusal_log(self) -> Any:
        return self.refusals.refusal_log

    @property
    def denial_log(self) -> Any:
        return self.refusals.denial_log

    def bind(self, load: bool = True) -> Endpoints:
        """Bind both sockets (a `*` port picks a free one); `load`: read the store now, else
        call `load()` from another thread while `serve` answers `starting`."""
        if self.keyring is not None:
            self._authenticator = EnrolledAuthenticator(self._context, self.keyring)
            self._authenticator.start()
            self.accounts.enrolled = self.keyring.names()
            self.accounts.admitted = self._authenticator.keys.admitted
        else:
            log.warning(
                "PLAIN TEXT: no keys, so anyone who reaches %s can read and command; "
                "for one machine only (docs/security.md)",
                self._endpoints[0],
            )
        router = self._context.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        if self.keyring is not None:
            secure_server_socket(router, self.keyring)
        router.setsockopt(zmq.MAXMSGSIZE, HARD_MAX_MESSAGE_BYTES)
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # a reply to a vanished peer raises
        router.setsockopt(zmq.SNDHWM, 1_000)  # small answers; large ones wait (outbox)
        router.bind(self._endpoints[0])
        self._router = router
        pub = self.publisher.bind(self._endpoints[1])
        if self.keyring is not None:
            self._handshakes = HandshakeWatch(router, self.stats)
        if load:
            self.load()
        return Endpoints(router.getsockopt_string(zmq.LAST_ENDPOINT), pub)

    def load(self) -> None:
        """Any thread, before `ready`: the serve loop touches none of this until then."""
        now = time.time()
        self.live.restore(now)
        self.accounts.restore_sessions(now, self.township)
        self.audit.restore()
        self.admission.replays.remember(self.store.recent_request_ids(now - 2 * WINDOW_S))
        self.territory.start()
        self.ready.set()

    def serve(self, stop: threading.Event) -> None:
        """Run until `stop` is set; closes the sockets on the way out, after the last commit."""
        router = self._router
        assert router is not None, "bind() first"
        poller = zmq.Poller()
        poller.register(router, zmq.POLLIN)
        if self._handshakes is not None:
            poller.register(self._handshakes.socket, zmq.POLLIN)
        next_tick = time.monotonic()
        if self.push is not None:
            self.push.start()
        try:
            while not stop.is_set():
                ready = self.ready.is_set()
                now = time.monotonic()
                if ready and now >= next_tick:
                    self._tick()
                    next_tick = now + self.heartbeat_interval
                longest = 10 if self._slow_pending or not ready else 100
                wait_ms = 0 if self.outbox else max(0, min(longest, int((next_tick - now) * 1000)))
                events = dict(poller.poll(wait_ms))
                if self._handshakes is not None and events.get(self._handshakes.socket):
                    self._handshakes.read()
                if events.get(router):
                    self._drain(router)
                self.outbox.send(router)
                self._send_slow_replies()
                if ready:
                    self.publisher.read_subscriptions()
        finally:
            if self.push is not None:
                self.push.stop()
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._login_worker.shutdown(wait=True, cancel_futures=True)
            self._photo_worker.shutdown(wait=True, cancel_futures=True)
            if self.ready.is_set():
                self._send_slow_replies()
                self.admission.tally.flush(math.inf)  # the counts of the minute cut short
                self.audit.flush()
                self.audit.witness(force=True)
            if self._handshakes is not None:
                self._handshakes.close()
            router.close(linger=0)
            self.publisher.close()
            if self._authenticator is not None:
                self._authenticator.stop()

    def _tick(self) -> None:
        self.accounts.check_revocations(self.publisher)
        self.accounts.check_users()
        self.accounts.sweep()
        self.territory.check()
        self.admission.tally.flush(time.time())
        self.audit.prune()
        self.audit.witness()
        self.publisher.heartbeat()
        self._publish(deadlines.sweep(self.services, time.time()))
        self.live.store_minutes()
        self._publish_indicators()
        self.watch.take()

    # --- requests ----------------------------------------------------------------------------

    def _drain(self, router: zmq.Socket[bytes]) -> None:
        """Read what is waiting; reports that arrive together are committed together, before
        any later request runs; answers go out once their audit entries are written."""
        batch: list[reports.PendingReport] = []
        secure = self.keyring is not None
        for _ in range(DRAIN_MAX):
            try:
                if secure:
                    parts = router.recv_multipart(zmq.NOBLOCK, copy=False)
                    frames = [p.bytes for p in parts]
                    console = str(parts[-1].get("User-Id"))
                else:
                    frames, console = router.recv_multipart(zmq.NOBLOCK), "plain"
            except zmq.Again:
                break
            try:
                self._take(frames, console, batch)
            except Exception:  # a bug must cost one request, never the service
                log.exception("a request failed outside its handler")
        if batch:
            self._commit_reports(batch)
        self.audit.flush()
        answers, self._answers = self._answers, []
        for envelope, message in answers:
            self._send(envelope, message)

    def _take(self, frames: list[bytes], console: str, batch: list[reports.PendingReport]) -> None:
        """One request: a report joins the batch (committed with the others), anything else
        is handled now, after the reports before it are committed."""
        admitted = self._admit(frames, console)
        if admitted is None:
            return
        if admitted.ctx.request.type == MsgType.REPORT_SUBMIT:
            try:
                batch.append(reports.check(admitted.ctx, admitted.body, self.services))
            except (BodyError, Refusal) as e:
                self._refused(admitted.ctx, _refusal(e))
            return
        if batch:  # keep arrival order: earlier reports commit before this request runs
            self._commit_reports(batch)
            batch.clear()
        self._handle(admitted)

    def _admit(self, frames: list[bytes], console: str) -> Admitted | None:
        if self.keyring is not None and console not in self.keyring.names():
            answer: Admitted | Answered | None = self.admission.not_enrolled(frames, console)
        elif not self.ready.is_set():
            answer = self.admission.starting(frames, console)
        else:
            answer = self.admission.admit(frames, console)
        if isinstance(answer, Answered):
            self._answer(answer.envelope, answer.reply)
            return None
        return answer

    def _handle(self, admitted: Admitted) -> None:
        ctx = admitted.ctx
        try:
            result = handle(ctx, admitted.body, self.services)
        except (LifecycleError, Refusal, BodyError) as e:
            self._refused(ctx, _refusal(e))
            return
        except Exception:
            log.exception("handling %s failed", ctx.request.type)
            self._refused(ctx, Refusal(ErrorCode.INTERNAL, "the backend failed; see its log"))
            return
        if isinstance(result, Reply):
            self.audit.add_request(ctx, "ok")
            self._reply(ctx, result)
        else:
            self._start_slow(ctx, result)

    def _commit_reports(self, batch: list[reports.PendingReport]) -> None:
        self.stats.commits += 1
        for ctx, reply in reports.commit(batch, self.services):
            if reply.type == MsgType.ERROR:
                self.refusals.count(
                    ctx.envelope, ctx.console, reply.body["code"], reply.body["detail"]
                )
            elif reply.changes:
                self.stats.reports_committed += 1
            self._reply(ctx, reply)

    def _refused(self, ctx: RequestContext, refusal: Refusal) -> None:
        self.audit.add_request(ctx, refusal.code)
        self._reply(ctx, Reply(MsgType.ERROR, {"code": refusal.code, "detail": refusal.detail}))

    def _reply(self, ctx: RequestContext, reply: Reply) -> None:
        """Publish what the request changed, then answer with the seq of its last change."""
        if reply.type == MsgType.ERROR:
            self.refusals.count(ctx.envelope, ctx.console, reply.body["code"], reply.body["detail"])
        self._publish(reply.changes)  # then the answer: at its login's stream's seq
        seq = self.publisher.seq_of(ctx.who) if reply.seq is None else reply.seq
        if reply.type == MsgType.SNAPSHOT:
            incidents = reply.body["incidents"]
            self.outbox.start_snapshot(ctx.envelope, ctx.request.id, seq, self.session, incidents)
            return
        if reply.type == MsgType.TOWNSHIP and len(parts := township_parts.split(reply.body)) > 1:
            sent = [Message(reply.type, part, session=self.session, seq=self.seq,
                            reply_to=ctx.request.id) for part in parts]  # fmt: skip
            self.outbox.start_parts(ctx.envelope, [(m.id, encode(m)) for m in sent])
            return
        if not reply.type:
            return
        seq = 0 if reply.type == MsgType.ERROR else seq
        self._answer(ctx.envelope, Message(reply.type, reply.body, session=self.session, seq=seq,
                                           reply_to=ctx.request.id))  # fmt: skip

    def _publish(self, changes: Sequence[Published]) -> None:
        for change in changes:
            if isinstance(change, Announcement):
                if change.incident is None:
                    self.publisher.publish(change.type, change.body)
                else:  # where the incident is seen
                    about = self.live.wire_of(change.incident)
                    self.publisher.publish_about(change.type, change.body, about)
            else:
                before = self.live.incidents.get(change.incident.id)
                self.publisher.publish_incident(change.type, self.live.apply(change), before)
                if self.push is not None:
                    self.push.notice(change, self.township)

    def _answer(self, envelope: list[bytes], message: Message) -> None:
        self._answers.append((envelope, message))

    def _send(self, envelope: list[bytes], message: Message) -> None:
        assert self._router is not None
        self.outbox.answer(self._router, envelope, message)

    # --- slow requests -------------------------------------------------------------------------

    def _start_slow(self, ctx: RequestContext, job: SlowJob) -> None:
        def run() -> None:
            result: Reply | Finish | Refusal
            try:
                result = job()
            except (LifecycleError, Refusal, BodyError) as e:
                result = _refusal(e)
            except Exception:
                log.exception("answering %s failed", ctx.request.type)
                result = Refusal(ErrorCode.INTERNAL, "the backend failed; see its log")
            self._slow_done.append((ctx, result))

        self._slow_pending += 1
        workers: dict[str, ThreadPoolExecutor] = {
            MsgType.LOGIN: self._login_worker, MsgType.ATTACHMENT_ADD: self._photo_worker
        }  # fmt: skip
        workers.get(ctx.request.type, self._worker).submit(run)

    def _send_slow_replies(self) -> None:
        while self._slow_done:
            ctx, result = self._slow_done.popleft()
            self._slow_pending -= 1
            if callable(result):  # a login: its session is made here, audited
                try:
                    result = result()
                except Refusal as e:
                    result = e
            if isinstance(result, Refusal):
                self._refused(ctx, result)
            else:
                self.audit.add_request(ctx, "ok")
                self._reply(ctx, result)
            self.audit.flush()
            answers, self._answers = self._answers, []
            for envelope, message in answers:
                self._send(envelope, message)

    # --- the indicators ------------------------------------------------------------------------

    def _publish_indicators(self) -> None:
        """At most once a tick, when something changed (a case coming due counts); every
        `INDICATORS_EVERY` seconds regardless, so that a console can tell old figures."""
        now = time.monotonic()
        due = self.live.indicators.tick(time.time())
        if not (
            self.live.indicators_changed or due or now - self._indicators_sent >= INDICATORS_EVERY
        ):
            return
        self.publisher.indicators(self.live.figures())
        self.live.indicators_changed = False
        self._indicators_sent = now
        self.stats.indicators_published += 1


def _refusal(error: LifecycleError | Refusal | BodyError) -> Refusal:
    if isinstance(error, Refusal):
        return error
    if isinstance(error, LifecycleError):
        return Refusal(error.code.value, error.detail)
    return Refusal(ErrorCode.INVALID, str(error))
