# mypy: ignore-errors
"""Cameras for bench/video_rtsp.py: Debian's gst-rtsp-server serving one recorded clip (camera-
like: noisy, a key frame every 2 s, no B-frames) at /cam0 … /camN-1, each client paced by the
clip's own timestamps as a camera sends, without encoding anything (16 live encoders would eat
the machine the bench measures).

Run by the system Python (python3-gi):
  /usr/bin/python3 bench/rtsp_cameras.py PORT N CLIP.mkv [SUB.mkv]
With SUB.mkv, each camera's sub stream too, at /sub0 … /subN-1, as a real camera has one.
Prints READY when it accepts connections.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.rtsp_server import GstRtspServer, new_server, serve_forever


def main() -> None:
    port, n, clips = sys.argv[1], int(sys.argv[2]), sys.argv[3:5]
    server = new_server(port)
    for clip, mount in zip(clips, ("/cam", "/sub"), strict=False):
        parser = (
            "h265parse ! rtph265pay" if clip.endswith(".h265.mkv") else "h264parse ! rtph264pay"
        )
        for k in range(n):
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(
                f"( filesrc location={clip} ! matroskademux ! {parser} name=pay0 pt=96"
                " config-interval=1 )"
            )
            server.get_mount_points().add_factory(f"{mount}{k}", factory)
    serve_forever(server)


if __name__ == "__main__":
    main()
