"""The decoder's own FFmpeg decoder for a stream, set for the tile that shows it.

FFmpeg takes decoder options only when a decoder opens, and the container's own decoder opens
with the stream; a decoder of our own can be replaced at any key frame, so a tile maximised on
the same stream (a camera without a sub stream) gets its deblocking back without reconnecting."""

from __future__ import annotations

from typing import Any

import av

LIGHT_BELOW = 0.5
"""Tiles at most this share of the picture's width and height decode without deblocking."""


def light_for(stream: Any, target: tuple[int, int]) -> bool:
    """A tile at most LIGHT_BELOW of the picture's size skips the deblocking filter: 8-18 %
    less decoding per frame of a noisy 720p stream here (docs/benchmarks.md), and what it
    smooths is lost in the downscale anyway."""
    w, h = stream.codec_context.width, stream.codec_context.height
    box_w, box_h = target
    return bool(w and h and box_w <= w * LIGHT_BELOW and box_h <= h * LIGHT_BELOW)


def open_codec(stream: Any, light: bool) -> Any:
    codec = av.CodecContext.create(stream.codec_context.name, "r")
    codec.extradata = stream.codec_context.extradata
    codec.thread_type = "NONE"  # frame threads hold frames back: ~40 ms more latency
    codec.thread_count = 1
    if light:
        codec.options = {"skip_loop_filter": "all"}
    return codec
