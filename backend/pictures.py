"""A photo is decoded before it is kept (OpenCV, already the video wall's decoder): its
signature and its header may be right and the rest a script, a truncated file or a
decompression bomb. The header's size is checked before any decoding (domain.image_kinds)."""

from __future__ import annotations

import cv2
import numpy as np

from domain.image_kinds import MAX_PIXELS, dimensions


def why_not_a_picture(media_type: str, data: bytes) -> str | None:
    """None for a picture that decodes whole; else why not, in words for the sender."""
    size = dimensions(media_type, data)
    if size is None:
        return f"the data is not a {media_type} picture (its header cannot be read)"
    w, h = size
    if w < 1 or h < 1 or w * h > MAX_PIXELS:
        return f"a picture of {w}×{h} pixels: at most {MAX_PIXELS // 1_000_000} million"
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if decoded is None or decoded.shape[1] != w or decoded.shape[0] != h:
        return f"the data is not a {media_type} picture (it does not decode)"
    return None
