"""``ssctl docs``: regenerate documentation derived from code (error-code registry, the API
reference rendered from the served OpenAPI document)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ss_core.errors import ERROR_CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def error_codes_markdown() -> str:
    lines = [
        "# Error codes",
        "",
        "Generated from `ss_core/errors.py` by `ssctl docs generate`; do not edit by hand.",
        "Every error body is `{\"error_code\", \"message\", \"retryable\", ...context}`.",
        "",
        "| error_code | HTTP | retryable | meaning |",
        "|---|---|---|---|",
    ]
    for code in sorted(ERROR_CODES.values(), key=lambda c: c.code):
        retry = "yes" if code.retryable else "no"
        lines.append(f"| `{code.code}` | {code.status} | {retry} | {code.meaning} |")
    return "\n".join(lines) + "\n"


def api_markdown() -> str:
    """docs/api.md with its reference part rendered from the served OpenAPI document."""
    from ss_http.api_doc import render
    from ss_http.app import openapi_document

    path = DOCS / "api.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# The /v1 API\n"
    return render(current, openapi_document())


def configuration_markdown() -> str:
    """docs/configuration.md from the settings registry (imported here, not at module load:
    commands such as ``ssctl audit`` must not load the adapters)."""
    from ss_adapters.config_keys import configuration_markdown as render

    return render()


GENERATED = {"configuration.md": configuration_markdown, "error-codes.md": error_codes_markdown,
             "api.md": api_markdown}


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = groups.add_parser("docs", help="documentation generated from code")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write generated docs (or --check them)")
    gen.add_argument("--check", action="store_true", help="exit 1 if anything is stale")
    gen.set_defaults(handler=_generate)


def stale_documents(docs_dir: Path = DOCS) -> list[str]:
    return [name for name, make in GENERATED.items()
            if not (docs_dir / name).exists()
            or (docs_dir / name).read_text(encoding="utf-8") != make()]


def _generate(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_documents()
        for name in stale:
            print(f"stale: docs/{name} (run `ssctl docs generate`)")
        return 1 if stale else 0
    DOCS.mkdir(exist_ok=True)
    for name, make in GENERATED.items():
        (DOCS / name).write_text(make(), encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0
