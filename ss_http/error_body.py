"""An ``ErrorReport`` as the /v1 error body: the core names actions, this module routes them.

The body is the report's flat JSON (``error_code``, ``message``, ``retryable``, ``fix``, the
details at top level) plus the keys /v1 published before the report had one ``fix``:

- ``next_actions``: each action as the request that performs it (``{action, method, path,
  fields}``), and ``action``, the fix in words, for an error that names actions (the freeze
  refusal documents both);
- ``next_actions`` as a list of hint strings for the input errors (the upload and dataset
  refusals published their hints that way).
"""

from __future__ import annotations

from typing import Any

from ss_core.errors import Action, ErrorReport, InputError, PayloadTooLarge, SSError

# action name -> (method, path under the job); the only place a core action becomes a route.
ROUTES: dict[str, tuple[str, str]] = {
    "patch_draft": ("POST", "/v1/jobs/{job_id}/draft/patch"),
    "freeze_with_params": ("POST", "/v1/jobs/{job_id}/plan/freeze"),
}
HINTS_AS_LIST: tuple[type[SSError], ...] = (InputError, PayloadTooLarge)


def route_of(action: Action, job_id: str) -> dict[str, Any]:
    method, path = ROUTES[action.name]
    return {"action": action.name, "method": method, "path": path.format(job_id=job_id),
            "fields": list(action.fields)}


def error_body(report: ErrorReport, *, job_id: str | None,
               hints_as_list: bool = False) -> dict[str, Any]:
    """The wire body of ``report`` (before ``disclosure.public_body`` scrubs it)."""
    body = report.as_json()
    if report.actions:
        job = job_id or str(report.details.get("job_id", ""))
        body["next_actions"] = [route_of(a, job) for a in report.actions]
        if report.fix is not None:
            body["action"] = report.fix
    elif hints_as_list and report.fix is not None:
        body["next_actions"] = [report.fix]
    return body


def body_of(exc: SSError, *, job_id: str | None = None) -> dict[str, Any]:
    """The wire body of a raised error."""
    return error_body(exc.report(), job_id=job_id, hints_as_list=isinstance(exc, HINTS_AS_LIST))
