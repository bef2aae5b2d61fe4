"""A load generator speaking the backend's protocol: answers hello, login, township, snapshot and
the indicator history (an empty store's, made by the backend's own `series`), refuses any other
request as a backend refuses one it does not serve (`unknown_type`), then publishes a burst of
new incidents at a fixed rate, with heartbeats throughout.

The real backend commits every change and tops out near 3,000 durable reports/s on this disk, so
a burst of 10,000 updates in one second needs a publisher that only publishes. Its messages are
made by the same codec and domain code as the backend's.

Run by bench/console.py: `python bench/burst_publisher.py COUNT SECONDS`; prints `READY {json}`.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import zmq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.demo.reporter import make_demo_report
from domain.deadlines import DeadlineRules
from domain.indicator_history import HISTORY_DAYS, STEPS, minute_of, series
from domain.lifecycle import new_incident
from domain.resources import load_config
from domain.township import load_demo_township
from domain.wire import (
    PROTOCOL_VERSION,
    ErrorCode,
    Message,
    MsgType,
    decode,
    encode,
    error_reply,
    new_id,
    stream_topic,
)

STREAM = "b" * 32
"""The one login's stream it publishes on (named in its `login.ok`)."""


def main() -> None:
    count, seconds = int(sys.argv[1]), float(sys.argv[2])
    township = load_demo_township()
    rules = DeadlineRules.load()
    rng = random.Random(1)
    demo = load_config()["demo"]
    now = time.time()
    payloads = [
        new_incident(make_demo_report(rng, township, demo), n + 1, now, rules).to_wire()
        for n in range(count)
    ]
    session, seq = new_id(), 0
    ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    router = ctx.socket(zmq.ROUTER)
    router.bind("tcp://127.0.0.1:*")
    pub = ctx.socket(zmq.PUB)
    pub.setsockopt(zmq.SNDHWM, 0)
    pub.bind("tcp://127.0.0.1:*")
    pub_port = int(pub.getsockopt_string(zmq.LAST_ENDPOINT).rsplit(":", 1)[1])
    print(
        "READY " + json.dumps({"router": router.getsockopt_string(zmq.LAST_ENDPOINT)}), flush=True
    )

    def publish(type_: str, body: dict[str, object], s: int) -> None:
        msg = Message(type_, body, session=session, seq=s)
        pub.send_multipart([stream_topic(STREAM, type_), encode(msg)])

    def history(body: dict[str, object]) -> dict[str, object]:
        """As the backend answers `metric.history.request` with no minutes stored yet."""
        now = time.time()
        step = body.get("step", 1)
        since = body.get("since", now)
        if step not in STEPS or not isinstance(step, int):
            step = 1
        if not isinstance(since, int | float):
            since = now
        since = max(float(since), now - (HISTORY_DAYS + 1) * 86_400)
        start = minute_of(since) // (step * 60) * (step * 60)
        answer = series([], start, minute_of(now), step)
        answer["current"] = {"at": minute_of(now), "received": 0, "closed": 0}
        return answer

    def answer(frames: list[bytes]) -> bool:
        request = decode(frames[-1])
        if request.type == MsgType.PARTS_ACK:
            return False  # flow control: never answered
        data, categories = township.to_dict()
        bodies: dict[str, tuple[str, dict[str, object]]] = {
            MsgType.HELLO: (MsgType.WELCOME, {
                "protocol": PROTOCOL_VERSION, "session": session, "seq": seq, "pub_port": pub_port,
                "township": township.code, "township_name": township.name}),
            MsgType.TOWNSHIP_REQUEST: (MsgType.TOWNSHIP, {
                "township": data, "categories": categories, "platform_set": township.platform_set,
                "deadline_rules": rules.to_wire()}),
            MsgType.CAMERA_CREDENTIALS_REQUEST: (MsgType.CAMERA_CREDENTIALS, {"cameras": {}}),
            MsgType.SNAPSHOT_REQUEST: (MsgType.SNAPSHOT, {
                "seq": seq, "chunk": 0, "last": True, "incidents": []}),
            MsgType.LOGIN: (MsgType.LOGGED_IN, {
                "token": "bench", "user": "duty", "name": "值班员", "role": "duty_officer",
                "person": None, "idle_s": 43200, "stream": STREAM,
                "scope": {"township": True}}),
        }  # fmt: skip
        if request.type == MsgType.HISTORY_REQUEST:
            bodies[request.type] = (MsgType.HISTORY, history(request.body))
        if request.type in bodies:
            reply_type, body = bodies[request.type]
            reply = Message(reply_type, body, session=session, seq=seq, reply_to=request.id)
        else:
            reply = error_reply(
                ErrorCode.UNKNOWN_TYPE, f"the burst publisher does not serve {request.type}",
                request.id, session,
            )  # fmt: skip
        router.send_multipart([*frames[:-1], encode(reply)])
        return request.type == MsgType.SNAPSHOT_REQUEST

    def serve(until: float) -> bool:
        snapshot_served = False
        next_hb = 0.0
        while time.monotonic() < until:
            if time.monotonic() >= next_hb:
                publish(MsgType.HEARTBEAT, {}, seq)
                next_hb = time.monotonic() + 0.2
            if router.poll(20):
                snapshot_served |= answer(router.recv_multipart())
                if snapshot_served:
                    return True
        return False

    if not serve(time.monotonic() + 30):
        sys.exit("no console asked for a snapshot")
    serve(time.monotonic() + 1.5)  # the console goes live and settles
    print("BURST", flush=True)
    start = time.monotonic()
    step = 100
    for k in range(0, count, step):
        while time.monotonic() < start + seconds * k / count:
            time.sleep(0.0005)
        for body in payloads[k : k + step]:
            seq += 1
            publish(MsgType.INCIDENT_REPORTED, {"incident": body}, seq)
    print(f"SENT {time.monotonic() - start:.3f}", flush=True)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        publish(MsgType.HEARTBEAT, {}, seq)
        if router.poll(200):
            router.recv_multipart()
        if sys.stdin.closed:
            break


if __name__ == "__main__":
    main()
