"""The keys of CurveZMQ (docs/security.md): the backend's own key pair and the public keys of
every console and terminal let in, as ZeroMQ certificate files in one folder that only its owner
can read.

    keys/server.key, keys/server.key_secret   the backend's pair; the secret never leaves here
    keys/enrolled/NAME.key                    consoles and terminals let in (public keys only)
    keys/revoked/NAME.key                     those let out again, kept as a record

The enrolled keys are read again whenever the folder changes, so that enrolling or revoking
takes effect on the next handshake without restarting the backend.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import threading
from collections.abc import Mapping
from pathlib import Path

import zmq.auth

from client.curve import ClientKeys, KeyFileError, load_pair, load_public

log = logging.getLogger("backend.keys")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SERVER = "server"


class KeyRingError(KeyFileError):
    """A key that cannot be enrolled or revoked as asked; the message says why."""


def _private_folder(folder: Path) -> Path:
    """Made 0700; one that was open to others is said (its keys may have been read)."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # whatever the umask
        return folder
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was open to other users (mode %o), now 700: its secret keys may have "
                    "been read; consider new keys", folder, mode)  # fmt: skip
        folder.chmod(0o700)
    return folder


def _check_name(name: str) -> str:
    if not NAME.match(name) or name == SERVER:
        raise KeyRingError(
            f"{name!r}: a name is 1-64 letters, digits, '.', '_' or '-', not 'server'"
        )
    return name


def new_key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """A new pair for a console or terminal: NAME.key (public, to enrol) and NAME.key_secret
    (stays on that machine), readable by the owner only. Only its two files: an existing folder
    keeps its mode (`--out .` in a checkout made the checkout 0700); a new one is made 0700."""
    _check_name(name)
    if not folder.exists():
        _private_folder(folder)
    if (folder / f"{name}.key_secret").exists():
        raise KeyRingError(f"{folder / name}.key_secret exists already; pick another name")
    public, secret = zmq.auth.create_certificates(str(folder), name)
    for path in (public, secret):
        Path(path).chmod(0o600)
    return Path(public), Path(secret)


class KeyRing:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.enrolled_dir = folder / "enrolled"
        self.revoked_dir = folder / "revoked"
        self._lock = threading.Lock()  # the ZAP thread and the serve loop both read
        self._seen: tuple[int, int] | None = None
        self._names: dict[bytes, str] = {}
        self._name_set: frozenset[str] = frozenset()

    def init(self) -> bytes:
        """Make the folders and the backend's pair if missing; the backend's public key."""
        for folder in (self.folder, self.enrolled_dir, self.revoked_dir):
            _private_folder(folder)
        if not (self.folder / f"{SERVER}.key_secret").exists():
            for path in zmq.auth.create_certificates(str(self.folder), SERVER):
                Path(path).chmod(0o600)
        return self.server_pair()[0]

    def server_pair(self) -> tuple[bytes, bytes]:
        return load_pair(self.folder / f"{SERVER}.key_secret")

    @property
    def server_public_file(self) -> Path:
        return self.folder / f"{SERVER}.key"

    def own_client(self, name: str) -> ClientKeys:
        """Keys for a client inside the backend (the demo reporter), made and enrolled on
        first use; kept in `own/`, beside the backend's secret."""
        own = _private_folder(self.folder / "own")
        secret = own / f"{name}.key_secret"
        if not secret.exists():
            new_key_pair(own, name)
        if not (self.enrolled_dir / f"{name}.key").exists():
            self.enrol(own / f"{name}.key", name)
        return ClientKeys.load(secret, self.server_public_file)

    def enrol(self, public_file: Path, name: str | None = None) -> str:
        """Let a console or terminal in by its public key file; its name is the file's stem
        unless given. A key enrolled under another name, or a name taken, is refused."""
        name = _check_name(name or public_file.name.removesuffix(".key"))
        key = load_public(public_file)
        known = self.enrolled()
        if key in known:
            raise KeyRingError(f"this key is enrolled already as {known[key]!r}")
        target = self.enrolled_dir / f"{name}.key"
        if target.exists():
            raise KeyRingError(f"{name!r} is enrolled already; revoke it first")
        _private_folder(self.enrolled_dir)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(public_file, tmp)
        tmp.chmod(0o600)
        os.replace(tmp, target)  # whole or not at all, for the ZAP thread reading the folder
        return name

    def revoke(self, name: str) -> Path:
        """Let a console or terminal out: its next handshake and its next request are refused."""
        source = self.enrolled_dir / f"{_check_name(name)}.key"
        if not source.exists():
            raise KeyRingError(f"{name!r} is not enrolled")
        _private_folder(self.revoked_dir)
        target = self.revoked_dir / source.name
        k = 1
        while target.exists():
            target = self.revoked_dir / f"{name}.{k}.key"
            k += 1
        os.replace(source, target)
        return target

    def enrolled(self) -> Mapping[bytes, str]:
        """Public key (Z85) → name, read again when the folder changed. The mapping is
        replaced whole on a change, never altered: callers may keep it."""
        with self._lock:
            try:
                stat = self.enrolled_dir.stat()
            except FileNotFoundError:
                self._names, self._name_set, self._seen = {}, frozenset(), None
                return self._names
            seen = (stat.st_mtime_ns, stat.st_ino)
            if seen != self._seen:
                names = {}
                for path in sorted(self.enrolled_dir.glob("*.key")):
                    try:
                        names[load_public(path)] = path.name.removesuffix(".key")
                    except (OSError, ValueError):
                        continue  # a damaged file lets nobody in
                self._names, self._name_set, self._seen = names, frozenset(names.values()), seen
            return self._names

    def names(self) -> frozenset[str]:
        """The enrolled names: asked on every request of a secure backend, so one stat of the
        folder and no copying."""
        self.enrolled()
        return self._name_set

    def name_of(self, public_z85: bytes) -> str | None:
        return self.enrolled().get(public_z85)
