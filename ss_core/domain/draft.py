"""The draft: what the LLM understood of the request, checked against the data."""

from __future__ import annotations

from typing import Any

import msgspec


class OpenUnknown(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    description: str
    impact: str
    blocking: bool
    candidates: tuple[str, ...] = ()


class Question(msgspec.Struct, frozen=True, kw_only=True):
    question_id: str
    question_text: str
    question_type: str
    options: tuple[str, ...] = ()
    priority: int = 1


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    """Roles hold only real column names (or numbers for number roles)."""

    draft_id: str
    cache_key: str
    goal: str
    analysis_type: str
    draft_text: str
    roles: dict[str, Any]
    open_unknowns: tuple[OpenUnknown, ...] = ()
    questions: tuple[Question, ...] = ()
    dropped: tuple[dict[str, str], ...] = ()
    patched_fields: tuple[str, ...] = ()
    model: str = ""
