"""``ssctl templates index [--check]``: write or verify every generated library file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ss_core.authoring.docs import generated_files, stale_files
from ss_core.library.loader import load_library


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    library = load_library(args.library, check_index=False)
    expected = generated_files(args.library, args.docs, library.templates)
    stale = stale_files(expected, args.docs)
    if args.check:
        for path in stale:
            print(f"stale: {_shown(path)}")
        if stale:
            print("run `ssctl templates index` and commit the result")
            return 1
        print(f"{len(expected)} generated file(s) up to date")
        return 0
    args.docs.mkdir(parents=True, exist_ok=True)
    for path in stale:
        if path in expected:
            path.write_text(expected[path], encoding="utf-8")
            print(f"wrote {_shown(path)}")
        else:
            path.unlink()
            print(f"removed {_shown(path)}")
    print(f"{len(expected)} generated file(s), {len(stale)} updated")
    return 0
