# mypy: ignore-errors
"""A real RTSP server for the video tests: Debian's gst-rtsp-server through python3-gi.

Run by the system Python (/usr/bin/python3, where python3-gi lives), not the venv:
  /usr/bin/python3 tests/rtsp_server.py PORT
  /usr/bin/python3 tests/rtsp_server.py PORT auth    (basic authentication: admin, secret)
  /usr/bin/python3 tests/rtsp_server.py PORT skew S  (its RTCP sender reports S seconds late)
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


NTP_FROM_UNIX = 2_208_988_800
"""Seconds from 1900 (NTP's epoch) to 1970 (Unix's)."""


def report_late(factory, seconds: float) -> None:
    """The stream's RTCP sender reports give the camera's wall-clock time `seconds` behind ours:
    as a camera whose clock is behind, or as a relay that passes the camera's video on that
    late (its timestamps and reports are the camera's). rtpbin takes the NTP time from the
    media's clock: a real-time clock moved back, and forward by 70 years to NTP's epoch."""
    clock = Gst.SystemClock(clock_type=Gst.ClockType.REALTIME)
    now = clock.get_internal_time()
    clock.set_calibration(now, now + int((NTP_FROM_UNIX - seconds) * 1e9), 1, 1)
    factory.set_clock(clock)

    def added(_pipeline, element) -> None:
        if element.get_factory() and element.get_factory().get_name() == "rtpbin":
            element.set_property("ntp-time-source", "clock-time")

    factory.connect(
        "media-configure",
        lambda _f, media: media.get_element().get_parent().connect("element-added", added),
    )


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
    if sys.argv[2:3] == ["skew"]:
        report_late(factory, float(sys.argv[3]))
    server.get_mount_points().add_factory("/cam", factory)
    b_frames = GstRtspServer.RTSPMediaFactory()
    b_frames.set_launch(B_FRAMES)
    b_frames.set_shared(True)
    server.get_mount_points().add_factory("/bframes", b_frames)
    serve_forever(server)


if __name__ == "__main__":
    main()
