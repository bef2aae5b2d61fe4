"""PyAV or OpenCV for the wall's decoders: CPU per frame to decode a clip and scale it to a
tile, one thread each, against `ffmpeg -threads 1 -i clip -f null -` of the same clip, same run.

Run: .venv/bin/python bench/video_decode.py [WIDTHxHEIGHT ...]   (default 1280x720 640x360)
--quick: one small 320x180 clip (figures printed, not meaningful; tests/test_bench_quick.py runs
it so that the bench cannot rot).
"""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import cv2
from av.video.reformatter import Interpolation, VideoReformatter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.video_wall import clip, ffmpeg_cpu_per_frame

TILE = (480, 270)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def opencv(path: Path, interpolation: int) -> float:
    start, n = cpu(), 0
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        cv2.resize(frame, TILE, interpolation=interpolation)
        n += 1
    return (cpu() - start) / n


def pyav(path: Path, each: Callable[[Any], object]) -> float:
    start, n = cpu(), 0
    with av.open(str(path)) as box:
        stream = box.streams.video[0]
        stream.thread_type = "NONE"
        for frame in box.decode(stream):
            each(frame)
            n += 1
    return (cpu() - start) / n


def scaled(reformatter: VideoReformatter) -> Callable[[Any], object]:
    def each(frame: Any) -> object:
        return reformatter.reformat(
            frame, width=TILE[0], height=TILE[1], format="bgra",
            interpolation=Interpolation.FAST_BILINEAR,
        )  # fmt: skip

    return each


def measure(path: Path) -> list[tuple[str, float]]:
    return [
        ("OpenCV read + resize (linear)", opencv(path, cv2.INTER_LINEAR)),
        ("OpenCV read + resize (area)", opencv(path, cv2.INTER_AREA)),
        (
            "PyAV decode + one swscale pass to BGRA (fast bilinear)",
            pyav(path, scaled(VideoReformatter())),
        ),
        ("PyAV decode only", pyav(path, lambda f: None)),
    ]


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = [a for a in sys.argv[1:] if a != "--quick"] or (
        ["320x180"] if quick else ["1280x720", "640x360"]
    )
    print("| clip | path | CPU per frame | ratio to ffmpeg's decode |\n|---|---|---|---|")
    for size in sizes:
        path = clip(size)
        ref = ffmpeg_cpu_per_frame(path)
        print(f"| {size} | ffmpeg -threads 1 decode only | {ref * 1000:.2f} ms | 1.00× |")
        for name, per in measure(path):
            print(f"| {size} | {name} | {per * 1000:.2f} ms | {per / ref:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
