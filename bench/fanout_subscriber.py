"""A subscriber process for bench/backend.py fanout: counts N updates, prints when it got the last.

Run by the benchmark: fanout_subscriber.py ENDPOINT N
"""

from __future__ import annotations

import sys
import time

import zmq


def main() -> None:
    endpoint, expected = sys.argv[1], int(sys.argv[2])
    sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 0)
    sub.connect(endpoint)
    sub.setsockopt(zmq.SUBSCRIBE, b"incident.")
    print("READY", flush=True)
    got = 0
    while got < expected and sub.poll(10_000):
        sub.recv_multipart()
        got += 1
    print(f"{got} {time.time()!r}", flush=True)


if __name__ == "__main__":
    main()
