"""The demo township's cameras play clips that set-up made (scripts/make-demo-clips.sh), so that
`make run` shows a living wall with no camera attached. Each clip has a main (1280×720) and a
sub (640×360) stream; the 40 cameras share them in turn."""

from __future__ import annotations

from pathlib import Path

from console.video.camera_feed import UrlOf
from domain.township import Camera

DEMO_VIDEO_DIR = Path(__file__).resolve().parents[2] / "var" / "demo-video"


def demo_clips(directory: Path = DEMO_VIDEO_DIR) -> list[tuple[Path, Path]]:
    """(main, sub) pairs, in order; empty if set-up has not made them."""
    pairs = []
    for main in sorted(directory.glob("clip*-main.mp4")):
        sub = main.with_name(main.name.replace("-main", "-sub"))
        if sub.is_file():
            pairs.append((main, sub))
    return pairs


def demo_url_of(clips: list[tuple[Path, Path]]) -> UrlOf:
    def url_of(camera: Camera, main: bool) -> str:
        digits = "".join(ch for ch in camera.code if ch.isdigit())
        pair = clips[int(digits or 0) % len(clips)]
        return f"file://{pair[0] if main else pair[1]}"

    return url_of
