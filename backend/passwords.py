"""Password hashes: scrypt from the standard library, its cost stored with each hash.

OWASP's minimum for scrypt (N=2^17, r=8, p=1: 128 MiB, ~0.4 s here) for every user made with
`python -m backend users`; the demo township's users, whose password is public anyway, take
N=2^14 so that tests and the demo log in quickly. Checked off the serve loop (hashlib lets go
of the GIL while it hashes).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

USER_COST = 17
DEMO_COST = 14
DEMO_HASH_PREFIX = f"scrypt${DEMO_COST}$"
"""How a demo user's stored hash begins (hash_password's format): what marks them."""


def hash_password(password: str, cost: int = USER_COST) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, cost)
    return f"scrypt${cost}$8$1${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    """Constant time in the digest; False for a malformed stored hash."""
    try:
        kind, cost, r, p, salt, digest = stored.split("$")
        if kind != "scrypt" or (r, p) != ("8", "1") or not 10 <= int(cost) <= 20:
            return False
        expected = base64.b64decode(digest)
        return hmac.compare_digest(_scrypt(password, base64.b64decode(salt), int(cost)), expected)
    except ValueError:
        return False


def is_demo_hash(stored: str) -> bool:
    """Made for the demo's users (their cost): a store that once ran the demo still holds them."""
    return stored.startswith(DEMO_HASH_PREFIX)


@functools.cache
def dummy_hash() -> str:
    """Checked against when the user is unknown, so that an unknown name costs a hash too."""
    return hash_password("not anyone's password")


def _scrypt(password: str, salt: bytes, cost: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=1 << cost, r=8, p=1, maxmem=256 << 20, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
