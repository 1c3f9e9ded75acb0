"""``ssctl templates``: list, inspect, check, render, index and smoke-test the do-templates."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from ss_core.errors import SSError
from ss_core.library.loader import load_library
from ss_core.library.packaged import default_library_root

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
    index.set_defaults(handler=_guarded(_later("templates_generated")))
    render = commands.add_parser("render", help="print the rendered do-file for a dataset")
    render.add_argument("template_id", help="the template's id (see `templates list`)")
    render.add_argument("--dataset", type=Path, required=True, help=".csv or .dta file")
    render.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="parameter value (lists: comma-separated)")
    render.add_argument("--role", action="append", default=[], metavar="ROLE=COLUMN",
                        help="draft role (lists: comma-separated columns)")
    render.add_argument("--plan-id", default="cli-render",
                        help="plan id written into the do-file header (default cli-render)")
    render.set_defaults(handler=_guarded(_later("templates_render")))
    smoke = commands.add_parser("smoke", help="run templates in Stata on known-answer fixtures")
    smoke.add_argument("--stata-cmd", required=True, help="Stata console executable")
    smoke.add_argument("--templates", default="", help="comma-separated ids (default: all)")
    smoke.add_argument("--fixtures", type=Path, help="fixtures dir (default: <library>/fixtures)")
    smoke.add_argument("--report-dir", type=Path, help="reports and run dirs (default: temp)")
    smoke.add_argument("--timeout", type=float, default=300.0, help="seconds per template")
    smoke.set_defaults(handler=_guarded(_later("templates_smoke")))


def _later(module: str) -> Callable[[argparse.Namespace], int]:
    """The ``run`` of ``ss_http.cli.<module>``, imported when its command runs: the authoring
    tools (checks, docs, smoke plans) stay unloaded in ``ssctl serve``."""
    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = importlib.import_module(
            f"ss_http.cli.{module}").run
        return command(args)
    return run


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
    from ss_core.authoring.checks import library_problems

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
