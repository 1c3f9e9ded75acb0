"""The web client's requests, transcribed from its source (``frontend/src/api/client.ts`` and
the step components): the exact paths, query strings, headers and JSON bodies it sends, and
the local rules it applies before sending. Each method names the client lines it follows.

This is a test double of a *caller*, not of anything in SS: it drives the real service over
real HTTP so the compatibility suite fails the moment SS stops accepting what the client sends.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

PLACEHOLDER_PARAMS = ("__ID_VAR__", "__TIME_VAR__", "__PANELVAR__", "__CLUSTER_VAR__")
PREVIEW_ROWS, PREVIEW_COLUMNS = 20, 10  # features/step2/Step2.tsx:70-71


@dataclass
class Answer:
    """What ``ApiClient.request`` keeps of an answer (client.ts:186-275)."""

    status: int
    body: Any
    request_id: str
    headers: httpx.Headers

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def internal_code(self) -> str | None:
        """``readErrorCode`` (api/utils.ts:20-27): a non-empty string ``error_code`` or None."""
        if isinstance(self.body, dict):
            code = self.body.get("error_code")
            if isinstance(code, str) and code.strip():
                return code
        return None


@dataclass
class WebClient:
    """One browser tab: base URL ``/v1`` (api/utils.ts:1-5) and the job's bearer token."""

    http: httpx.Client
    token: str | None = None
    job_id: str = ""
    sent: list[tuple[str, str, Any]] = field(default_factory=list)

    def _request(self, method: str, path: str, *, json_body: Any = None,
                 files: Any = None, data: Any = None, blob: bool = False) -> Answer:
        """client.ts:186-247: a fresh ``X-SS-Request-Id`` per request, ``Authorization:
        Bearer`` when a token is stored, JSON bodies as ``JSON.stringify`` with
        ``Content-Type: application/json``; the answer's request id wins when present."""
        rid = uuid.uuid4().hex
        headers = {"X-SS-Request-Id": rid}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            headers["Content-Type"] = "application/json"
        content = None if json_body is None else _stringify(json_body)
        self.sent.append((method, path, json_body))
        r = self.http.request(method, "/v1" + path, headers=headers, content=content,
                              files=files, data=data)
        echoed = r.headers.get("X-SS-Request-Id")
        effective = echoed if echoed and echoed.strip() else rid
        body: Any = r.content if blob and r.is_success else (
            None if not r.text.strip() else r.json())
        return Answer(r.status_code, body, effective, r.headers)

    # Step 1 ---------------------------------------------------------------------------------
    def redeem(self, task_code: str, requirement: str) -> Answer:
        """client.ts:61-69 with the body built at features/step1/Step1.tsx:46-50
        (requirement trimmed)."""
        answer = self._request("POST", "/task-codes/redeem", json_body={
            "task_code": task_code.strip(), "requirement": requirement.strip()})
        if answer.ok:
            self.token, self.job_id = answer.body["token"], answer.body["job_id"]
        return answer

    # Step 2 ---------------------------------------------------------------------------------
    def upload(self, primary: tuple[str, bytes, str],
               auxiliary: tuple[tuple[str, bytes, str], ...] = ()) -> Answer:
        """client.ts:71-96 as called by features/step2/Step2.tsx:128-130: every file as a
        ``file`` part, then one ``role`` part per file (primary_dataset, auxiliary_data...)."""
        job = self.job_id
        files = [("file", f) for f in (primary, *auxiliary)]
        roles = ["primary_dataset", *["auxiliary_data"] * len(auxiliary)]
        return self._request("POST", f"/jobs/{job}/inputs/upload", files=files,
                             data={"role": roles})

    def preview_inputs(self, rows: int | None = PREVIEW_ROWS,
                       columns: int | None = PREVIEW_COLUMNS) -> Answer:
        """client.ts:102-112 (rows/columns only when given; Step2.tsx:94 gives 20 and 10)."""
        params = {k: str(v) for k, v in (("rows", rows), ("columns", columns)) if v is not None}
        suffix = "?" + str(httpx.QueryParams(params)) if params else ""
        return self._request("GET", f"/jobs/{self.job_id}/inputs/preview{suffix}")

    def select_sheet(self, sheet_name: str, rows: int | None = PREVIEW_ROWS,
                     columns: int | None = PREVIEW_COLUMNS) -> Answer:
        """client.ts:114-128: POST with ``sheet_name`` (then rows, columns) in the query string
        and no body (Step2.tsx:78, 110, 143)."""
        params = {"sheet_name": sheet_name}
        params.update({k: str(v) for k, v in (("rows", rows), ("columns", columns))
                       if v is not None})
        return self._request("POST", f"/jobs/{self.job_id}/inputs/primary/sheet?"
                             + str(httpx.QueryParams(params)))

    # Step 3 ---------------------------------------------------------------------------------
    def preview_draft(self) -> Answer:
        """client.ts:130-132."""
        return self._request("GET", f"/jobs/{self.job_id}/draft/preview")

    def wait_draft(self, timeout: float = 30) -> Answer:
        """Step3.tsx:99-120 and 204-208: poll again after ``retry_after_seconds`` while the
        answer is ``status: "pending"`` (model.ts:4-6)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.preview_draft()
            if not (answer.ok and answer.body.get("status") == "pending"):
                return answer
            assert time.monotonic() < deadline, "the draft stayed pending"
            time.sleep(min(1.0, max(0.05, answer.body.get("retry_after_seconds", 1) / 10)))

    def patch_draft(self, unknown_values: dict[str, str]) -> Answer:
        """client.ts:134-136 called at Step3.tsx:127: ``{field_updates: unknownValues}``,
        a map from each open unknown's ``field`` to the one value picked for it."""
        return self._request("POST", f"/jobs/{self.job_id}/draft/patch",
                             json_body={"field_updates": dict(unknown_values)})

    def confirm(self, draft: dict[str, Any], variable_corrections: dict[str, str],
                answers: dict[str, list[str]]) -> Answer:
        """Step3.tsx:143-158, the only confirm the client sends: ``notes`` is always null,
        answers are sent only when the draft has stage-1 questions, ``default_overrides`` is
        echoed from the draft (or ``{}``), ``expert_suggestions_feedback`` is ``{}``."""
        questions = draft.get("stage1_questions") or []
        return self._request("POST", f"/jobs/{self.job_id}/confirm", json_body={
            "confirmed": True,
            "notes": None,
            "variable_corrections": dict(variable_corrections),
            "answers": dict(answers) if questions else {},
            "default_overrides": draft.get("default_overrides") or {},
            "expert_suggestions_feedback": {},
        })

    # Status ---------------------------------------------------------------------------------
    def get_job(self) -> Answer:
        """client.ts:142-144 (features/status/Status.tsx:129)."""
        return self._request("GET", f"/jobs/{self.job_id}")

    def list_artifacts(self) -> Answer:
        """client.ts:146-148 (Status.tsx:136)."""
        return self._request("GET", f"/jobs/{self.job_id}/artifacts")

    def download(self, rel_path: str) -> Answer:
        """client.ts:150-158 with ``encodePathPreservingSlashes`` (api/utils.ts:29-35): each
        segment percent-encoded like ``encodeURIComponent``, a leading slash dropped."""
        trimmed = rel_path[1:] if rel_path.startswith("/") else rel_path
        encoded = "/".join(quote(seg, safe="!'()*-._~") for seg in trimmed.split("/"))
        return self._request("GET", f"/jobs/{self.job_id}/artifacts/{encoded}", blob=True)

    def run(self) -> Answer:
        """client.ts:160-162: POST with the body ``{}``."""
        return self._request("POST", f"/jobs/{self.job_id}/run", json_body={})


