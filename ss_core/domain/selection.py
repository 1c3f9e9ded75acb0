"""Evidence of a template selection: candidates with scores and the LLM's reasoned choice."""

from __future__ import annotations

import msgspec


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """One shortlisted template: ``score`` is the retrieval score, ``role_fit`` the share of
    its required parameters the draft binds (1.0 = all), ``rank`` its place and ``why`` the
    one-line reason for that place."""

    template_id: str
    title: str
    score: float
    fits_roles: bool = True
    role_fit: float = 1.0
    rank_score: float = 0.0
    rank: int = 0
    why: str = ""


class SelectionEvidence(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    title: str
    confidence: float
    rationale: str
    candidates: tuple[Candidate, ...]
    model: str
    method: str = "retrieval+llm"
