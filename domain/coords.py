"""Coordinate systems as Chinese maps and phones send them, and the one the store keeps.

Phones and web maps in China report GCJ-02 (高德, 腾讯, the "Mars" offset every map licensed
in China applies) or BD-09 (百度, a further offset on GCJ-02); GIS exports and survey data are
WGS-84 or CGCS2000 (the national frame; within a metre of WGS-84 at township scale, so taken
as the same). The store keeps WGS-84: a position is converted once, where it comes in.

The GCJ-02 offset is the widely published one (a polynomial in the position on the Krasovsky
ellipsoid, zero outside China's box); its inverse has no closed form and is found by
fixed-point iteration to under a millimetre. BD-09 is a rotation and shift of GCJ-02.
"""

from __future__ import annotations

import math
from enum import StrEnum


class CoordinateSystem(StrEnum):
    WGS84 = "WGS-84"
    CGCS2000 = "CGCS2000"
    GCJ02 = "GCJ-02"
    BD09 = "BD-09"

    @classmethod
    def parse(cls, text: str) -> CoordinateSystem:
        """The names townships and apps write: "WGS84", "wgs-84", "GCJ02", "高德", "百度"…"""
        key = text.strip().upper()
        for sep in "-_ :":
            key = key.replace(sep, "")
        found = _NAMES.get(key)
        if found is None:
            raise ValueError(
                f"unknown coordinate system {text!r}; one of WGS-84, CGCS2000, GCJ-02, BD-09"
            )
        return found


_NAMES = {
    "WGS84": CoordinateSystem.WGS84,
    "EPSG4326": CoordinateSystem.WGS84,
    "GPS": CoordinateSystem.WGS84,
    "CGCS2000": CoordinateSystem.CGCS2000,
    "EPSG4490": CoordinateSystem.CGCS2000,
    "GCJ02": CoordinateSystem.GCJ02,
    "高德": CoordinateSystem.GCJ02,
    "腾讯": CoordinateSystem.GCJ02,
    "火星坐标": CoordinateSystem.GCJ02,
    "BD09": CoordinateSystem.BD09,
    "BD09LL": CoordinateSystem.BD09,
    "百度": CoordinateSystem.BD09,
}

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 offset uses it
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0


def out_of_china(lat: float, lon: float) -> bool:
    """GCJ-02 leaves positions outside this box as they are."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _offset_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    if out_of_china(lat, lon):
        return lat, lon
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 offset lands on (lat, lon), to about 1e-9 degrees."""
    if out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(30):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - d_lat, w_lon - d_lon
        if abs(d_lat) < 1e-10 and abs(d_lon) < 1e-10:
            break
    return w_lat, w_lon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_wgs84(lat: float, lon: float, system: CoordinateSystem) -> tuple[float, float]:
    """A position as the store keeps it."""
    match system:
        case CoordinateSystem.GCJ02:
            return gcj02_to_wgs84(lat, lon)
        case CoordinateSystem.BD09:
            return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))
        case _:
            return lat, lon


def from_wgs84(lat: float, lon: float, system: CoordinateSystem) -> tuple[float, float]:
    """A stored position as a map in `system` draws it."""
    match system:
        case CoordinateSystem.GCJ02:
            return wgs84_to_gcj02(lat, lon)
        case CoordinateSystem.BD09:
            return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))
        case _:
            return lat, lon
