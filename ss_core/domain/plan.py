"""The frozen plan: immutable and content-addressed (plan_id = hash of its canonical JSON)."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

PLAN_VERSION = "1"
PLAN_REL_PATH = "plan/plan.json"


class TemplateRef(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    version: str
    content_sha256: str
    title: str
    rationale: str
    selection: dict[str, Any]


class ParamsContract(msgspec.Struct, frozen=True, kw_only=True):
    required: tuple[str, ...]
    optional: tuple[str, ...]
    bound_values: dict[str, Any]
    sources: dict[str, str]
    missing_required: tuple[str, ...] = ()


class DependencyDecl(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    name: str
    kind: str  # stata | builtin | ssc | net
    provides_commands: tuple[str, ...] = ()
    min_version: float | None = None
    url: str | None = None


class DeclaredOutput(msgspec.Struct, frozen=True, kw_only=True):
    file: str
    kind: str
    format: str
    required: bool
    description: str


class OutputsContract(msgspec.Struct, frozen=True, kw_only=True):
    declared: tuple[DeclaredOutput, ...]
    archive_prefix: str = "outputs/"


class PlanStep(msgspec.Struct, frozen=True, kw_only=True):
    step: str
    description: str


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    plan_version: str
    rel_path: str
    job_id: str
    inputs_fingerprint: str
    requirement_sha256: str
    template: TemplateRef
    params_contract: ParamsContract
    dependencies: tuple[DependencyDecl, ...]
    outputs_contract: OutputsContract
    steps: tuple[PlanStep, ...]
    notes: str = ""

    def to_json(self) -> bytes:
        return canonical_json(msgspec.to_builtins(self))


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON (sorted keys, no whitespace) for hashing and archiving."""
    return msgspec.json.encode(_sorted(value))


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


def plan_id_for(content: dict[str, Any]) -> str:
    """``plan_`` + sha256 of the canonical JSON of everything but the id itself."""
    body = {k: v for k, v in content.items() if k != "plan_id"}
    return "plan_" + hashlib.sha256(canonical_json(body)).hexdigest()[:32]
