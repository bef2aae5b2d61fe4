"""The Clone sequencing (client.clone) with lists of frames: no sockets, no Qt, no threads."""

from __future__ import annotations

from typing import Any

import pytest

from client.clone import CloneBroken, CloneFollower, Phase, Verdict
from domain.incident import Channel, Incident, IncidentState, Urgency
from domain.wire import Message, MsgType, encode

SESSION = "s1"


def _incident(number: int) -> dict[str, Any]:
    incident = Incident(
        id=f"i{number}", number=number, category="c", urgency=Urgency.NORMAL,
        channel=Channel.HOTLINE, state=IncidentState.REPORTED, description="", village="v",
        grid=None, lat=None, lon=None, reporter="r", reported_at=0.0, received_at=0.0, version=1,
    )  # fmt: skip
    return incident.to_wire()


def _update(seq: int, number: int | None = None, session: str = SESSION) -> list[bytes]:
    body = {"incident": _incident(number if number is not None else seq)}
    msg = Message(MsgType.INCIDENT_UPDATED, body, session=session, seq=seq)
    return [msg.topic, encode(msg)]


def _heartbeat(seq: int, session: str = SESSION) -> list[bytes]:
    msg = Message(MsgType.HEARTBEAT, {}, session=session, seq=seq)
    return [msg.topic, encode(msg)]


def _snapshot_parts(seq: int, numbers: list[list[int]], session: str = SESSION) -> list[Message]:
    request = Message(MsgType.SNAPSHOT_REQUEST)
    return [
        request.reply(
            MsgType.SNAPSHOT,
            {"seq": seq, "incidents": [_incident(n) for n in chunk], "last": k == len(numbers) - 1},
            session=session,
        )
        for k, chunk in enumerate(numbers)
    ]


def _live(seq: int = 10) -> CloneFollower:
    follower = CloneFollower()
    assert follower.welcomed(SESSION) is True
    follower.stream_delivered()
    [part] = _snapshot_parts(seq, [[1, 2]])
    assert follower.snapshot_part(part) is not None
    return follower


def test_hello_then_stream_then_snapshot_in_chunks() -> None:
    follower = CloneFollower()
    phases = [follower.phase]
    assert follower.welcomed(SESSION) is True
    phases.append(follower.phase)
    assert phases == [Phase.HELLO, Phase.AWAIT_STREAM]
    with pytest.raises(RuntimeError):  # no snapshot before the stream delivered
        follower.snapshot_part(_snapshot_parts(5, [[1]])[0])
    follower.stream_delivered()
    first, second, last = _snapshot_parts(7, [[1, 2], [3], [4, 5]])
    assert follower.snapshot_part(first) is None
    assert follower.snapshot_part(second) is None
    snapshot = follower.snapshot_part(last)
    assert snapshot is not None
    assert [i.number for i in snapshot.incidents] == [1, 2, 3, 4, 5]
    assert snapshot.seq == follower.last_seq == 7
    assert follower.phase == Phase.LIVE


def test_updates_in_order_are_applied_and_old_or_repeated_ones_dropped() -> None:
    follower = _live(seq=10)
    frames = [_update(9), _update(10), _update(11), _update(11), _update(12), _heartbeat(12)]
    followed = follower.follow(frames)
    assert followed.verdict is None
    assert [i.number for i in followed.incidents] == [11, 12]
    assert followed.heard
    assert follower.last_seq == 12


def test_a_gap_means_a_new_snapshot_with_what_came_before_it_kept() -> None:
    follower = _live(seq=10)
    followed = follower.follow([_update(11), _update(13), _update(14)])
    assert followed.verdict == Verdict.RESYNC
    assert "gap" in followed.reason
    assert [i.number for i in followed.incidents] == [11]
    assert follower.phase == Phase.SNAPSHOT
    [part] = _snapshot_parts(14, [[1]])
    snapshot = follower.snapshot_part(part)
    assert snapshot is not None and follower.last_seq == 14
    assert follower.follow([_update(14), _update(15)]).incidents[0].number == 15


