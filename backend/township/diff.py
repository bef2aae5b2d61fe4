"""What applying a township's files would change, register by register, by code."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from domain.township import Township

REGISTERS = (
    ("villages", "村社"),
    ("grids", "网格"),
    ("people", "人员"),
    ("departments", "部门"),
    ("cameras", "摄像头"),
)


@dataclass(slots=True)
class RegisterDiff:
    key: str
    name: str
    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> the fields changed
    names: dict[str, str] = field(default_factory=dict)  # code -> name, for people to read

    @property
    def empty(self) -> bool:
        return not (self.added or self.retired or self.changed)


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for i in items}


def _differs(field_: str, before: dict[str, Any], after: dict[str, Any], chosen: str) -> bool:
    """A field the files carry that is not as it was. A platform is compared in the files'
    platform set only (a store may know more sets: the demo's two); the demo generator's
    fields (`demo_weight`, `demo_texts`) are not in a township's files."""
    if field_.startswith("demo_"):
        return False
    a, b = after[field_], before.get(field_)
    if field_ == "platform" and isinstance(a, dict) and isinstance(b, dict):
        return a.get(chosen) != b.get(chosen)
    return bool(a != b)


def _layers(township: Township | None) -> list[dict[str, Any]]:
    """Each map layer as one item: its kind, how many features, a digest of its shapes."""
    by_layer: dict[str, list[Any]] = {}
    for f in township.layers if township is not None else ():
        by_layer.setdefault(f.layer, []).append(f.to_dict())
    return [
        {"code": layer, "name": layer, "kind": features[0]["kind"], "features": len(features),
         "shapes": hashlib.sha256(orjson.dumps(features)).hexdigest()}
        for layer, features in by_layer.items()
    ]  # fmt: skip


def diff_townships(old: Township | None, new: Township) -> list[RegisterDiff]:
    """Per register: codes added, codes retired (gone from the files), fields changed."""
    new_data, new_categories = new.to_dict()
    old_data, old_categories = old.to_dict() if old is not None else ({}, [])
    out = []
    pairs = [(key, name, old_data.get(key, []), new_data[key]) for key, name in REGISTERS]
    pairs.append(("categories", "事件类别", old_categories, new_categories))
    pairs.append(("layers", "图层", _layers(old), _layers(new)))
    for key, name, before, after in pairs:
        d = RegisterDiff(key, name)
        b, a = _by_code(before), _by_code(after)
        d.names = {c: str(v.get("name", "")) for c, v in (b | a).items()}
        d.added = [c for c in a if c not in b]
        d.retired = [c for c in b if c not in a]
        for code in a.keys() & b.keys():
            fields = [f for f in a[code] if _differs(f, b[code], a[code], new.platform_set)]
            if fields:
                d.changed[code] = fields
        out.append(d)
    head = RegisterDiff("township", "乡镇")
    if old is None:  # a store with no township yet: all of it is new
        head.added, head.names = [new.code], {new.code: new.name}
        return [head, *out]
    for f in ("name", "lat", "lon"):
        if old_data.get(f) != new_data[f]:
            head.changed.setdefault(new.code, []).append(f)
    if old.platform_set != new.platform_set:
        head.changed.setdefault(new.code, []).append("platform_set")
    if set(old_data["platform_sets"]) != set(new_data["platform_sets"]):
        head.changed.setdefault(new.code, []).append("platform_sets")
    return [head, *out]


def describe(diffs: list[RegisterDiff], limit: int = 10) -> list[str]:
    """Lines for a terminal, in Chinese and English."""
    lines = []
    for d in diffs:
        if d.empty:
            continue
        lines.append(
            f"{d.name} {d.key}: 新增 added {len(d.added)}, 停用 retired {len(d.retired)}, "
            f"变更 changed {len(d.changed)}"
        )
        for label, codes in (("+", d.added), ("-", d.retired)):
            for code in codes[:limit]:
                lines.append(f"  {label} {code} {d.names.get(code, '')}")
            if len(codes) > limit:
                lines.append(f"  {label} … {len(codes) - limit} 个 more")
        for code, fields in list(d.changed.items())[:limit]:
            lines.append(f"  ~ {code} {d.names.get(code, '')}: {', '.join(fields)}")
        if len(d.changed) > limit:
            lines.append(f"  ~ … {len(d.changed) - limit} 个 more")
    return lines or ["无变化 / no changes"]
