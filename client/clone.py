"""The Clone pattern's sequencing (ZeroMQ guide, chapter 5), with no sockets and no Qt.

A follower of the backend's state says hello (learning the backend's session), subscribes,
waits until the subscription delivers something (so no update slips between the snapshot and
the stream), takes a snapshot at seq N in one or more parts, then applies only updates with
seq N+1, N+2, … An update at or below what it has is a duplicate and dropped; a gap, a
heartbeat ahead of it or an undecodable update means a new snapshot; a message from another
backend session means hello again. The guide's sample client does not notice a skipped seq:
this one must.

`CloneFollower` decides and keeps the seq; whoever owns the sockets (the console's link
thread, a test with lists of frames) feeds it and acts on what it returns. It is used from one
thread at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.incident import Incident
from domain.wire import Message, MsgType, ProtocolError, decode

log = logging.getLogger(__name__)

PAUSE_EVERY = 32
"""`follow` offers the caller a pause after this many frames (the link yields the GIL there)."""


class Phase(StrEnum):
    HELLO = "hello"  # say hello: learn the backend's session (and where it publishes)
    AWAIT_STREAM = "await_stream"  # subscribed: wait until the stream delivers something
    SNAPSHOT = "snapshot"  # ask for a snapshot and take its parts
    LIVE = "live"  # apply updates in seq order


class Verdict(StrEnum):
    RESYNC = "resync"  # the stream can no longer be trusted: take a new snapshot
    RECONNECT = "reconnect"  # another backend session: say hello again
    TOWNSHIP = "township"  # a new township applied: ask for it again, then a new snapshot


class CloneBroken(Exception):
    """A snapshot cannot be used; `verdict` says what to do next."""

    def __init__(self, verdict: Verdict, reason: str) -> None:
        super().__init__(reason)
        self.verdict = verdict


@dataclass(frozen=True, slots=True)
class Snapshot:
    incidents: list[Incident]
    seq: int


@dataclass(slots=True)
class Followed:
    """What one drain of the update stream brought, up to where it broke (if it did)."""

    incidents: list[Incident] = field(default_factory=list)
    """Updated or reported incidents, in seq order."""
    left: list[str] = field(default_factory=list)
    """Incidents no longer in the login's scope (after the updates above: none of them is in
    `incidents`, and one that came back since is not here)."""
    indicators: list[dict[str, Any]] = field(default_factory=list)
    """The backend's figures (outside the seq: not a change of state)."""
    heard: bool = False
    """Any frame came: the backend is alive."""
    verdict: Verdict | None = None
    reason: str = ""


