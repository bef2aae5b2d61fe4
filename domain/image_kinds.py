"""What a photo's bytes say it is, by their first bytes (the formats' own signatures): a case's
attachment is a picture of the kind it claims, not a script or a web page sent as image/png."""

from __future__ import annotations

_SIGNATURES = {
    "image/jpeg": lambda b: b[:3] == b"\xff\xd8\xff",
    "image/png": lambda b: b[:8] == b"\x89PNG\r\n\x1a\n",
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}


def is_kind(media_type: str, data: bytes) -> bool:
    """The bytes begin as `media_type`'s files do (False for a type not known here)."""
    check = _SIGNATURES.get(media_type)
    return check is not None and check(data)
