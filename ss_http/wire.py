"""Typed answers of every JSON endpoint: the structs the controllers return.

The OpenAPI document's response schemas are generated from these, so the published schema is
the shape actually sent. The wire builders in ``ss_http.shapes`` assemble plain mappings;
``answer(T, body)`` converts one into its struct and fails loudly (a 500 in tests, never a
silently different wire) when a builder and its struct disagree: every struct forbids fields
it does not declare. Fields that are sometimes absent are ``UNSET`` (omitted on the wire).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from ss_core.domain.draft import OpenUnknown
from ss_core.domain.roles import ROLES, RoleKind

T = TypeVar("T")


class Wire(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of every answer struct."""


def answer(kind: type[T], body: Any) -> T:
    """``body`` (a mapping from ``ss_http.shapes``) as the answer struct ``kind``."""
    return msgspec.convert(body, kind)


# -- errors -------------------------------------------------------------------------------


class ErrorBody(msgspec.Struct, kw_only=True):
    """Every error answer. Context keys beyond these name what was wrong (``missing``,
    ``fields``, ``missing_params``, ...); see docs/error-codes.md for each ``error_code``."""

    error_code: str
    message: str
    retryable: bool
    request_id: str | UnsetType = UNSET
    public_code: str | UnsetType = UNSET
    """Short number for end users (``E1001``...), from ``ss_http.public_codes``."""
    legacy_error_code: str | UnsetType = UNSET
    """The code an earlier version of this API used for the same failure, when it differed."""
    fix: str | UnsetType = UNSET
    """How to get past the error, in one sentence, when there is something to do."""


# -- task codes, admin --------------------------------------------------------------------


class RedeemAnswer(Wire):
    job_id: str
    token: str
    expires_at: str
    is_idempotent: bool


class IssuedCode(Wire):
    task_code_id: str
    task_code: str
    expires_at: str
    tenant: str


class IssueAnswer(Wire):
    task_codes: list[IssuedCode]


class TaskCodeRecord(Wire):
    task_code_id: str
    tenant: str
    label: str
    created_at: str
    expires_at: str
    revoked_at: str | None
    redeemed_at: str | None
    job_id: str | None


class TaskCodeList(Wire):
    task_codes: list[TaskCodeRecord]


class RevokeAnswer(Wire):
    task_code_id: str
    revoked_at: str | None
    job_id: str | None
    revoked_tokens: int


class AdminJobRow(Wire):
    job_id: str
    status: str
    tenant: str
    created_at: str
    updated_at: str
    template_id: str | None


class AdminJobList(Wire):
    jobs: list[AdminJobRow]


# -- jobs and runs ------------------------------------------------------------------------


class RunSummary(Wire):
    run_id: str
    attempt: int
    status: str
    claim_count: int
    started_at: str | None
    ended_at: str | None
    error_code: str | None


class LatestRun(RunSummary):
    artifacts_count: int


class ArtifactCounts(Wire):
    total: int
    by_kind: dict[str, int]


class DraftSummary(Wire):
    draft_id: str
    goal: str
    analysis_type: str
    open_unknowns_count: int
    created_at: str | None
    text_chars: int


class JobStatusAnswer(Wire):
    job_id: str
    status: str
    version: int
    requirement: str
    selected_template_id: str | None
    plan_id: str | None
    timestamps: dict[str, str | None]
    draft: DraftSummary | None
    artifacts: ArtifactCounts
    latest_run: LatestRun | None
    error: dict[str, Any] | None


class ArtifactItem(Wire):
    artifact_id: str
    kind: str
    rel_path: str
    size_bytes: int
    sha256: str
    content_type: str
    created_at: str | None
    run_id: str | None
    meta: dict[str, Any]


class ArtifactIndex(Wire):
    job_id: str
    artifacts: list[ArtifactItem]


class AdminJobDetail(JobStatusAnswer):
    runs: list[RunSummary]
    artifact_index: list[ArtifactItem]
    audit: list[dict[str, Any]]


class QueuedAnswer(Wire):
    """``POST /run`` and the admin retry."""

    job_id: str
    status: str
    latest_run: RunSummary | None
    scheduled_at: str | UnsetType | None = UNSET


class ConfirmAnswer(Wire):
    job_id: str
    status: str
    message: str
    plan_id: str | None
    scheduled_at: str | None
    latest_run: RunSummary | None


class PlanAnswer(Wire):
    """``plan`` is the frozen plan document (the ``plan`` artifact, with ``steps`` as a
    chain and an integer ``plan_version``)."""

    job_id: str
    plan: dict[str, Any]


# -- inputs -------------------------------------------------------------------------------


class Normalization(Wire):
    original_name: str
    normalized_name: str
    dataset_key: str
    role: str


class DatasetItem(Wire):
    dataset_key: str
    role: str
    original_name: str
    format: str
    size_bytes: int
    sha256: str
    sheet_name: str | UnsetType | None = UNSET
    selected_sheet: str | UnsetType | None = UNSET
    sheet_names: list[str] | UnsetType = UNSET
    header_row: bool | UnsetType | None = UNSET
    header_row_index: int | UnsetType | None = UNSET


class UploadAnswer(Wire):
    job_id: str
    manifest_rel_path: str
    fingerprint: str
    datasets: list[DatasetItem]
    column_name_normalizations: list[Normalization]


