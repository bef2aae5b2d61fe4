"""Large answers under flow control (backend.service.outbox), over real sockets: a connection that
asks and never reads is held to two large answers, whatever it asks (issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import zmq

from backend.demo.users import DEMO_PASSWORD
from backend.service.outbox import SNAPSHOT_CHUNK, Outbox
from client.request import RequestClient
from domain.wire import ACK_ABOVE, LARGE_IN_FLIGHT, Message, MsgType, decode, encode
from tests.helpers import demo_reports, wait_for
from tests.services import Service


@pytest.fixture
def service(service_factory: Callable[..., Service]) -> Service:
    return service_factory()


def _reader_that_never_reads(endpoint: str) -> zmq.Socket[bytes]:
    """A DEALER that sends and acknowledges nothing unless the test says so."""
    dealer: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(endpoint)
    return dealer


def test_a_viewer_that_asks_for_snapshots_and_never_reads_is_held_to_two(
    service: Service,
) -> None:
    """A viewer sent 200 snapshot requests on a socket it never read: the backend grew from
    155 MB to 1,270 MB. Now two large answers at most wait for a connection unacknowledged,
    the latest request replaces one still waiting, and `parts.ack` lets the rest come."""
    count = 2 * SNAPSHOT_CHUNK + 100  # three parts
    with service.client() as staff:
        for report in demo_reports(count, seed=18):
            staff.submit_report(report)
    with RequestClient(service.endpoints.router, timeout=30) as viewer:
        token = viewer.log_in("duty", DEMO_PASSWORD).token
        dealer = _reader_that_never_reads(service.endpoints.router)
        asked = [Message(MsgType.SNAPSHOT_REQUEST, session=token) for _ in range(200)]
        outbox = service.server.outbox
        stats = service.server.stats
        before = stats.requests
        for m in asked:
            dealer.send(encode(m))
        wait_for(lambda: stats.requests >= before + len(asked), what="every request read")
        wait_for(lambda: outbox.unacknowledged() == LARGE_IN_FLIGHT, what="two parts sent")
        got = []
        while dealer.poll(1000):  # everything that left the backend for this connection
            got.append(dealer.recv())
        assert len(got) == LARGE_IN_FLIGHT and all(len(g) > ACK_ABOVE for g in got)
        parts = [decode(g) for g in got]
        assert outbox.unacknowledged() == LARGE_IN_FLIGHT and bool(outbox)  # the rest waits
        # Acknowledged: the latest request's snapshot comes whole; of those before it, at most
        # the two parts already sent.
        for m in parts:
            dealer.send(encode(Message(MsgType.PARTS_ACK, {"part": m.id})))
        while not (parts[-1].reply_to == asked[-1].id and parts[-1].body["last"]):
            assert dealer.poll(30_000), "the rest of the snapshot"
            part = decode(dealer.recv())
            parts.append(part)
            dealer.send(encode(Message(MsgType.PARTS_ACK, {"part": part.id})))
        latest = [p for p in parts if p.reply_to == asked[-1].id]
        assert [p.body["chunk"] for p in latest] == [0, 1, 2]
        assert sum(len(p.body["incidents"]) for p in latest) == count
        assert len(parts) - len(latest) <= LARGE_IN_FLIGHT
        wait_for(lambda: outbox.unacknowledged() == 0 and not outbox, what="all acknowledged")
        dealer.close()


def test_a_large_answer_of_any_kind_waits_for_the_ones_before_it(service: Service) -> None:
    """Not only snapshots: any answer over ACK_ABOVE (a township, a long detail, a photo) counts,
    and the client library acknowledges what it reads, so that it never waits on itself."""
    with RequestClient(service.endpoints.router, timeout=30) as viewer:
        token = viewer.log_in("duty", DEMO_PASSWORD).token
        dealer = _reader_that_never_reads(service.endpoints.router)
        asked = [Message(MsgType.TOWNSHIP_REQUEST, session=token) for _ in range(10)]
        asked.append(Message(MsgType.HELLO))  # small: not held back
        for m in asked:
            dealer.send(encode(m))
        got = []
        while dealer.poll(1000):
            got.append(decode(dealer.recv()))
        assert [m.type for m in got].count(MsgType.TOWNSHIP) == LARGE_IN_FLIGHT
        assert MsgType.WELCOME in [m.type for m in got]
        dealer.close()
        for _ in range(5):  # the library acknowledges: one large answer after another
            assert viewer.request(MsgType.TOWNSHIP_REQUEST).type == MsgType.TOWNSHIP


def test_what_waits_for_a_peer_that_left_is_let_go_and_all_that_waits_is_bounded() -> None:
    """A review found 40 connections that each asked for a 674 kB photo 8 times and left held
    630 MB for good: a peer whose window is full is never sent to, so ZeroMQ never said it
    left. Now a peer that acknowledges nothing for a while is let go, and what waits for every
    peer together is bounded."""
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    router = context.socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    outbox = Outbox(stalled_s=0.3, max_waiting_bytes=5 * 100_000)
    peers = []
    for _ in range(2):
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.connect(f"tcp://127.0.0.1:{port}")
        dealer.send(b"hello")
        assert router.poll(10_000)
        peers.append((dealer, router.recv_multipart()[:-1]))
    big = bytes(100_000)
    for dealer, envelope in peers:
        for k in range(4):
            outbox.large(envelope, f"{id(dealer)}-{k}", big)
    assert outbox.waiting_bytes == 5 * 100_000  # three of the eight dropped: no room
    outbox.send(router)
    outbox.send(router)
    # the first peer's two sent, two waiting; the second's one (three of its four had no room)
    assert outbox.unacknowledged() == 3 and outbox.waiting_bytes == 2 * 100_000
    for dealer, _envelope in peers:
        dealer.close()  # gone without reading

    def let_go() -> bool:
        outbox.send(router)
        return outbox.waiting_bytes == 0 and not outbox

    wait_for(let_go, what="a stalled peer's answers let go")
    router.close()
