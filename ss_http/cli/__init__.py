"""``ssctl``: the operator's command line. Each command group lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ss_http.cli import audit, docs, service, templates


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssctl", description="SS operator command line")
    groups = parser.add_subparsers(dest="group", required=True)
    templates.register(groups)
    service.register(groups)
    docs.register(groups)
    audit.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
