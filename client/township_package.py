"""A township's folder packed for the desk to send (township.check, township.apply): its
registers and boundaries (domain.township_package), zipped in memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from domain.township_package import MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES, belongs


class PackageError(ValueError):
    """The folder cannot be sent as it is; the message says why, in Chinese and English."""


def pack(directory: Path) -> bytes:
    files = sorted(p for p in directory.iterdir() if p.is_file() and belongs(p.name))
    if not files:
        raise PackageError(
            "文件夹中没有乡镇资料(.xlsx .csv .geojson .kml) / "
            "no township files in the folder (.xlsx .csv .geojson .kml)"
        )
    if len(files) > MAX_PACKAGE_FILES:
        raise PackageError(f"文件过多 / too many files: {len(files)} > {MAX_PACKAGE_FILES}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    data = buffer.getvalue()
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(
            f"压缩后 {len(data) / 1e3:.0f} KB,超过桌面发送上限 {MAX_PACKAGE_BYTES / 1e3:.0f} KB;"
            "请在后台机器上用 python -m backend township apply / "
            f"{len(data) / 1e3:.0f} KB packed, over the desk's {MAX_PACKAGE_BYTES / 1e3:.0f} KB "
            "limit: use python -m backend township apply on the backend's machine"
        )
    return data
