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
    if media_type == "image/png" and data[24] == 16:  # IHDR's bit depth
        return "a 16-bit PNG: send it as an 8-bit picture (a JPEG)"
    if not _ends_where_it_says(media_type, data):
        return f"the data is a {media_type} picture with something else after it"
    # 8-bit colour whatever the file holds (a 16-bit RGBA PNG decoded as it is took 8 bytes a
    # pixel: +762 MB for one 389 kB file); a JPEG at half size, which still reads all of it.
    half = media_type == "image/jpeg"
    flag = cv2.IMREAD_REDUCED_COLOR_2 if half else cv2.IMREAD_COLOR
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    expected = ((h + 1) // 2, (w + 1) // 2) if half else (h, w)
    if decoded is None or decoded.shape[:2] != expected:
        return f"the data is not a {media_type} picture (it does not decode)"
    return None


def _ends_where_it_says(media_type: str, data: bytes) -> bool:
    """Nothing after the picture (a script or a page appended to a real PNG was kept before).
    A JPEG may carry a trailer after its end marker (phones write one), so it is not asked."""
    if media_type == "image/png":
        return data.endswith(b"IEND\xaeB`\x82")
    if media_type == "image/webp":
        return int.from_bytes(data[4:8], "little") + 8 == len(data)
    return True
