"""`python -m backend township template|check|diff|apply DIR`: a township's own territory.

template DIR [--example]  write the templates: township.xlsx (one sheet per register, Chinese
                          headers and a note row), csv/ (the same as CSV) and a sample
                          boundaries.geojson; --example fills them with the demo township
check DIR                 read and check every file; print every problem with its file,
                          sheet, row and column (exit 1 if any)
diff DIR                  what applying DIR would change in the store
apply DIR                 apply DIR as one versioned change (all or nothing); a running backend
                          audits it and sends the new township to every console within a second

docs/onboarding.md walks through it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backend.cli.operator import recorded
from backend.paths import default_db_url
from backend.store import Store
from backend.township.apply import apply_township_files, plan, print_problems
from backend.township.check import check_directory
from backend.township.diff import describe
from backend.township.template import write_templates
from client.settings import setting
from domain.township import load_demo_township


def _check(directory: Path) -> int:
    result = check_directory(directory)
    if result.problems or result.township is None:
        print_problems(result, sys.stdout)
        return 1
    t = result.township
    print(
        f"通过 / passed: {t.name} {len(t.villages)} 村社 villages, {len(t.grids)} 网格 grids "
        f"({result.boundaries} 边界 boundaries), {len(t.people)} 人员 people, "
        f"{len(t.departments)} 部门 departments, {len(t.cameras)} 摄像头 cameras, "
        f"{len(t.categories)} 类别 categories, {len({f.layer for f in t.layers})} 图层 layers"
    )
    for note in result.notes:
        print(note)
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend township", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = p.add_subparsers(dest="what", required=True)
    template = sub.add_parser("template")
    template.add_argument("dir", type=Path)
    template.add_argument("--example", action="store_true")
    for name in ("check", "diff", "apply"):
        one = sub.add_parser(name)
        one.add_argument("dir", type=Path)
        if name != "check":
            one.add_argument("--db", help="SQLAlchemy URL (default: the backend's for DIR)")
    apply = sub.choices["apply"]
    apply.add_argument("--by", help="who applies it (audited with the machine account)")
    args = p.parse_args(argv)
    if args.what != "template" and not args.dir.is_dir():
        print(f"没有目录 / no directory: {args.dir}", file=sys.stderr)
        return 2
    if args.what == "template":
        paths = write_templates(args.dir, load_demo_township() if args.example else None)
        for path in paths:
            print(path)
        return 0
    if args.what == "check":
        return _check(args.dir)
    store = Store(args.db or setting("db") or default_db_url(args.dir))
    try:
        store.migrate()
        if args.what == "diff":
            planned = plan(store, args.dir)
            if planned.check.township is None:
                print_problems(planned.check, sys.stdout)
                return 1
            if planned.refusal:
                print(planned.refusal)
                return 1
            for line in describe(planned.diffs):
                print(line)
            return 0
        return 0 if apply_township_files(store, args.dir, recorded(args.by), sys.stdout) else 1
    finally:
        store.close()
