"""The audit points, in the order they run (one function per point)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ss_http.audit.context import AuditState
from ss_http.audit.points import journey, outcome, surface

PointFn = Callable[[AuditState], dict[str, Any]]

POINTS: tuple[tuple[str, str, PointFn], ...] = (
    ("routes_inventory", "Only /v1, /api/admin, /health, /metrics routes; the journey's "
     "routes are published", surface.routes_inventory),
    ("legacy_routes_absent", "No legacy job creation: /jobs/** and POST /v1/jobs answer 404/405",
     surface.legacy_absent),
    ("readiness", "Production gate: /health/live 200, /health/ready 200", surface.readiness),
    ("redeem", "Redeem the task code; redeeming again returns the same job", journey.redeem),
    ("auth", "Bearer tokens: 401 without, 403 wrong; admin routes guarded", surface.auth),
    ("upload", "Upload the dataset; stored sha256 and size equal the local file",
     journey.upload),
    ("preview", "Inputs preview lists columns and types", journey.preview),
    ("draft", "Draft: template chosen among library candidates, with rationale and LLM model",
     journey.draft),
    ("freeze_missing_required", "An incomplete freeze is a structured "
     "PLAN_FREEZE_MISSING_REQUIRED and freezes nothing", journey.freeze_missing_required),
    ("freeze", "Freeze the plan (idempotent, readable)", journey.freeze),
    ("plan_contract", "Plan contract: template id/version/sha256/rationale, params, "
     "dependencies, outputs", journey.plan_contract),
    ("run", "Run to a terminal state; it succeeds", outcome.run),
    ("artifacts", "Artifacts indexed with sha256; every required declared output present",
     outcome.artifacts),
    ("downloads", "Every artifact downloads with the indexed sha256 and size",
     outcome.downloads),
    ("library_in_run", "The rendered do-file starts with the frozen template's header",
     outcome.library_in_run),
    ("run_meta", "Run meta records the command line and exit code", outcome.run_meta),
    ("restart", "After a restart the job and its artifacts are unchanged", outcome.restart),
)
