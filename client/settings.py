"""One configuration for the backend, its tools, the fan-out proxy and the HTTP gateway
(docs/operations.md).

A TOML file named by `COMMANDROOM_CONFIG`, and environment variables that win over it
(`COMMANDROOM_DB`, `COMMANDROOM_KEYS`, …); a command-line option wins over both. The database
URL and the folders are then written once, not again on every tool's command line.
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from pathlib import Path

SETTINGS = (
    "db", "router", "pub", "keys", "attachments", "witness_log", "log_level", "metrics",
    "gateway_listen", "gateway_login", "gateway_proxies", "gateway_api_keys",
    "gateway_system_rate", "webhook", "webhook_spool",
)  # fmt: skip
"""What the file may set: a typo is refused, not silently ignored. The gateway's password is
not among them: COMMANDROOM_GATEWAY_PASSWORD, from the service's environment file."""


class ConfigError(SystemExit):
    """Exit status 2 with the reason on standard error: the service unit does not restart a
    start that a bad configuration refused (RestartPreventExitStatus=2)."""

    def __init__(self, message: str) -> None:
        print(message, file=sys.stderr)
        super().__init__(2)


def setting(name: str) -> str | None:
    """The environment's value, else the file's, else None (the caller's own default)."""
    assert name in SETTINGS, name
    value = os.environ.get(f"COMMANDROOM_{name.upper()}")
    return value if value else _file(os.environ.get("COMMANDROOM_CONFIG", "")).get(name)


def path_setting(name: str) -> Path | None:
    value = setting(name)
    return Path(value) if value else None


@functools.cache
def _file(path: str) -> dict[str, str]:
    if not path:
        return {}
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"the configuration {path} cannot be read: {e}") from None
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(SETTINGS)})")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise ConfigError(f"{path}: {bad[0]} must be a string")
    return dict(data)
