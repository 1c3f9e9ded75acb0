"""``ssctl serve``, ``ssctl worker``, ``ssctl check``, ``ssctl migrate``, ``ssctl task-codes``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from ss_core.errors import SSError, ValidationFailed
from ss_core.usecases.access import issue_task_codes

if TYPE_CHECKING:
    from ss_adapters.runtime import Runtime

Groups = argparse._SubParsersAction


def _runtime(env: dict[str, str], role: str = "all") -> Runtime:
    """The composition root, imported only by the commands that need it."""
    from ss_adapters.runtime import Runtime

    return Runtime(env, role)


def register(groups: Groups) -> None:  # type: ignore[type-arg]
    serve = groups.add_parser("serve", help="run the API (and an in-process worker)")
    serve.add_argument("--no-worker", action="store_true", help="API only (scale-out)")
    serve.add_argument("--host", help="address to bind (default: SS_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default: SS_PORT, 8000)")
    serve.add_argument("--workers", type=int, metavar="N",
                       help="N API processes and the worker as its own process, supervised")
    serve.set_defaults(handler=_serve)
    worker = groups.add_parser("worker", help="run a worker that executes queued runs")
    worker.set_defaults(handler=_worker)
    check = groups.add_parser("check", help="evaluate every production requirement "
                                            "(exit 0 READY, 1 NOT READY, 2 bad configuration)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--role", choices=("all", "api", "worker"), default="all",
                       help="what this host runs (api: no local Stata needed; worker: no "
                            "admin token or LLM needed)")
    check.set_defaults(handler=_check)
    migrate = groups.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--json", action="store_true", help="print the revisions as JSON")
    migrate.set_defaults(handler=_migrate)
    codes = groups.add_parser("task-codes", help="issue, list and revoke task codes")
    sub = codes.add_subparsers(dest="command", required=True)
    issue = sub.add_parser("issue", help="issue task codes (printed once, stored hashed)")
    issue.add_argument("--count", type=int, default=1, help="how many (1-1000, default 1)")
    issue.add_argument("--expires-in-days", type=float, default=30.0,
                       help="lifetime in days (default 30)")
    issue.add_argument("--tenant", default="default", help="tenant recorded on the codes")
    issue.add_argument("--label", default="", help="free-text label (e.g. the course name)")
    issue.add_argument("--json", action="store_true",
                       help="print JSON (the default output; kept for uniformity)")
    issue.set_defaults(handler=_issue)
    listing = sub.add_parser("list", help="list task codes, newest first (never the codes "
                                          "themselves: they are stored hashed)")
    listing.add_argument("--limit", type=int, default=100, help="at most this many (1-1000)")
    listing.add_argument("--offset", type=int, default=0, help="skip this many")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list_codes)
    revoke = sub.add_parser("revoke", help="revoke a task code and its job's tokens")
    revoke.add_argument("task_code_id", help="the code's id (tcid_...), from `list`")
    revoke.add_argument("--json", action="store_true", help="print JSON")
    revoke.set_defaults(handler=_revoke)


def _env() -> dict[str, str]:
    return dict(os.environ)


def _serve(args: argparse.Namespace) -> int:
    if args.workers is not None:
        from ss_http.supervisor import supervise

        try:
            supervise(_env(), workers=args.workers, with_worker=not args.no_worker,
                      host=args.host, port=args.port)
        except SSError as exc:
            return _print_error(exc)
        return 0
    from ss_http.serving import serve

    serve(_env(), with_worker=not args.no_worker, host=args.host, port=args.port)
    return 0


def _worker(args: argparse.Namespace) -> int:
    from ss_http.serving import work

    asyncio.run(work(_env()))
    return 0


def _print_error(exc: SSError) -> int:
    print(json.dumps(exc.to_body(), ensure_ascii=False, indent=2, default=str), file=sys.stderr)
    return 2


async def _check_async(as_json: bool, role: str) -> int:
    runtime = _runtime(_env(), role)
    await runtime.start()
    try:
        readiness = await runtime.gate.evaluate()
    finally:
        await runtime.close()
    if as_json:
        from ss_http.readiness_view import readiness_json

        print(json.dumps(readiness_json(readiness), ensure_ascii=False, indent=2))
    else:
        for check in readiness.checks:
            mark = "ok  " if check.ok else "warn" if check.warning else "FAIL"
            line = f"{mark} {check.name}"
            if not check.ok:
                line += f": [{check.error_code}] {check.reason} -> {check.fix}"
            print(line)
        print("READY" if readiness.ready else "NOT READY")
    return 0 if readiness.ready else 1


def _check(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_check_async(args.json, args.role))
    except SSError as exc:
        return _print_error(exc)


async def _migrate_async(as_json: bool = False) -> int:
    runtime = _runtime({**_env(), "SS_AUTO_MIGRATE": "0"})
    try:
        runtime.settings.service.data_dir.mkdir(parents=True, exist_ok=True)
        await runtime.container.repositories().migrate()
        current, head = await runtime.container.repositories().schema_status()
        if as_json:
            print(json.dumps({"current": current, "head": head}))
        else:
            print(f"database schema at {current} (head {head})")
    finally:
        await runtime.close()
    return 0


def _migrate(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_migrate_async(args.json))
    except SSError as exc:
        return _print_error(exc)


async def _issue_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    runtime = _runtime(_env())
    await runtime.start()
    try:
        issued = await issue_task_codes(runtime.services, count=args.count,
                                        expires_in_days=args.expires_in_days,
                                        tenant=args.tenant, label=args.label)
    finally:
        await runtime.close()
    return [{"task_code": c.task_code, "task_code_id": c.task_code_id,
             "expires_at": c.expires_at.isoformat(), "tenant": c.tenant} for c in issued]


def _issue(args: argparse.Namespace) -> int:
    try:
        print(json.dumps(asyncio.run(_issue_async(args)), indent=2))
    except SSError as exc:
        return _print_error(exc)
    return 0


async def _codes_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    runtime = _runtime(_env())
    await runtime.start()
    try:
        services = runtime.services
        if args.command == "list":
            if not 1 <= args.limit <= 1000 or args.offset < 0:
                raise ValidationFailed("--limit must be 1-1000 and --offset >= 0",
                                       fields=["limit", "offset"])
            codes = await services.task_codes.list(limit=args.limit, offset=args.offset)
            return [{"task_code_id": c.task_code_id, "tenant": c.tenant, "label": c.label,
                     "created_at": c.created_at.isoformat(),
                     "expires_at": c.expires_at.isoformat(),
                     "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
                     "redeemed_at": c.redeemed_at.isoformat() if c.redeemed_at else None,
                     "job_id": c.job_id} for c in codes]
        now = services.clock.now()
        code = await services.task_codes.revoke(args.task_code_id, now)
        tokens = await services.tokens.revoke_for_job(code.job_id, now) if code.job_id else 0
        return [{"task_code_id": code.task_code_id,
                 "revoked_at": code.revoked_at.isoformat() if code.revoked_at else None,
                 "job_id": code.job_id, "revoked_tokens": tokens}]
    finally:
        await runtime.close()


def _list_codes(args: argparse.Namespace) -> int:
    try:
        rows = asyncio.run(_codes_async(args))
    except SSError as exc:
        return _print_error(exc)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        state = ("revoked" if row["revoked_at"] else "redeemed" if row["redeemed_at"]
                 else "open")
        print(f"{row['task_code_id']:28} {state:9} {row['tenant']:12} "
              f"expires {row['expires_at'][:10]}  {row['job_id'] or '-':24} {row['label']}")
    print(f"{len(rows)} task code(s)")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    try:
        (row,) = asyncio.run(_codes_async(args))
    except SSError as exc:
        return _print_error(exc)
    if args.json:
        print(json.dumps(row, indent=2))
    else:
        print(f"revoked {row['task_code_id']} at {row['revoked_at']}; "
              f"{row['revoked_tokens']} job token(s) revoked")
    return 0
