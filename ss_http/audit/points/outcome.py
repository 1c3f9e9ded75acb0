"""Audit points of the run and its outcome: run, artifact index, downloads, the rendered
do-file's template header, run metadata, and durability across a restart."""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import time
from typing import Any

import httpx

from ss_http.audit.context import AuditState, PointSkipped, expect

SHA256_HEX = 64
TERMINAL = ("succeeded", "failed", "cancelled")
ALWAYS_INDEXED = ("plan", "do_file", "stata_log", "run_meta")
KEPT_KINDS = ("do_file", "run_meta")


def _latest_run_id(state: AuditState) -> str | None:
    run = (state.job or {}).get("latest_run") or {}
    return run.get("run_id")


def run(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    if state.plan is None:
        raise PointSkipped("no plan: the freeze point did not pass")
    answer = state.client.call("POST", f"/v1/jobs/{job_id}/run", token=token)
    queued = answer.json()
    expect(answer.status == 202, "the run could not be queued", status=answer.status,
           error_code=answer.exchange.error_code, message=queued.get("message"))
    deadline = time.monotonic() + state.options.timeout
    job = state.client.call("GET", f"/v1/jobs/{job_id}", token=token).json()
    while job.get("status") not in TERMINAL and time.monotonic() < deadline:
        time.sleep(state.options.poll_seconds)
        job = state.client.call("GET", f"/v1/jobs/{job_id}", token=token).json()
    state.job = job
    latest = job.get("latest_run") or {}
    error = job.get("error") or {}
    evidence = {"queued_status": queued.get("status"), "scheduled_at": queued.get("scheduled_at"),
                "status": job.get("status"), "run_id": latest.get("run_id"),
                "attempt": latest.get("attempt"), "started_at": latest.get("started_at"),
                "ended_at": latest.get("ended_at"), "error_code": error.get("error_code"),
                "error_message": error.get("message"),
                "missing_packages": error.get("missing_packages")}
    expect(job.get("status") in TERMINAL, f"the run did not finish within "
           f"{state.options.timeout:g} s", **evidence)
    if error.get("error_code") == "STATA_DEPENDENCY_MISSING":
        evidence["how_to_fix"] = ("install the missing packages into SS_STATA_ADO_DIR "
                                  "(docs/operations.md), then POST /v1/jobs/{job_id}/run")
    expect(job.get("status") == "succeeded",
           f"the run failed: {error.get('error_code')}: {error.get('message')}", **evidence)
    again = state.client.call("POST", f"/v1/jobs/{job_id}/run", token=token).json()
    evidence["rerun_run_id"] = (again.get("latest_run") or {}).get("run_id")
    expect(evidence["rerun_run_id"] == latest.get("run_id"),
           "POST /run on a succeeded job started another run", **evidence)
    return evidence


def artifacts(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_succeeded()
    answer = state.client.call("GET", f"/v1/jobs/{job_id}/artifacts", token=token)
    items: list[dict[str, Any]] = answer.json().get("artifacts", [])
    state.artifacts = items
    run_id = _latest_run_id(state)
    declared = ((state.plan or {}).get("outputs_contract") or {}).get("declared", [])
    produced = {a["rel_path"].rsplit("/", 1)[-1]: a for a in items
                if a.get("run_id") == run_id and "/outputs/" in a.get("rel_path", "")}
    missing = [o["file"] for o in declared if o.get("required") and (
        o["file"] not in produced or not produced[o["file"]].get("size_bytes"))]
    kinds = {a.get("kind") for a in items}
    unhashed = [a.get("rel_path") for a in items
                if len(str(a.get("sha256") or "")) != SHA256_HEX
                or not isinstance(a.get("size_bytes"), int)]
    evidence = {"count": len(items), "run_id": run_id,
                "artifacts": [[a.get("rel_path"), a.get("kind"), a.get("size_bytes"),
                               a.get("sha256")] for a in items],
                "declared_required": [o["file"] for o in declared if o.get("required")],
                "missing_required_outputs": missing, "unhashed": unhashed}
    expect(answer.status == 200 and items, "the artifact index is empty or refused", **evidence)
    expect(not unhashed, "artifacts without a sha256 and size", **evidence)
    expect(set(ALWAYS_INDEXED) <= kinds, "plan, do-file, Stata log or run meta not indexed",
           kinds=sorted(k for k in kinds if k), **evidence)
    expect(not missing, "declared required outputs are missing from the index", **evidence)
    return evidence


def downloads(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_succeeded()
    if not state.artifacts:
        raise PointSkipped("no artifact index: the artifacts point did not pass")
    checked, mismatches = [], []
    for item in state.artifacts:
        answer = state.client.call("GET", f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}",
                                   token=token)
        data = answer.response.content
        digest = hashlib.sha256(data).hexdigest()
        ok = (answer.status == 200 and digest == item.get("sha256")
              and len(data) == item.get("size_bytes")
              and "attachment" in answer.response.headers.get("content-disposition", ""))
        checked.append([item["rel_path"], digest, len(data)])
        if not ok:
            mismatches.append({"rel_path": item["rel_path"], "status": answer.status,
                               "sha256": digest, "size": len(data)})
        if item.get("kind") in KEPT_KINDS:
            state.downloads[item["rel_path"]] = data
    unindexed = state.client.call("GET", f"/v1/jobs/{job_id}/artifacts/runs/not-indexed.txt",
                                  token=token)
    evidence = {"downloaded": len(checked), "mismatches": mismatches,
                "unindexed_probe": [unindexed.status, unindexed.exchange.error_code]}
    expect(not mismatches, "downloaded bytes differ from the index (sha256/size)", **evidence)
    expect(unindexed.status == 404, "a path that is not indexed can be downloaded", **evidence)
    return evidence


def _kept(state: AuditState, kind: str) -> tuple[str, bytes]:
    run_id = _latest_run_id(state)
    for item in state.artifacts or []:
        if (item.get("kind") == kind and item.get("run_id") == run_id
                and item["rel_path"] in state.downloads):
            return item["rel_path"], state.downloads[item["rel_path"]]
    raise PointSkipped(f"no downloaded {kind} artifact of the latest run")


def library_in_run(state: AuditState) -> dict[str, Any]:
    state.require_succeeded()
    rel_path, data = _kept(state, "do_file")
    template = (state.plan or {}).get("template") or {}
    lines = data.decode("utf-8", errors="replace").splitlines()[:3]
    expected = (f"* template {template.get('template_id')} {template.get('version')} "
                f"sha256:{template.get('content_sha256')}")
    evidence = {"do_file": rel_path, "header": lines, "expected_template_line": expected}
    expect(len(lines) == 3 and lines[1] == expected,
           "the rendered do-file does not start with the frozen template's header", **evidence)
    expect(lines[2] == f"* plan {(state.plan or {}).get('plan_id')}",
           "the rendered do-file does not name the frozen plan", **evidence)
    return evidence


def run_meta(state: AuditState) -> dict[str, Any]:
    state.require_succeeded()
    rel_path, data = _kept(state, "run_meta")
    try:
        meta = json.loads(data)
    except ValueError:
        meta = {}
    evidence = {"run_meta": rel_path, "command_line": meta.get("command_line"),
                "exit_code": meta.get("exit_code"), "stata_version": meta.get("stata_version"),
                "duration_seconds": meta.get("duration_seconds"),
                "worker_id": meta.get("worker_id"), "plan_id": meta.get("plan_id"),
                "template_id": meta.get("template_id")}
    expect(isinstance(meta.get("command_line"), list) and meta["command_line"],
           "run meta has no command line", **evidence)
    expect(isinstance(meta.get("exit_code"), int), "run meta has no exit code", **evidence)
    expect(meta.get("plan_id") == (state.plan or {}).get("plan_id"),
           "run meta names another plan", **evidence)
    return evidence


def _wait_live(state: AuditState, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            if state.client.call("GET", "/health/live").status == 200:
                return True
        except httpx.TransportError:
            pass  # still restarting; bounded by the deadline
        time.sleep(state.options.poll_seconds)
    return False


def restart(state: AuditState) -> dict[str, Any]:
    if not state.options.restart_cmd:
        raise PointSkipped("no --restart-cmd given")
    job_id, token = state.require_succeeded()
    before = {a["rel_path"]: a["sha256"] for a in state.artifacts or []}
    argv = shlex.split(state.options.restart_cmd)
    started = time.monotonic()
    done = subprocess.run(argv, shell=False, check=False, capture_output=True,
                          timeout=state.options.timeout)
    live = _wait_live(state, time.monotonic() + state.options.timeout)
    evidence: dict[str, Any] = {"command": argv, "returncode": done.returncode,
                                "stderr_tail": done.stderr.decode(errors="replace")[-400:],
                                "live_again": live,
                                "seconds": round(time.monotonic() - started, 2)}
    expect(done.returncode == 0, "the restart command failed", **evidence)
    expect(live, "the service did not come back (GET /health/live)", **evidence)
    job = state.client.call("GET", f"/v1/jobs/{job_id}", token=token).json()
    index = state.client.call("GET", f"/v1/jobs/{job_id}/artifacts", token=token).json()
    after = {a["rel_path"]: a["sha256"] for a in index.get("artifacts", [])}
    changed = sorted(p for p, h in before.items() if after.get(p) != h)
    evidence.update(status_after=job.get("status"), artifacts_after=len(after), changed=changed)
    expect(job.get("status") == (state.job or {}).get("status"),
           "the job status changed across the restart", **evidence)
    expect(not changed, "artifacts vanished or changed hash across the restart", **evidence)
    return evidence
