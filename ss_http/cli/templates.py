"""``ssctl templates``: list, inspect, check, render, index and smoke-test the do-templates."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from ss_core.authoring.checks import library_problems
from ss_core.errors import SSError
from ss_core.library.loader import load_library
from ss_core.library.packaged import default_library_root
from ss_http.cli import templates_generated, templates_render, templates_smoke

DEFAULT_DOCS = Path("docs") / "templates"


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = groups.add_parser("templates", help="list, inspect, check, render, index and "
                                                 "smoke-test the do-template library")
    parser.add_argument("--library", type=Path, default=None,
                        help="library root (default: the library shipped with SS)")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list templates with family and title")
    listing.add_argument("--family", help="only templates of this family")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_guarded(_list))
    show = commands.add_parser("show", help="parameters, dependencies and outputs of one")
    show.add_argument("template_id", help="the template's id (see `templates list`)")
    show.add_argument("--json", action="store_true", help="print the meta as JSON")
    show.set_defaults(handler=_guarded(_show))
    check = commands.add_parser("check", help="load and run every static library check "
                                               "(exit 1 when any problem is found)")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.set_defaults(handler=_guarded(_check))
    index = commands.add_parser("index", help="regenerate index.json and docs/templates")
    index.add_argument("--docs", type=Path, default=DEFAULT_DOCS,
                       help="where the per-template docs go (default: ./docs/templates)")
    index.add_argument("--check", action="store_true", help="fail naming every stale file")
    index.set_defaults(handler=_guarded(templates_generated.run))
    templates_render.register(commands, _guarded)
    templates_smoke.register(commands, _guarded)


def _guarded(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            if getattr(args, "library", "absent") is None:
                args.library = default_library_root()
            result: int = handler(args)
        except SSError as exc:
            print(f"error {exc.error_code}: {exc.message}", file=sys.stderr)
            if exc.context:
                print(json.dumps(exc.context, indent=2, ensure_ascii=False, default=str),
                      file=sys.stderr)
            return 2
        return result

    return run


def _list(args: argparse.Namespace) -> int:
    library = load_library(args.library, check_index=False)
    rows = [t for t in library if args.family in (None, t.meta.family)]
    if args.json:
        print(json.dumps([{"id": t.id, "family": t.meta.family, "version": t.meta.version,
                           "title": {"en": t.meta.title.en, "zh": t.meta.title.zh},
                           "data_shape": t.meta.data_shape} for t in rows],
                         indent=2, ensure_ascii=False))
        return 0
    for tpl in rows:
        print(f"{tpl.id:32} {tpl.meta.family:20} {tpl.meta.title.en}")
    return 0


def _show(args: argparse.Namespace) -> int:
    tpl = load_library(args.library, check_index=False).get(args.template_id)
    meta = tpl.meta
    if args.json:
        print(json.dumps(msgspec.to_builtins(meta), indent=2, ensure_ascii=False))
        return 0
    print(f"{meta.id} {meta.version}  [{meta.family}]  {meta.data_shape}")
    print(f"  {meta.title.en}\n  {meta.title.zh}\n")
    print("parameters:")
    for p in meta.parameters:
        extra = []
        if p.role:
            extra.append(f"role={p.role}")
        if p.default is not None:
            extra.append(f"default={p.default}")
        if p.var_types:
            extra.append("types=" + "/".join(t.value for t in p.var_types))
        if p.choices:
            extra.append("choices=" + ",".join(p.choices))
        need = "required" if p.required else "optional"
        print(f"  {p.name:20} {p.type.value:8} {need:8} {' '.join(extra)}")
        print(f"  {'':20} {p.description.en} / {p.description.zh}")
    deps = meta.dependencies
    print(f"\ndependencies: Stata >= {deps.stata_min_version:g}; official: "
          f"{', '.join(deps.builtin_commands) or '-'}")
    for pkg in deps.packages:
        print(f"  package {pkg.name} ({pkg.source}): {', '.join(pkg.provides)}")
    print("\noutputs:")
    for out in meta.outputs:
        need = "required" if out.required else "optional"
        print(f"  {out.file:32} {out.kind:8} {need:8} {out.description}")
    return 0


def _check(args: argparse.Namespace) -> int:
    found = library_problems(args.library)
    if args.json:
        print(json.dumps({"templates_checked": len(found), "problems": [
            {"template_id": tid, "file": p.file, "problem": p.problem}
            for tid, problems in sorted(found.items()) for p in problems]},
            ensure_ascii=False, indent=2))
        return 1 if any(found.values()) else 0
    total = 0
    for template_id, problems in sorted(found.items()):
        for problem in problems:
            total += 1
            print(f"{template_id}: {problem.file}: {problem.problem}")
    print(f"{len(found)} template(s) checked, {total} problem(s)")
    return 1 if total else 0