class UploadPendingAnswer(Wire):
    """The upload is stored and its inspection goes on (``202``): the preview and the draft
    answer once it ends."""

    job_id: str
    status: Literal["pending"]
    message: str
    retry_after_seconds: float
    retry_until: str | None
    datasets: list[DatasetItem]


class InputsPendingAnswer(Wire):
    """The latest upload is still being inspected (``202``): ask again after Retry-After."""

    job_id: str
    status: Literal["pending"]
    message: str
    retry_after_seconds: float
    retry_until: str | None


class PreviewColumn(Wire):
    name: str
    original_name: str
    inferred_type: str
    label: str | None = None
    missing_count: int | None = None
    date_frequency: str | UnsetType = UNSET
    date_unit: str | UnsetType = UNSET
    numbers_as_text: list[str] | UnsetType = UNSET


class InputsPreviewAnswer(Wire):
    job_id: str
    row_count: int | None
    row_count_exact: bool
    column_count: int
    columns: list[PreviewColumn]
    sample_rows: list[dict[str, Any]]
    sheet_names: list[str]
    selected_sheet: str | None
    header_row: bool | None
    header_row_index: int | None
    encoding: str | None
    delimiter: str | None
    datasets: list[DatasetItem]
    column_name_normalizations: list[Normalization]


# -- the draft ----------------------------------------------------------------------------


class DraftPendingAnswer(Wire):
    job_id: str
    status: Literal["pending"]
    message: str
    retry_after_seconds: float
    retry_until: str | None


class RoleValue(Wire):
    role: str
    field: str
    kind: str
    description: str
    value: Any


class VariableType(Wire):
    name: str
    inferred_type: str
    type: str
    date_frequency: str | UnsetType = UNSET
    date_unit: str | UnsetType = UNSET
    numbers_as_text: list[str] | UnsetType = UNSET


class QuestionOptionItem(Wire):
    option_id: str
    label: str
    value: Any


class StageQuestion(Wire):
    question_id: str
    question_text: str
    question_type: str
    options: list[QuestionOptionItem]
    priority: int = 1
    field: str | None = None


class DataSource(Wire):
    dataset_key: str
    role: str
    original_name: str
    format: str


class SelectedTemplate(Wire):
    template_id: str | None
    title: str | None
    confidence: float | None
    rationale: str | None
    method: str | None


class TemplateCandidate(Wire):
    template_id: str
    title: str
    score: float
    fits_roles: bool
    role_fit: Any
    rank: int
    why: Any


class Alternative(Wire):
    template_id: str
    title: str
    why: Any
    ready_as_drafted: bool


def _role_field_type(kind: RoleKind) -> Any:
    if kind is RoleKind.VARIABLES:
        return list[str]
    if kind is RoleKind.NUMBER:
        return float | None
    return str | None


# One top-level field per role of the vocabulary (``outcome_var``, ``treatment_var``, ...).
DraftRoleFields = msgspec.defstruct(
    "DraftRoleFields",
    [(role.draft_field, _role_field_type(role.kind)) for role in ROLES.values()],
    bases=(Wire,), kw_only=True, module=__name__)


class DraftPreviewAnswer(DraftRoleFields):  # type: ignore[misc,valid-type]
    """What SS understood: the draft, its roles, the selected template and its candidates,
    and what is still open before the plan can freeze."""

    job_id: str
    draft_id: str
    status: Literal["ready"]
    draft_text: str
    goal: str
    analysis_type: str
    roles: list[RoleValue]
    variable_types: list[VariableType]
    column_candidates: list[str]
    open_unknowns: list[OpenUnknown]
    stage1_questions: list[StageQuestion]
    open_questions: list[StageQuestion]
    data_sources: list[DataSource]
    column_name_normalizations: list[Normalization]
    dropped_mentions: list[dict[str, Any]]
    patched_fields: list[str]
    selected_template: SelectedTemplate
    template_candidates: list[TemplateCandidate]
    alternatives: list[Alternative]
    derived_roles: dict[str, Any]
    decision: str
    readiness: str
    decision_reasons: list[Any]
    data_notes: list[Any]
    model: str | None
    risk_score: float
    required_variables: list[Any]
    data_quality_warnings: list[dict[str, Any]]
    column_candidates_v2: list[dict[str, str]]
    default_overrides: dict[str, Any]


class PatchAnswer(Wire):
    status: Literal["patched"]
    patched_fields: list[str]
    remaining_unknowns_count: int
    open_unknowns: list[OpenUnknown]
    draft_preview: DraftPreviewAnswer


# -- health -------------------------------------------------------------------------------


class LiveAnswer(Wire):
    status: Literal["live"]


class CheckItem(Wire):
    name: str
    ok: bool
    warning: bool = False
    error_code: str | None = None
    reason: str | None = None
    how_to_fix: str | None = None
    details: dict[str, Any] | UnsetType = UNSET  # shown to the admin only


class ReadinessAnswer(Wire):
    """200 when ready, else 503 with ``error_code: SERVICE_NOT_READY``."""

    status: Literal["ready", "not_ready"]
    ready: bool
    violations: list[CheckItem]
    warnings: list[CheckItem]
    checks: list[CheckItem]
    error_code: str | UnsetType = UNSET
    message: str | UnsetType = UNSET


class SystemAnswer(Wire):
    queue: dict[str, Any]
    ready: bool
    violations: list[CheckItem]
    checks: list[CheckItem]
    templates: int