def _stringify(value: Any) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def filename_from_rel_path(rel_path: str) -> str:
    """The name shown for, and saved from, an artifact (Status.tsx:13-17)."""
    parts = [p for p in rel_path.split("/") if p.strip()]
    last = parts[-1] if parts else ""
    return last if last.strip() else "文件"


def blocking_missing(draft: dict[str, Any], answers: dict[str, list[str]],
                     unknown_values: dict[str, str]) -> str | None:
    """The client's own check before confirm (step3/model.ts:8-11, 26-48): every stage-1
    question answered, every blocking open unknown (``blocking`` true or impact high or
    critical) given a value; otherwise the reason it refuses to send the confirm."""
    for q in draft.get("stage1_questions") or []:
        if not answers.get(q["question_id"]):
            return f"stage-1 question {q['question_id']} unanswered"
    for u in draft.get("open_unknowns") or []:
        blocking = u.get("blocking") is True or u.get("impact") in ("high", "critical")
        if blocking and not (unknown_values.get(u["field"]) or "").strip():
            return f"blocking unknown {u['field']} has no value"
    return None


def freeze_missing_details(body: Any) -> dict[str, Any] | None:
    """``parsePlanFreezeMissingRequiredDetails`` (step3/planFreezeMissingRequired.ts:50-68):
    ``action`` (non-empty string or None), ``missing_params`` (non-empty strings) and
    ``missing_params_detail`` items with a non-empty ``param``."""
    if not isinstance(body, dict):
        return None

    def text(value: Any) -> str | None:
        return value.strip() or None if isinstance(value, str) else None

    def texts(value: Any) -> list[str]:
        return [t for t in (text(v) for v in value) if t] if isinstance(value, list) else []

    details = []
    for item in body.get("missing_params_detail") or []:
        if isinstance(item, dict) and text(item.get("param")):
            details.append({"param": text(item["param"]),
                            "description": text(item.get("description")) or "",
                            "candidates": texts(item.get("candidates"))})
    return {"action": text(body.get("action")), "missing_params": texts(body.get("missing_params")),
            "missing_params_detail": details}


def recovery_pickers(details: dict[str, Any]) -> list[dict[str, Any]]:
    """The pickers the freeze-recovery panel shows: only placeholder params
    (PlanFreezeMissingRequiredPanel.tsx:13-15, 26-27)."""
    return [d for d in details["missing_params_detail"] if d["param"] in PLACEHOLDER_PARAMS]


def can_retry_recovery(details: dict[str, Any], corrections: dict[str, str]) -> bool:
    """PlanFreezeMissingRequiredPanel.tsx:29-33: every placeholder in ``missing_params`` has a
    non-empty correction."""
    needed = [p for p in details["missing_params"] if p in PLACEHOLDER_PARAMS]
    return all((corrections.get(p) or "").strip() for p in needed)
