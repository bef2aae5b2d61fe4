"""Camera decoding off the GUI thread (the video-wall issue fills this package)."""
