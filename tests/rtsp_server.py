# mypy: ignore-errors
"""A real RTSP server for the video tests: Debian's gst-rtsp-server through python3-gi.

Run by the system Python (/usr/bin/python3, where python3-gi lives), not the venv:
  /usr/bin/python3 tests/rtsp_server.py PORT
  /usr/bin/python3 tests/rtsp_server.py PORT auth    (basic authentication: admin, secret)
Serves /cam: a live moving test picture, H.264 640x360 at 25 fps, a key frame every second;
and /bframes: the same with two B-frames between reference frames, as many cameras' "high
profile" streams are (frames sent out of the order they are shown in).
Prints READY when it accepts connections.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1"
    " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25"
    " ! rtph264pay name=pay0 pt=96 )"
)
B_FRAMES = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1"
    " ! x264enc speed-preset=ultrafast bframes=2 b-adapt=false key-int-max=25"
    " ! video/x-h264,profile=main ! rtph264pay name=pay0 pt=96 )"
)


def new_server(port: str):
    """A server on 127.0.0.1:`port` (bench/rtsp_cameras.py serves its cameras on one too)."""
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    return server


def serve_forever(server) -> None:
    """Listen, say READY, and serve until killed."""
    if server.attach(None) == 0:
        sys.exit("cannot listen")
    print("READY", flush=True)
    GLib.MainLoop().run()


def main() -> None:
    server = new_server(sys.argv[1])
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    if sys.argv[2:3] == ["auth"]:  # as an NVR is: a user and a password
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic("admin", "secret"), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_role_from_structure(
            Gst.Structure.new_from_string(
                "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
            )
        )
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory("/cam", factory)
    b_frames = GstRtspServer.RTSPMediaFactory()
    b_frames.set_launch(B_FRAMES)
    b_frames.set_shared(True)
    server.get_mount_points().add_factory("/bframes", b_frames)
    serve_forever(server)


if __name__ == "__main__":
    main()
