"""The report as a value: everything the HTML, Word and Excel renderings show, and nothing
they compute. Built by ``compose``; rendered by ``html`` and by the ``ReportWriter`` port."""

from __future__ import annotations

from datetime import datetime

import msgspec

from ss_core.reporting.interpretation import InterpretationOutcome
from ss_core.reporting.tables import ResultTable


class VariableUse(msgspec.Struct, frozen=True, kw_only=True):
    parameter: str
    description: str
    columns: tuple[str, ...]


class DataSection(msgspec.Struct, frozen=True, kw_only=True):
    file_name: str
    format: str
    sheet: str | None
    row_count: int
    column_count: int
    variables: tuple[VariableUse, ...]
    settings: tuple[tuple[str, str], ...]  # non-variable parameters as (name, value)
    missing_values: str


class MethodSection(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    title: str
    family: str
    description: str
    rationale: str
    standard_errors: str
    fixed_effects: str
    packages: tuple[str, ...]
    stata_version: str


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    caption: str
    content_type: str
    data: bytes


class Report(msgspec.Struct, frozen=True, kw_only=True):
    language: str  # "en" | "zh"
    job_id: str
    plan_id: str
    run_id: str
    generated_at: datetime
    question: str
    data: DataSection
    method: MethodSection
    tables: tuple[ResultTable, ...]
    figures: tuple[Figure, ...]
    diagnostics: tuple[str, ...]
    interpretation: InterpretationOutcome | None  # None: not requested
