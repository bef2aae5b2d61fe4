"""Where the data files live, so that no module hard-codes a path."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

RESOURCES_ENV = "TOWNSHIP_RESOURCES"


def resources_dir() -> Path:
    """The `resources/` folder of this checkout, or the one named by $TOWNSHIP_RESOURCES."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "resources"


def load_json(relative: str | Path) -> Any:
    path = resources_dir() / relative
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def load_config() -> dict[str, Any]:
    config: dict[str, Any] = load_json("config.json")
    return config
