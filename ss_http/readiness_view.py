"""The gate's checks as /health/ready and ``ssctl check --json`` publish them: the check's
``fix`` under its published name ``how_to_fix``; anonymous callers see no details."""

from __future__ import annotations

from typing import Any

import msgspec

from ss_adapters.gate import CheckResult, Readiness
from ss_http.disclosure import scrub


def public_check(check: CheckResult) -> dict[str, Any]:
    """A check as anonymous callers see it: its name, outcome, reason and fix, scrubbed of
    URLs and host paths, and without details (paths, URLs, versions)."""
    return {"name": check.name, "ok": check.ok, "warning": check.warning,
            "error_code": check.error_code, "reason": scrub(check.reason or "") or None,
            "how_to_fix": scrub(check.fix or "") or None}


def full_check(check: CheckResult) -> dict[str, Any]:
    """A check as the admin and the operator's CLI see it: everything."""
    shown: dict[str, Any] = msgspec.to_builtins(check)
    shown["how_to_fix"] = shown.pop("fix")
    return shown


def readiness_json(readiness: Readiness) -> dict[str, Any]:
    """The whole gate report as ``ssctl check --json`` prints it."""
    return {"ready": readiness.ready, "checks": [full_check(c) for c in readiness.checks]}
