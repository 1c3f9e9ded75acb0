"""The answer shapes the web client is typed against (``frontend/src/api/types.ts``),
transcribed as msgspec structs: a field without ``= default`` is required, ``X | None`` accepts
null, a field with a default may be absent but (unless ``| None``) not null. Unknown extra
fields are allowed, as TypeScript allows them. ``check(body, Shape)`` raises on any mismatch.

``decision`` (types.ts:105) and the stage-1 option items (types.ts:126-130) are checked by
their own tests, so a gap in one of them does not hide every other field.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import msgspec

JsonScalar = str | int | float | bool | None
T = TypeVar("T")


class Shape(msgspec.Struct, kw_only=True):
    pass


class RedeemTaskCodeResponse(Shape, kw_only=True):  # types.ts:239-244
    expires_at: str
    is_idempotent: bool
    job_id: str
    token: str


class InputsUploadResponse(Shape, kw_only=True):  # types.ts:195-199
    fingerprint: str
    job_id: str
    manifest_rel_path: str


class InputsPreviewColumn(Shape, kw_only=True):  # types.ts:169-172
    inferred_type: str
    name: str


class InputsPreviewDataset(Shape, kw_only=True):  # types.ts:173-181
    dataset_key: str
    format: str
    header_row: bool | None = None
    original_name: str
    role: str
    selected_sheet: str | None = None
    sheet_names: list[str] = []


class InputsPreviewResponse(Shape, kw_only=True):  # types.ts:182-194
    column_count: int | None = None
    columns: list[InputsPreviewColumn] = []
    datasets: list[InputsPreviewDataset] = []
    header_row: bool | None = None
    job_id: str
    row_count: int | None = None
    sample_rows: list[dict[str, JsonScalar]] = []
    selected_sheet: str | None = None
    sheet_names: list[str] = []


class DraftPreviewPendingResponse(Shape, kw_only=True):  # types.ts:92-97
    message: str
    retry_after_seconds: float
    retry_until: str
    status: Literal["pending"]


class DraftColumnCandidateV2(Shape, kw_only=True):  # types.ts:48-52
    dataset_key: str
    name: str
    role: str


class DraftColumnNameNormalization(Shape, kw_only=True):  # types.ts:53-58
    dataset_key: str
    normalized_name: str
    original_name: str
    role: str


class DraftDataQualityWarning(Shape, kw_only=True):  # types.ts:59-64
    message: str
    severity: str
    suggestion: str | None = None
    type: str


class DraftOpenUnknown(Shape, kw_only=True):  # types.ts:65-71
    blocking: bool | None = None
    candidates: list[str] = []
    description: str
    field: str
    impact: str


class DraftPreviewDataSource(Shape, kw_only=True):  # types.ts:86-91
    dataset_key: str
    format: str
    original_name: str
    role: str


class DraftRequiredVariable(Shape, kw_only=True):  # types.ts:121-125
    candidates: list[str] = []
    description: str
    field: str


class DraftStage1Question(Shape, kw_only=True):  # types.ts:131-137 (options checked separately)
    options: list[Any] = []
    priority: float
    question_id: str
    question_text: str
    question_type: str


class DraftStage1Option(Shape, kw_only=True):  # types.ts:126-130
    label: str
    option_id: str
    value: JsonScalar


class DraftPreviewResponse(Shape, kw_only=True):  # types.ts:98-120 (decision checked separately)
    column_candidates: list[str] = []
    column_candidates_v2: list[DraftColumnCandidateV2] = []
    column_name_normalizations: list[DraftColumnNameNormalization] = []
    controls: list[str] = []
    data_quality_warnings: list[DraftDataQualityWarning] = []
    data_sources: list[DraftPreviewDataSource] = []
    decision: str
    default_overrides: dict[str, Any] = {}
    draft_id: str
    draft_text: str
    job_id: str
    open_unknowns: list[DraftOpenUnknown] = []
    outcome_var: str | None = None
    required_variables: list[DraftRequiredVariable] = []
    risk_score: float
    stage1_questions: list[DraftStage1Question] = []
    status: Literal["ready"]
    treatment_var: str | None = None
    variable_types: list[InputsPreviewColumn] = []


DRAFT_DECISIONS = ("auto_freeze", "require_confirm", "require_confirm_with_downgrade")


class DraftPatchResponse(Shape, kw_only=True):  # types.ts:77-85
    draft_preview: dict[str, Any] = {}
    open_unknowns: list[DraftOpenUnknown] = []
    patched_fields: list[str] = []
    remaining_unknowns_count: int
    status: Literal["patched"]


class ConfirmJobResponse(Shape, kw_only=True):  # types.ts:42-47
    job_id: str
    message: str
    scheduled_at: str | None = None
    status: str


class PlanStepResponse(Shape, kw_only=True):  # types.ts:213-221
    depends_on: list[str] = []
    params: dict[str, Any] = {}
    produces: list[str] = []
    step_id: str
    type: str


class LLMPlanResponse(Shape, kw_only=True):  # types.ts:207-212
    plan_id: str
    plan_version: int
    rel_path: str
    steps: list[PlanStepResponse] = []


class FreezePlanResponse(Shape, kw_only=True):  # types.ts:151-154 and 165-168 (GetPlanResponse)
    job_id: str
    plan: LLMPlanResponse


class JobTimestamps(Shape, kw_only=True):  # types.ts:200-203
    created_at: str
    scheduled_at: str | None = None


class RunAttemptSummary(Shape, kw_only=True):  # types.ts:222-229
    artifacts_count: int
    attempt: int
    ended_at: str | None = None
    run_id: str
    started_at: str | None = None
    status: str


class ArtifactsSummary(Shape, kw_only=True):  # types.ts:19-24
    by_kind: dict[str, int] = {}
    total: int


class DraftSummary(Shape, kw_only=True):  # types.ts:138-141
    created_at: str
    text_chars: int


class GetJobResponse(Shape, kw_only=True):  # types.ts:155-164
    artifacts: ArtifactsSummary
    draft: DraftSummary | None = None
    job_id: str
    latest_run: RunAttemptSummary | None = None
    selected_template_id: str | None = None
    status: str
    timestamps: JobTimestamps
    trace_id: str | None = None


class ArtifactIndexItem(Shape, kw_only=True):  # types.ts:7-14
    created_at: str | None = None
    kind: str
    meta: dict[str, JsonScalar] = {}
    rel_path: str


class ArtifactsIndexResponse(Shape, kw_only=True):  # types.ts:15-18
    artifacts: list[ArtifactIndexItem] = []
    job_id: str


class RunJobResponse(Shape, kw_only=True):  # types.ts:230-234
    job_id: str
    scheduled_at: str | None = None
    status: str


def check(body: Any, shape: type[T]) -> T:
    """Decode ``body`` as ``shape`` strictly (no str->number coercion)."""
    return msgspec.convert(body, shape, strict=True)
