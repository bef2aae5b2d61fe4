"""What a photo's bytes say it is, by their first bytes (the formats' own signatures) and their
headers' width and height: a case's attachment is a picture of the kind it claims, not a script
or a web page sent as image/png, and not a small file that would decode to gigabytes."""

from __future__ import annotations

import struct

_SIGNATURES = {
    "image/jpeg": lambda b: b[:3] == b"\xff\xd8\xff",
    "image/png": lambda b: b[:8] == b"\x89PNG\r\n\x1a\n",
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}
MAX_PIXELS = 24_000_000
"""A phone's photo is 12 MP (its 48–50 MP mode does not fit the 700 kB a photo may be); a
camera's 4K frame is 8.3 MP. Decoded as 8-bit colour: 72 MB at most."""
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def is_kind(media_type: str, data: bytes) -> bool:
    """The bytes begin as `media_type`'s files do (False for a type not known here)."""
    check = _SIGNATURES.get(media_type)
    return check is not None and check(data)


def dimensions(media_type: str, data: bytes) -> tuple[int, int] | None:
    """Width and height as the header says, before anything is decoded; None when the header
    cannot be read."""
    try:
        if media_type == "image/png" and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if media_type == "image/jpeg":
            return _jpeg(data)
        if media_type == "image/webp":
            return _webp(data)
    except struct.error:
        return None
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _JPEG_SOF:
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        if marker == 0xDA or length < 2:  # the image data before any frame header
            return None
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", data[26:30])
        return int(w & 0x3FFF), int(h & 0x3FFF)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    return None
