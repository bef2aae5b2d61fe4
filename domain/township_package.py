"""A township's files as one zip, the way the desk sends them to the backend (township.check,
township.apply): which files belong in it and how big it may be, for the side that packs and the
side that unpacks alike. Reading a zip from a client is the backend's (backend.township.package):
its names are never paths, and what it unpacks to is bounded before a byte is written."""

from __future__ import annotations

from pathlib import PurePosixPath

MAX_PACKAGE_BYTES = 700_000
"""The zip as sent; its base64 fits one message under the 1 MiB limit. A county's workbook is
larger: bring it in with `python -m backend township apply` on the backend's machine."""
MAX_PACKAGE_FILES = 16
MAX_PACKAGE_UNPACKED = 64 * 1024 * 1024
"""What the files unpack to, together (a zip of zeros cannot fill the backend's disk)."""
SUFFIXES = frozenset({".xlsx", ".csv", ".geojson", ".json", ".kml"})
"""The registers (a workbook or one CSV per sheet) and the boundaries (GeoJSON or KML)."""


def belongs(name: str) -> bool:
    """A file of the township's: a plain name (no folder, not hidden) with a known suffix."""
    path = PurePosixPath(name)
    return (
        len(path.parts) == 1
        and not name.startswith((".", "~$"))  # editors' lock files: ~$township.xlsx
        and path.suffix.lower() in SUFFIXES
        and "\\" not in name
    )
