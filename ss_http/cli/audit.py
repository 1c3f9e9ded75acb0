"""``ssctl audit``: the production audit as an executable go/no-go against a running SS.

Imports only the standard library here; the audit package (httpx + ss_core) is loaded when
the command runs, so registering it never pulls in the adapters.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

Groups = argparse._SubParsersAction


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value``; the value is JSON when it parses as JSON (numbers, lists), else text."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--param expects name=value, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name.strip(), value


def register(groups: Groups) -> None:  # type: ignore[type-arg]
    audit = groups.add_parser("audit", help="audit a running SS end to end (exit 0 = READY)")
    audit.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    audit.add_argument("--task-code", required=True, help="an issued, unredeemed task code")
    audit.add_argument("--dataset", required=True, type=Path, help=".csv/.xlsx/.xls/.dta")
    audit.add_argument("--requirement", required=True, help="the analysis request in words")
    audit.add_argument("--admin-token", help="also audit the admin API with this token")
    audit.add_argument("--restart-cmd", help="command that restarts SS (run without a shell)")
    audit.add_argument("--report-dir", type=Path, default=Path("."),
                       help="where audit_report.md and audit_report.json are written")
    audit.add_argument("--timeout", type=float, default=600.0,
                       help="seconds to wait for the draft, the run and the restart")
    audit.add_argument("--param", action="append", type=parse_param, default=[],
                       metavar="NAME=VALUE", help="parameter override for the freeze")
    audit.add_argument("--json", action="store_true",
                       help="print the report as JSON on stdout (progress stays on stderr)")
    audit.add_argument("--poll-seconds", type=float, default=1.0, help=argparse.SUPPRESS)
    audit.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    from ss_http.audit.context import AuditOptions
    from ss_http.audit.report import write_report
    from ss_http.audit.runner import run_audit

    if not args.dataset.is_file():
        print(f"--dataset {args.dataset} is not a readable file")
        return 2
    options = AuditOptions(
        base_url=args.base_url, task_code=args.task_code, dataset=args.dataset,
        requirement=args.requirement, admin_token=args.admin_token,
        restart_cmd=args.restart_cmd, report_dir=args.report_dir, timeout=args.timeout,
        params=dict(args.param), poll_seconds=args.poll_seconds)
    def progress(done: int, total: int, point: Any) -> None:
        print(f"[{done}/{total}] {point.status:4} {point.id}: {point.summary}", file=sys.stderr,
              flush=True)

    report = run_audit(options, progress)
    markdown, document = write_report(report, args.report_dir)
    if args.json:
        print(document.read_text(encoding="utf-8"))
    else:
        print(f"{report.verdict}  ({markdown}, {document})")
    return report.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run ``ssctl audit`` alone (used by tests and by ``python -m ss_http.cli.audit``)."""
    parser = argparse.ArgumentParser(prog="ssctl")
    register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(["audit", *(argv or [])])
    result: int = args.handler(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
