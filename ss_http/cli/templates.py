"""``ssctl templates``: list and inspect the do-template library."""

from __future__ import annotations

import argparse
from pathlib import Path

from ss_core.library.loader import load_library

DEFAULT_LIBRARY = Path(__file__).resolve().parents[2] / "assets" / "stata_do_library"


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = groups.add_parser("templates", help="the do-template library")
    parser.add_argument("--library", type=Path, default=DEFAULT_LIBRARY)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list templates with family and title")
    listing.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    library = load_library(args.library, check_index=False)
    for tpl in library:
        print(f"{tpl.id:32} {tpl.meta.family:20} {tpl.meta.title.en}")
    return 0
