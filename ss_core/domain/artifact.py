"""Indexed artifacts: the only files a user can download."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec


class ArtifactKind(enum.StrEnum):
    INPUT = "input"
    INPUTS_MANIFEST = "inputs_manifest"
    LLM_TRACE = "llm_trace"
    DRAFT = "draft"
    SELECTION = "selection_evidence"
    PLAN = "plan"
    DO_FILE = "do_file"
    STATA_LOG = "stata_log"
    RUN_META = "run_meta"
    ERROR_REPORT = "error_report"
    OUTPUT_TABLE = "output_table"
    OUTPUT_FIGURE = "output_figure"
    OUTPUT_RESULTS = "output_results"
    OUTPUT_DATA = "output_data"
    OUTPUT_REPORT = "output_report"
    OUTPUT_LOG = "output_log"
    OUTPUT_EXTRA = "output_extra"
    REPORT = "report"
    REPORT_ERROR = "report_error"


OUTPUT_KIND_BY_DECLARED = {
    "table": ArtifactKind.OUTPUT_TABLE,
    "figure": ArtifactKind.OUTPUT_FIGURE,
    "results": ArtifactKind.OUTPUT_RESULTS,
    "data": ArtifactKind.OUTPUT_DATA,
    "report": ArtifactKind.OUTPUT_REPORT,
    "log": ArtifactKind.OUTPUT_LOG,
}

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".log": "text/plain; charset=utf-8",
    ".do": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".tex": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".rtf": "application/rtf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".dta": "application/x-stata-dta",
}


def content_type_for(name: str) -> str:
    dot = name.rfind(".")
    return CONTENT_TYPES.get(name[dot:].lower(), "application/octet-stream") if dot >= 0 else (
        "application/octet-stream")


class Artifact(msgspec.Struct, frozen=True, kw_only=True):
    artifact_id: str
    job_id: str
    kind: ArtifactKind
    rel_path: str
    object_key: str
    size_bytes: int
    sha256: str
    content_type: str
    created_at: datetime
    run_id: str | None = None
    meta: dict[str, Any] = msgspec.field(default_factory=dict)


def display_name(rel_path: str) -> str:
    """The name a file is shown and saved under: the last segment of its path."""
    return rel_path.rstrip("/").rsplit("/", 1)[-1]


def latest_per_name(artifacts: list[Artifact]) -> list[Artifact]:
    """One artifact per display name, the newest (a later upload, draft or run attempt
    supersedes the file of the same name); the kept ones stay in their original order."""
    newest: dict[str, tuple[datetime, int]] = {}
    for i, item in enumerate(artifacts):
        name, key = display_name(item.rel_path), (item.created_at, i)
        if name not in newest or key > newest[name]:
            newest[name] = key
    keep = {i for _, i in newest.values()}
    return [a for i, a in enumerate(artifacts) if i in keep]
