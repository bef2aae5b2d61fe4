# mypy: ignore-errors
"""Cameras for bench/video_rtsp.py: Debian's gst-rtsp-server serving one recorded clip (camera-
like: noisy, a key frame every 2 s, no B-frames) at /cam0 … /camN-1, each client paced by the
clip's own timestamps as a camera sends, without encoding anything (16 live encoders would eat
the machine the bench measures).

Run by the system Python (python3-gi):  /usr/bin/python3 bench/rtsp_cameras.py PORT N CLIP.mkv
Prints READY when it accepts connections.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    port, n, clip = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    parser = "h265parse ! rtph265pay" if clip.endswith(".h265.mkv") else "h264parse ! rtph264pay"
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    for k in range(n):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f"( filesrc location={clip} ! matroskademux ! {parser} name=pay0 pt=96"
            " config-interval=1 )"
        )
        server.get_mount_points().add_factory(f"/cam{k}", factory)
    if server.attach(None) == 0:
        sys.exit("cannot listen")
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
