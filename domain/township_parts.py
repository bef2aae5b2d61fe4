"""The township reply in parts: a county's township (20,000 people, 2,000 grid boundaries) is
several megabytes of JSON, over the 1 MiB a message may be. The first part carries everything
but the long lists; each later part carries items of them, to be appended in order; `last`
says when the township is whole. A township that fits is one part, as before.

Both sides use this module: the backend to split, consoles and clients to put back together.
"""

from __future__ import annotations

from typing import Any

import orjson

from domain.wire import MAX_MESSAGE_BYTES

LISTS = ("villages", "grids", "people", "departments", "cameras", "layers")
PART_BYTES = MAX_MESSAGE_BYTES - 64 * 1024
"""A part's items at most this many encoded bytes: room for the envelope and the head."""


def split(body: dict[str, Any], part_bytes: int = PART_BYTES) -> list[dict[str, Any]]:
    """The reply's bodies in order; each has `chunk` and `last`."""
    if len(orjson.dumps(body)) <= part_bytes:
        return [{**body, "chunk": 0, "last": True}]
    township = body["township"]
    parts: list[dict[str, Any]] = [{**body, "township": {**township, **{k: [] for k in LISTS}}}]
    current: dict[str, list[Any]] = {}
    size = 0
    for key in LISTS:
        for item in township[key]:
            n = len(orjson.dumps(item)) + 1
            if current and size + n > part_bytes:
                parts.append({"township": current})
                current, size = {}, 0
            current.setdefault(key, []).append(item)
            size += n
    if current:
        parts.append({"township": current})
    for k, part in enumerate(parts):
        part["chunk"], part["last"] = k, k == len(parts) - 1
    return parts


class TownshipParts:
    """Put the parts back together; `add` returns the whole body with the last one."""

    def __init__(self) -> None:
        self._body: dict[str, Any] | None = None
        self._next = 0

    def add(self, body: dict[str, Any]) -> dict[str, Any] | None:
        chunk = body.get("chunk", 0)
        if chunk != self._next:
            raise ValueError(f"township part {chunk} after {self._next - 1}")
        self._next += 1
        if self._body is None:
            self._body = {k: v for k, v in body.items() if k not in ("chunk", "last")}
            self._body["township"] = dict(body["township"])
        else:
            whole = self._body["township"]
            for key, items in body["township"].items():
                if key not in LISTS:
                    raise ValueError(f"township part with {key!r}")
                whole[key] = [*whole[key], *items]
        if body.get("last", True):
            done, self._body = self._body, None
            return done
        return None