class CloneFollower:
    """The sequencing state of one follower: session, phase and the last seq applied."""

    __slots__ = ("_parts", "last_seq", "phase", "session")

    def __init__(self) -> None:
        self.session = ""
        self.phase = Phase.HELLO
        self.last_seq = 0
        self._parts: list[Message] = []

    def welcomed(self, session: str) -> bool:
        """The backend's welcome came; True when it is another session than the last (the
        caller asks for the township again). Next: subscribe and await the stream."""
        new = session != self.session
        self.session = session
        self.phase = Phase.AWAIT_STREAM
        return new

    def stream_delivered(self) -> None:
        """The subscription delivered its first message (left unread): a snapshot taken now is
        followed by every later update. Next: the snapshot."""
        if self.phase != Phase.AWAIT_STREAM:
            raise RuntimeError(f"stream_delivered in phase {self.phase}")
        self._start_snapshot()

    def lost(self) -> None:
        """The connection is gone; the next one begins with hello. The session is kept, so
        that the same backend after a reconnection is not taken for a new one."""
        self.phase = Phase.HELLO
        self._parts = []

    def snapshot_part(self, message: Message) -> Snapshot | None:
        """Take one part of a snapshot reply; the whole snapshot once its last part came.

        Raises CloneBroken(RECONNECT) when a part comes from another backend session."""
        if self.phase != Phase.SNAPSHOT:
            raise RuntimeError(f"snapshot_part in phase {self.phase}")
        if message.session != self.session:
            self.lost()
            raise CloneBroken(Verdict.RECONNECT, "the backend restarted during the snapshot")
        self._parts.append(message)
        if not message.body["last"]:
            return None
        parts, self._parts = self._parts, []
        incidents = [Incident.from_wire(i) for p in parts for i in p.body["incidents"]]
        self.last_seq = int(parts[0].body["seq"])
        self.phase = Phase.LIVE
        return Snapshot(incidents, self.last_seq)

    def follow(  # noqa: PLR0912 - a branch a rule of the sequence, kept in one loop for speed
        self, frames: Sequence[Sequence[bytes]], pause: Callable[[], None] | None = None
    ) -> Followed:
        """Check and decode a drain's published frames (topic, message) in order.

        Everything up to a break is in the result; at a break the rest is not read and the
        verdict says what to do (the phase is then SNAPSHOT or HELLO). `pause` is called every
        PAUSE_EVERY frames. Local variables only in the loop: it runs for every update."""
        if self.phase != Phase.LIVE:
            raise RuntimeError(f"follow in phase {self.phase}")
        result = Followed(heard=bool(frames))
        batch, indicators = result.incidents, result.indicators
        session, last_seq = self.session, self.last_seq
        heartbeat, figures = MsgType.HEARTBEAT, MsgType.INDICATORS
        updates = (MsgType.INCIDENT_REPORTED, MsgType.INCIDENT_UPDATED)
        from_wire = Incident.from_wire
        try:
            for n, frame in enumerate(frames):
                if pause is not None and n % PAUSE_EVERY == PAUSE_EVERY - 1:
                    pause()
                if len(frame) != 2:
                    log.warning("update with %d frames dropped", len(frame))
                    continue
                try:
                    msg = decode(frame[1])
                except ProtocolError as e:
                    return self._broken(result, Verdict.RESYNC, f"undecodable update ({e})")
                if msg.session != session:
                    return self._broken(
                        result, Verdict.RECONNECT, "the backend restarted (new session)"
                    )
                if msg.type == heartbeat:
                    if msg.seq > last_seq:
                        reason = f"heartbeat at seq {msg.seq}, we have {last_seq}"
                        return self._broken(result, Verdict.RESYNC, reason)
                    continue
                if msg.type == figures:
                    indicators.append(msg.body)
                    continue
                if msg.seq <= last_seq:
                    continue  # already in the snapshot, or a duplicate
                if msg.seq != last_seq + 1:
                    return self._broken(
                        result, Verdict.RESYNC, f"gap: seq {msg.seq} after {last_seq}"
                    )
                last_seq = msg.seq
                if msg.type in updates:  # other types are not shown yet
                    batch.append(from_wire(msg.body["incident"]))
                    if result.left:
                        _back(result.left, batch[-1].id)
                elif msg.type == MsgType.INCIDENT_LEFT:
                    gone = str(msg.body["incident"]["id"])
                    batch[:] = [i for i in batch if i.id != gone]
                    result.left.append(gone)
                elif msg.type == MsgType.TOWNSHIP_CHANGED:
                    reason = f"township version {msg.body.get('version')}"
                    self.last_seq = last_seq
                    return self._broken(result, Verdict.TOWNSHIP, reason)
            return result
        finally:
            self.last_seq = last_seq

    def _broken(self, result: Followed, verdict: Verdict, reason: str) -> Followed:
        result.verdict, result.reason = verdict, reason
        if verdict in (Verdict.RESYNC, Verdict.TOWNSHIP):
            self._start_snapshot()
        else:
            self.lost()
        return result

    def _start_snapshot(self) -> None:
        self.phase = Phase.SNAPSHOT
        self._parts = []


def _back(left: list[str], incident: str) -> None:
    """An incident in scope again (dispatched back) is no longer among those that left."""
    if incident in left:
        left[:] = [i for i in left if i != incident]
