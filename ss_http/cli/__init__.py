"""``ssctl``: the operator's command line. Each command group lives in its own module."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
from collections.abc import Sequence

from ss_http.cli import audit, docs, service, templates


def installed_version() -> str:
    """The installed distribution's version (a bare source tree has none)."""
    try:
        return importlib.metadata.version("ss")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssctl", description="SS operator command line")
    parser.add_argument("--version", action="version",
                        version=f"ssctl {installed_version()} (Python {sys.version.split()[0]})")
    groups = parser.add_subparsers(dest="group", required=True)
    templates.register(groups)
    service.register(groups)
    docs.register(groups)
    audit.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, configure logging (stderr only), run the command. A configuration error is
    printed as one message naming every bad key (exit 2), never as a traceback."""
    from ss_adapters.config_keys import environment_problems
    from ss_adapters.observability.logging_setup import configure_from_env
    from ss_core.errors import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        problems = environment_problems(os.environ)
        if problems:
            raise ConfigError(f"{len(problems)} invalid setting(s)", problems=problems)
        configure_from_env(os.environ)
        result: int = args.handler(args)
    except ConfigError as exc:
        print(f"configuration error: {exc.message}", file=sys.stderr)
        for problem in exc.context.get("problems", []):
            print(f"  - {problem}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
