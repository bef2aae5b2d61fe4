"""The video wall against real RTSP cameras (issue 19), against `ffmpeg -threads 1` decoding
the same streams in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/video_rtsp.py [--tiles 16]
     [--size 1280x720] [--sub 640x360] [--codec h264|h265] [--seconds 60] [--hog] [--quick]

A real RTSP server in its own process (bench/rtsp_cameras.py, gst-rtsp-server) serves a recorded
noisy clip to each tile, paced by the clip's timestamps as a camera sends it. The real wall
(VideoWall at 1920×1080, its tiles, their decoders) shows them. Measured after every tile is
live, over `--seconds`: frames decoded and painted per second, console CPU per painted frame as
a ratio to ffmpeg's CPU per frame decoding one of the same streams over RTSP (just before and
just after the wall, their mean: the machine's speed drifts), each tile's lag
by its stream's own clock (sampled 4 times a second: the largest, and the p99 of all samples),
and the samples at which a tile said 实时 while a second or more behind (must be 0).
`--hog [N]`: N other processes (1 if N is not given) keep a core busy each throughout (the
machine short of CPU on purpose; 2 here is every core). `--sub WxH`: each camera has a sub
stream of that size as well (without it, the main stream is served as the sub stream too, so a
tile has nothing smaller to fall back to); `--tiles 6` is the 1+5 layout, its large tile on
the main stream.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QTimer  # noqa: E402

from bench.video_wall import APP, row, wait  # noqa: E402
from console.video.stream_status import StreamState  # noqa: E402
from console.widgets.video_tile import LAG_SHOWN  # noqa: E402
from console.widgets.video_wall import VideoWall  # noqa: E402
from domain.township import Camera  # noqa: E402
from tests.processes import free_port  # noqa: E402

CLIPS = Path(tempfile.gettempdir()) / "video-rtsp-bench"
LAYOUT_OF = {1: "1", 4: "2x2", 6: "1+5", 9: "3x3", 16: "4x4", 25: "5x5"}
FPS = 25


def clip(size: str, seconds: int, codec: str) -> Path:
    """A camera-like recording: a moving test picture with sensor-like noise, 25 fps, a key
    frame every 2 s, no B-frames, at a camera's bit rate (2 Mbit/s for 720p, scaled by area:
    uncapped, the noise took 4 Mbit/s and 7 ms a frame to decode here)."""
    CLIPS.mkdir(exist_ok=True)
    w, h = (int(x) for x in size.split("x"))
    rate = f"{max(0.5, 2.0 * w * h / (1280 * 720)):.1f}M"
    path = CLIPS / f"noisy-{size}-{seconds}s-{rate}.{codec}.mkv"
    if not path.is_file():
        encoder = (["-c:v", "libx265", "-x265-params", "bframes=0:keyint=50:log-level=error"]
                   if codec == "h265" else
                   ["-c:v", "libx264", "-g", "50", "-bf", "0", "-tune", "zerolatency"])  # fmt: skip
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size={size}:rate={FPS},noise=alls=8:allf=t+u", "-t", str(seconds),
             *encoder, "-preset", "veryfast", "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
             "-pix_fmt", "yuv420p", str(path)],
            check=True,
        )  # fmt: skip
    return path


def serve(n: int, path: Path, sub: Path | None) -> tuple[subprocess.Popen[str], str]:
    """The server, and its address (its cameras are at /camK, their sub streams at /subK)."""
    port = free_port()
    server = subprocess.Popen(
        ["/usr/bin/python3", str(REPO / "bench" / "rtsp_cameras.py"), str(port), str(n), str(path)]
        + ([str(sub)] if sub else []),
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    if "READY" not in server.stdout.readline():
        raise RuntimeError("the RTSP server did not start")
    return server, f"rtsp://127.0.0.1:{port}"


def ffmpeg_cpu_per_frame(url: str, seconds: float) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-threads", "1", "-rtsp_transport", "tcp", "-i", url,
         "-t", f"{seconds:.1f}", "-f", "null", "-"],
        check=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / (seconds * FPS)


def run_wall(n: int, base: str, seconds: float, sub: bool) -> dict[str, float]:
    wall = VideoWall(LAYOUT_OF[n])
    wall.resize(1920, 1080)
    wall.show()
    wall.cameras = [
        Camera(f"R{k:02d}", f"rtsp {k}", "bench", "bench", 1, None, 28.9, 119.8,
               f"{base}/cam{k}", f"{base}/sub{k}" if sub else f"{base}/cam{k}")
        for k in range(n)
    ]  # fmt: skip
    wall._fill()
    tiles = wall.tiles[:n]
    wait(30.0, until=lambda: all(t.status.state == StreamState.LIVE for t in tiles))
    lags: list[float] = []
    worst = [0.0] * n
    later = [0.0]  # the worst tile's lag in the second half of the run
    dishonest = 0
    fell_at: list[float] = []  # seconds into the run at which a tile fell to its sub stream

    def sample() -> None:
        nonlocal dishonest
        into = time.perf_counter() - start
        if not fell_at and any(t.feed and t.feed.reduced for t in tiles):
            fell_at.append(into)
        for k, t in enumerate(tiles):
            if t.feed is None:
                continue
            lag = t.feed.decoder.lag  # the newest packet's, and the picture's own age:
            if t.frame is not None:  # a starved decoder reads no packet and sends no frame
                age = t.frame.lag + time.perf_counter() - t.frame.decoded_at - 1 / FPS
                lag = max(lag, age)
            lags.append(lag)
            worst[k] = max(worst[k], lag)
            if into > seconds / 2:
                later[0] = max(later[0], lag)
            said_live = t.status.state == StreamState.LIVE and "Behind" not in t.state_text()
            dishonest += said_live and lag >= LAG_SHOWN + 0.5  # words are up to 1 s old

    sampler = QTimer()
    sampler.timeout.connect(sample)
    sampler.start(250)
    painted = sum(t.painted for t in tiles)
    direct = sum(t.direct.painted for t in tiles)
    first = [(t.feed.decoder, t.feed.decoder.frames_decoded) for t in tiles if t.feed]
    skipped = sum(t.feed.decoder.skipped for t in tiles if t.feed)
    unconverted = sum(t.feed.decoder.unconverted for t in tiles if t.feed)
    cpu, gui, start = time.process_time(), time.thread_time(), time.perf_counter()
    wait(seconds)
    cpu, elapsed = time.process_time() - cpu, time.perf_counter() - start
    gui = time.thread_time() - gui  # this thread is the GUI thread
    sampler.stop()
    painted = sum(t.painted for t in tiles) - painted
    direct = sum(t.direct.painted for t in tiles) - direct
    # A tile that fell to its sub stream has a new decoder since (the old one's count stopped).
    decoded = sum(d.frames_decoded - n for d, n in first) + sum(
        t.feed.decoder.frames_decoded
        for t in tiles
        if t.feed and all(t.feed.decoder is not d for d, _ in first)
    )
    skipped = sum(t.feed.decoder.skipped for t in tiles if t.feed) - skipped
    unconverted = sum(t.feed.decoder.unconverted for t in tiles if t.feed) - unconverted
    reduced = sum(bool(t.feed and t.feed.reduced) for t in tiles)
    wall.stop()
    wall.deleteLater()
    lags.sort()
    return {
        "painted_per_s": painted / elapsed,
        "direct_per_s": direct / elapsed,
        "decoded_per_s": decoded / elapsed,
        "skipped_per_s": skipped / elapsed,
        "unconverted_per_s": unconverted / elapsed,
        "cpu_per_frame": cpu / max(painted, 1),
        "gui_per_frame": gui / max(painted, 1),
        "gui_busy": gui / elapsed,
        "worst_lag": max(worst),
        "later_lag": later[0],
        "fell_at": fell_at[0] if fell_at else float("nan"),
        "p99_lag": lags[int(len(lags) * 0.99)] if lags else float("nan"),
        "dishonest": dishonest,
        "reduced": reduced,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiles", type=int, default=16, choices=sorted(LAYOUT_OF))
    p.add_argument("--size", default="1280x720")
    p.add_argument("--sub", help="each camera's sub stream's size, e.g. 640x360")
    p.add_argument("--codec", default="h264", choices=["h264", "h265"])
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--hog", type=int, nargs="?", const=1, default=0, metavar="N",
                   help="keep N cores busy meanwhile (one if N is not given)")  # fmt: skip
    p.add_argument("--quick", action="store_true", help="4 tiles of 640x360 for 4 s")
    args = p.parse_args()
    if args.quick:
        args.tiles, args.size, args.seconds = 4, "640x360", 4.0
    path = clip(args.size, int(args.seconds) + 40, args.codec)
    sub = clip(args.sub, int(args.seconds) + 40, args.codec) if args.sub else None
    server, base = serve(args.tiles + 1, path, sub)
    hogs = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(args.hog)]
    try:
        # The reference before and after the wall, and their mean: the machine's speed drifts.
        span = min(args.seconds, 20.0) / 2
        references = [ffmpeg_cpu_per_frame(f"{base}/cam{args.tiles}", span)]
        sub_reference = ffmpeg_cpu_per_frame(f"{base}/sub{args.tiles}", span) if sub else 0
        ours = run_wall(args.tiles, base, args.seconds, sub is not None)
        references.append(ffmpeg_cpu_per_frame(f"{base}/cam{args.tiles}", span))
        reference = sum(references) / 2
    finally:
        for hog in hogs:
            hog.kill()
        server.kill()
    what = (
        f"{args.tiles}×{args.size} {args.codec} over RTSP"
        + (f" (sub streams {args.sub})" if args.sub else "")
        + (f", {args.hog} core(s) hogged" if args.hog else "")
    )
    row("figure", "ours", "reference (same run)", "ratio")
    row("---", "---", "---", "---")
    offered = args.tiles * FPS
    row(f"{what}: frames painted / decoded per s (of {offered} sent)",
        f"{ours['painted_per_s']:.0f} / {ours['decoded_per_s']:.0f}",
        f"{offered}", f"{ours['painted_per_s'] / offered:.2f} painted of sent")  # fmt: skip
    row(
        "  share of decoded frames painted (not converted: the GUI had not taken the last)",
        f"{ours['painted_per_s'] / max(ours['decoded_per_s'], 1e-9):.0%}"
        f" ({ours['unconverted_per_s']:.0f}/s)",
        "",
        "aim ≥ 95 %",
    )
    row("  console CPU per painted frame, ms", f"{ours['cpu_per_frame'] * 1000:.2f}",
        f"{reference * 1000:.2f} (ffmpeg -threads 1, one stream over RTSP; before / after the"
        f" wall {references[0] * 1000:.2f} / {references[1] * 1000:.2f})"
        + (f"; its sub stream {sub_reference * 1000:.2f}" if sub else ""),
        f"{ours['cpu_per_frame'] / reference:.2f}×")  # fmt: skip
    row("  of which the GUI thread, ms (its share of one core)",
        f"{ours['gui_per_frame'] * 1000:.2f} ({ours['gui_busy']:.0%})", "", "")  # fmt: skip
    row("  pictures converted from YUV straight into the window per s (yuv_picture)",
        f"{ours['direct_per_s']:.0f}", "", "")  # fmt: skip
    row("  lag by the stream's clock: worst tile / p99 of samples, s",
        f"{ours['worst_lag']:.2f} / {ours['p99_lag']:.2f}", "", "aim < 1 s")  # fmt: skip
    row("  the same, worst tile in the second half of the run, s",
        f"{ours['later_lag']:.2f}", "", "")  # fmt: skip
    row("  packets skipped to catch up per s; tiles dropped to the sub stream (first after)",
        f"{ours['skipped_per_s']:.0f}; {ours['reduced']:.0f} ({ours['fell_at']:.0f} s)",
        "", "")  # fmt: skip
    row("  samples saying 实时 while ≥ 1.5 s behind", f"{ours['dishonest']:.0f}", "", "must be 0")
    APP.processEvents()


if __name__ == "__main__":
    main()
