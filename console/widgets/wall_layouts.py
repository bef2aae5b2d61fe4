"""The video wall's geometry, plain Python: the layouts command rooms use, as spans on an n×n
grid, and the merging of a tile with its neighbour into the rectangle the two make."""

from __future__ import annotations

Span = tuple[int, int, int, int]  # row, column, rows, columns


def _covers(span: Span, cell: tuple[int, int]) -> bool:
    r, c, rs, cs = span
    return r <= cell[0] < r + rs and c <= cell[1] < c + cs


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def is_tiling(n: int, spans: list[tuple[int, ...]]) -> bool:
    """Every cell of the n×n grid covered exactly once."""
    if not 1 <= n <= 8 or any(len(s) != 4 or s[2] < 1 or s[3] < 1 for s in spans):
        return False
    cells = [(r + i, c + j) for r, c, rs, cs in spans for i in range(rs) for j in range(cs)]
    return sorted(cells) == [(r, c) for r in range(n) for c in range(n)]


def _within(a: Span, b: Span) -> bool:
    return (
        b[0] <= a[0] and a[0] + a[2] <= b[0] + b[2] and b[1] <= a[1] and a[1] + a[3] <= b[1] + b[3]
    )


def _grid(n: int) -> tuple[int, list[Span]]:
    return n, [(r, c, 1, 1) for r in range(n) for c in range(n)]


def _one_plus(n: int, big: int) -> tuple[int, list[Span]]:
    """A big tile of big×big cells in the top left of an n×n grid, small tiles around it."""
    spans: list[Span] = [(0, 0, big, big)]
    spans += [(r, c, 1, 1) for r in range(n) for c in range(n) if r >= big or c >= big]
    return n, spans


def _one_plus_twelve() -> tuple[int, list[Span]]:
    """4×4 with a 2×2 tile in the middle and twelve around it."""
    spans: list[Span] = [(1, 1, 2, 2)]
    spans += [(r, c, 1, 1) for r in range(4) for c in range(4) if not (0 < r < 3 and 0 < c < 3)]
    return 4, spans


LAYOUTS: dict[str, tuple[int, list[Span]]] = {
    "1": _grid(1),
    "2x2": _grid(2),
    "3x3": _grid(3),
    "4x4": _grid(4),
    "5x5": _grid(5),
    "1+5": _one_plus(3, 2),
    "1+7": _one_plus(4, 3),
    "1+12": _one_plus_twelve(),
}


def merged(spans: list[Span], k: int, direction: str) -> tuple[Span, list[int]] | None:
    """Tile `k` merged with its neighbour to the "right" or "below": the rectangle the two
    make, and the other tiles inside it (to drop); None where that would cut through a tile
    or there is no neighbour."""
    r, c, rs, cs = spans[k]
    cell = (r, c + cs) if direction == "right" else (r + rs, c)
    j = next((i for i, s in enumerate(spans) if _covers(s, cell)), None)
    if j is None:
        return None
    r2, c2, rs2, cs2 = spans[j]
    top, left = min(r, r2), min(c, c2)
    union = (top, left, max(r + rs, r2 + rs2) - top, max(c + cs, c2 + cs2) - left)
    inside = [i for i, s in enumerate(spans) if _overlaps(s, union)]
    if any(not _within(spans[i], union) for i in inside):
        return None  # a tile sticks out of the rectangle
    return union, [i for i in inside if i != k]


def next_tile(n: int, spans: list[Span], current: int, move: tuple[int, int]) -> int | None:
    """The next tile from `current` one way (rows, columns), spans included; None at the edge."""
    r, c = spans[current][:2]
    for step in range(1, n + 1):
        cell = (r + move[0] * step, c + move[1] * step)
        hit = next((k for k, s in enumerate(spans) if _covers(s, cell) and k != current), None)
        if hit is not None:
            return hit
    return None
