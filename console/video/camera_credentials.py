"""Cameras' users and passwords, held in memory for as long as someone who may watch video is
logged in: the township's addresses come without them (docs/security.md)."""

from __future__ import annotations

from typing import Any

from console.video.camera_feed import UrlOf
from domain.camera_urls import with_credentials
from domain.township import Camera

NETWORK = ("rtsp://", "rtsps://", "rtmp://", "http://", "https://")


class CameraCredentials:
    def __init__(self) -> None:
        self._by_camera: dict[str, dict[str, Any]] = {}

    def set(self, cameras: dict[str, dict[str, Any]]) -> None:
        """The backend's `camera.credentials` body's `cameras` (replaced whole)."""
        self._by_camera = dict(cameras)

    def clear(self) -> None:
        self._by_camera = {}

    def url_of(self, base: UrlOf) -> UrlOf:
        """`base`'s address with the camera's credentials put in, when there are any."""

        def url(camera: Camera, main: bool) -> str:
            address = base(camera, main)
            known = self._by_camera.get(camera.code, {}).get("main" if main else "sub")
            if not known or not address.startswith(NETWORK):  # a demo clip, a local device
                return address
            return with_credentials(address, known.get("user"), known.get("password"))

        return url