def test_a_heartbeat_ahead_of_us_means_a_new_snapshot() -> None:
    """An update lost before the next one came: only the heartbeat tells."""
    follower = _live(seq=10)
    assert follower.follow([_heartbeat(10)]).verdict is None
    followed = follower.follow([_heartbeat(11)])
    assert followed.verdict == Verdict.RESYNC
    assert follower.phase == Phase.SNAPSHOT


def test_another_backend_session_means_hello_again() -> None:
    follower = _live(seq=10)
    followed = follower.follow([_update(11), _heartbeat(0, session="s2"), _update(12)])
    assert followed.verdict == Verdict.RECONNECT
    assert [i.number for i in followed.incidents] == [11]
    assert follower.phase == Phase.HELLO
    assert follower.welcomed("s2") is True, "the caller asks for the township again"
    follower.stream_delivered()
    [part] = _snapshot_parts(3, [[1]], session="s2")
    assert follower.snapshot_part(part) is not None
    assert follower.last_seq == 3
    assert follower.follow([_update(4, session="s2")]).incidents[0].number == 4


def test_the_same_session_after_a_reconnection_is_not_new() -> None:
    follower = _live()
    follower.lost()
    assert follower.phase == Phase.HELLO
    assert follower.welcomed(SESSION) is False


def test_a_snapshot_part_from_another_session_breaks_the_snapshot() -> None:
    follower = CloneFollower()
    follower.welcomed(SESSION)
    follower.stream_delivered()
    first, _last = _snapshot_parts(5, [[1], [2]])
    assert follower.snapshot_part(first) is None
    [restarted] = _snapshot_parts(1, [[2]], session="s2")
    with pytest.raises(CloneBroken) as broken:
        follower.snapshot_part(restarted)
    assert broken.value.verdict == Verdict.RECONNECT
    assert follower.phase == Phase.HELLO


def test_an_undecodable_update_means_a_new_snapshot_and_odd_frames_are_dropped() -> None:
    follower = _live(seq=10)
    assert follower.follow([[b"incident.updated"], _update(11)]).incidents[0].number == 11
    followed = follower.follow([[b"incident.updated", b"{not json"]])
    assert followed.verdict == Verdict.RESYNC
    assert "undecodable" in followed.reason


def test_figures_come_outside_the_sequence() -> None:
    follower = _live(seq=10)
    figures = Message(MsgType.INDICATORS, {"open": 3}, session=SESSION)
    followed = follower.follow([[figures.topic, encode(figures)], _update(11)])
    assert followed.indicators == [{"open": 3}]
    assert follower.last_seq == 11


def test_a_long_drain_offers_pauses() -> None:
    follower = _live(seq=0)
    pauses: list[int] = []
    follower.follow([_update(n) for n in range(1, 101)], pause=lambda: pauses.append(1))
    assert len(pauses) == 100 // 32
    assert follower.last_seq == 100


def test_nothing_heard_from_an_empty_drain() -> None:
    assert _live().follow([]).heard is False


def _left(seq: int, number: int) -> list[bytes]:
    msg = Message(MsgType.INCIDENT_LEFT, {"incident": {"id": f"i{number}"}}, session=SESSION,
                  seq=seq)  # fmt: skip
    return [msg.topic, encode(msg)]


def test_a_case_that_left_the_scope_is_dropped_and_one_that_came_back_is_kept() -> None:
    """`incident.left` is in the stream's sequence like any change; within one drain, a case
    that left after its update is not among the updates, one that came back after leaving is
    not among those that left."""
    follower = _live(seq=10)
    followed = follower.follow([_update(11, 1), _left(12, 1), _left(13, 2), _update(14, 2)])
    assert followed.verdict is None and follower.last_seq == 14
    assert [i.id for i in followed.incidents] == ["i2"]
    assert followed.left == ["i1"]
    gap = follower.follow([_left(16, 3)])
    assert gap.verdict == Verdict.RESYNC and not gap.left
