"""A township's files sent from the desk as one zip (domain.township_package), unpacked into a
folder of their own for `check_directory`. The zip is a client's: its names are checked to be
plain file names of the kinds a township keeps, and what it unpacks to is counted as it is
written, not taken from the zip's own headers (which may lie)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from backend.township.reading import MAX_FILE_BYTES
from backend.township.sheets import Place, Problem, TownshipFilesError
from domain.township_package import MAX_PACKAGE_FILES, MAX_PACKAGE_UNPACKED, belongs

PACKAGE = "(package)"
"""The place named in a problem with the zip itself."""
_CHUNK = 1 << 16


def _refuse(zh: str, en: str, name: str = PACKAGE) -> TownshipFilesError:
    return TownshipFilesError(Problem(Place(name), zh, en))


def unpack(data: bytes, into: Path) -> list[str]:
    """The package's files written into `into` (an empty folder); their names."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise _refuse("不是 zip 文件包", f"not a zip package ({e})") from None
    if len(infos) > MAX_PACKAGE_FILES:
        raise _refuse(f"文件过多({len(infos)} 个,上限 {MAX_PACKAGE_FILES})",
                      f"{len(infos)} files, limit {MAX_PACKAGE_FILES}")  # fmt: skip
    if not infos:
        raise _refuse("文件包是空的", "the package is empty")
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if not belongs(name):
            raise _refuse("文件名不可接受(只收 .xlsx .csv .geojson .json .kml,不含文件夹)",
                          "not a township file (.xlsx .csv .geojson .json .kml, no folders)",
                          name[:200])  # fmt: skip
        if name.lower() in seen:
            raise _refuse("文件重复", "the same file twice", name)
        seen.add(name.lower())
    total = 0
    for info in infos:
        written = 0
        try:
            with archive.open(info) as src, (into / info.filename).open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if written > MAX_FILE_BYTES:
                        raise _refuse(f"文件过大(上限 {MAX_FILE_BYTES // 2**20} MB)",
                                      f"file too big (limit {MAX_FILE_BYTES // 2**20} MB)",
                                      info.filename)  # fmt: skip
                    if total > MAX_PACKAGE_UNPACKED:
                        raise _refuse(
                            f"解压后过大(上限 {MAX_PACKAGE_UNPACKED // 2**20} MB)",
                            f"unpacks too big (limit {MAX_PACKAGE_UNPACKED // 2**20} MB)",
                        )
                    dst.write(chunk)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError,
                OSError) as e:  # fmt: skip
            # a bad CRC, an unknown compression, an encrypted entry, a truncated stream
            raise _refuse("文件包中的文件读不出", f"cannot be read from the package ({e})",
                          info.filename) from None  # fmt: skip
    return [i.filename for i in infos]
