"""What goes wrong on the link, as the worker tells itself what to do next (console.link_worker):
resync, reconnect, wait for a loading backend, say the key is refused, ask for a login again."""

from __future__ import annotations

from domain.wire import ErrorCode, MsgType

OPTIONAL = frozenset({MsgType.CAMERA_CREDENTIALS_REQUEST})
"""Asked on connecting, but a backend (or a stand-in) that does not know them is no reason to
give up the connection: the answer is then nothing."""


class _Resync(Exception):
    """The update stream can no longer be trusted; take a new snapshot."""


class _NewTownship(_Resync):
    """A new township was applied: ask for it, then take a new snapshot."""


class _Reconnect(Exception):
    """The backend does not answer; start over with new sockets."""


class _Starting(_Reconnect):
    """The backend answers, but is still loading its store: ask again shortly."""


class _Refused(_Reconnect):
    """The backend refuses this console's key; say so, and keep trying (it may be enrolled)."""


class _LoggedOut(_Reconnect):
    """The backend no longer knows this console's login (ended, idle, user disabled), or the
    login's role may not use a console at all (`code` not_allowed: a gateway's)."""

    def __init__(self, detail: str, code: str = ErrorCode.NOT_LOGGED_IN) -> None:
        super().__init__(detail)
        self.code = code
