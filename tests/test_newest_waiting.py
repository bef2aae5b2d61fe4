"""MJPEG over HTTP, whose timestamps a demuxer makes up, read from the newest frame waiting: on
a simulated camera and a simulated clock (the simulation's own, moved by the camera and the
decoder; nothing here reads the wall clock), so every figure is exact on any machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from console.video.newest_waiting import NewestWaiting

FPS = 30


@dataclass
class Packet:
    number: int
    is_keyframe: bool = True  # MJPEG: every frame
    size: int = 20_000


class Time:
    def __init__(self) -> None:
        self.t = 99.99  # connected just before the first frame

    def __call__(self) -> float:
        return self.t


def camera(time: Time, frames: int) -> Iterator[Packet]:
    """Frame n is sent at 100 + n / FPS s; reading one not yet sent waits for it."""
    for n in range(frames):
        time.t = max(time.t, 100.0 + n / FPS)
        yield Packet(n)


def decode(speed: float, frames: int = 900) -> tuple[float, int, int]:
    """A decoder taking 1 / (FPS * speed) s a frame: the oldest picture it showed (simulated
    seconds since its frame was sent, when the next replaced it), frames decoded, skipped."""
    time, counted = Time(), list[int]()
    reader = NewestWaiting(camera(time, frames), counted.append, monotonic=time)
    oldest, shown, decoded = 0.0, None, 0
    for packet in reader:
        time.t += 1 / (FPS * speed)
        if shown is not None and packet.number > FPS:
            oldest = max(oldest, time.t - 100.0 - shown / FPS)
        shown, decoded = packet.number, decoded + 1
    assert sum(counted) == reader.skipped
    return oldest, decoded, reader.skipped


def test_a_decoder_that_keeps_up_decodes_every_frame() -> None:
    oldest, decoded, skipped = decode(speed=1.3)
    assert skipped == 0 and decoded == 900
    assert oldest == pytest.approx(1 / FPS + 1 / (FPS * 1.3))  # a frame's wait, its decoding


def test_a_decoder_at_half_the_cameras_rate_always_goes_on_from_the_newest_frame() -> None:
    """Decoding every frame, it fell behind by half a second every second (7.4 s after 20 s
    on the wall, saying 实时); from the newest waiting, no picture is older than its own
    decoding, the wait for the next frame and the next one's decoding (5 / FPS here). The
    wait for a frame not yet sent (there is no asking whether one is waiting without reading
    it) leaves it a third of the frames, not half: the CPU it does not take goes to others."""
    oldest, decoded, skipped = decode(speed=0.5)
    assert oldest == pytest.approx(2 / FPS + 1 / FPS + 2 / FPS)
    assert decoded == 301 and decoded + skipped == 900, (decoded, skipped)


def test_the_stream_ending_in_a_backlog_ends_the_reader() -> None:
    time = Time()
    reader = NewestWaiting(iter([Packet(n) for n in range(10)]), monotonic=time)
    assert [p.number for p in reader] == [9]  # all waiting at once: the newest only
