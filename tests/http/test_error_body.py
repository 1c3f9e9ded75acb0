"""The core names actions and one fix; the HTTP edge turns actions into requests and keeps the
hint keys /v1 published (``action``, ``next_actions``)."""

from __future__ import annotations

import ast
from pathlib import Path

from ss_core.errors import Action, ErrorReport, InputError, StateConflict
from ss_http.error_body import ROUTES, body_of, error_body

ROOT = Path(__file__).resolve().parents[2]


def _action_names_in_core() -> set[str]:
    names = set()
    for path in (ROOT / "ss_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id == "Action" and node.args and \
                    isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
    return names


def test_every_action_the_core_names_has_a_route() -> None:
    named = _action_names_in_core()
    assert named >= {"patch_draft", "freeze_with_params"}
    assert named <= set(ROUTES)


def test_actions_become_requests_under_the_job_and_the_fix_is_the_action_hint() -> None:
    report = ErrorReport(error_code="PLAN_FREEZE_MISSING_REQUIRED", message="m",
                         retryable=False, fix="set the outcome",
                         actions=(Action("patch_draft", ("outcome_var",)),),
                         details={"missing_fields": ["outcome_var"]})
    body = error_body(report, job_id="job_1")
    assert body["next_actions"] == [{"action": "patch_draft", "method": "POST",
                                     "path": "/v1/jobs/job_1/draft/patch",
                                     "fields": ["outcome_var"]}]
    assert body["action"] == body["fix"] == "set the outcome"
    assert body["missing_fields"] == ["outcome_var"]


def test_input_errors_also_list_their_fix_as_next_actions_and_others_do_not() -> None:
    refused = body_of(InputError("unreadable", code="INPUT_PARSE_FAILED", fix="export as CSV"))
    assert refused["fix"] == "export as CSV" and refused["next_actions"] == ["export as CSV"]
    conflict = body_of(StateConflict("busy", fix="wait for the run"))
    assert conflict["fix"] == "wait for the run" and "next_actions" not in conflict
    assert "fix" not in body_of(StateConflict("busy"))
