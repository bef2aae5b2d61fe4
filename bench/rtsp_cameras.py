# mypy: ignore-errors
"""Cameras for bench/video_rtsp.py: Debian's gst-rtsp-server serving one recorded clip (camera-
like: noisy, a key frame every 2 s, no B-frames) at /cam0 … /camN-1, each client paced by the
clip's own timestamps as a camera sends, without encoding anything (16 live encoders would eat
the machine the bench measures).

Run by the system Python (python3-gi):  /usr/bin/python3 bench/rtsp_cameras.py PORT N CLIP.mkv
Prints READY when it accepts connections.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.rtsp_server import GstRtspServer, new_server, serve_forever


def main() -> None:
    port, n, clip = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    parser = "h265parse ! rtph265pay" if clip.endswith(".h265.mkv") else "h264parse ! rtph264pay"
    server = new_server(port)
    for k in range(n):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f"( filesrc location={clip} ! matroskademux ! {parser} name=pay0 pt=96"
            " config-interval=1 )"
        )
        server.get_mount_points().add_factory(f"/cam{k}", factory)
    serve_forever(server)


if __name__ == "__main__":
    main()
