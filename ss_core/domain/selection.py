"""Evidence of a template selection: candidates with scores and the LLM's reasoned choice."""

from __future__ import annotations

import msgspec


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    title: str
    score: float
    fits_roles: bool = True


class SelectionEvidence(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    title: str
    confidence: float
    rationale: str
    candidates: tuple[Candidate, ...]
    model: str
    method: str = "retrieval+llm"
