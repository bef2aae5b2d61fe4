"""Which reader a stream's packets go through. A file's come as they are (the decoder paces
them); a live stream's are read ahead by their timestamps, the camera's own (read_ahead); a
stream whose timestamps a demuxer made up is read from the newest frame waiting
(newest_waiting). Plain Python, no Qt."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from console.video.decoder_priority import run_queue_seconds
from console.video.newest_waiting import NewestWaiting
from console.video.read_ahead import ReadAhead

INVENTED_TIMESTAMPS = frozenset({"mpjpeg", "mjpeg", "jpeg_pipe", "image2pipe"})
"""Demuxers that number frames at an assumed rate (MJPEG over HTTP: 25 a second, whatever the
camera sends) rather than take the camera's time: no lag can be read from them."""


def timed_by_camera(container: Any) -> bool:
    """Whether the stream's timestamps are the camera's own (read ahead by them), not made up."""
    return not set(container.format.name.split(",")) & INVENTED_TIMESTAMPS


def stated_rate(container: Any, stream: Any) -> float:
    """Frames a second the stream says it has; 0 where a demuxer made that up too (MJPEG over
    HTTP says 25 whatever the camera sends, and a 30 fps camera read as 25 fps)."""
    if not timed_by_camera(container):
        return 0.0
    return float(stream.average_rate or stream.guessed_rate or 0)


def packet_source(
    container: Any,
    stream: Any,
    loop: bool,
    after: float,
    frame: float,
    on_skip: Callable[[int], None],
) -> tuple[Iterator[Any], ReadAhead | None]:
    """The packets to decode, and the read-ahead where the stream's lag can be read. `after`:
    seconds behind live that a decoder catches up from; `frame`: the stream's frame period;
    `on_skip`: told of packets passed over for a newer one."""
    packets = container.demux(stream)
    if loop:
        return packets, None
    if timed_by_camera(container):
        ahead = ReadAhead(packets, after, frame, run_queue_seconds, container)
        return ahead, ahead
    return NewestWaiting(packets, on_skip), None
