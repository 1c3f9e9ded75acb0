"""The draft: what the LLM understood of the request, checked against the data."""

from __future__ import annotations

from typing import Any

import msgspec


class OpenUnknown(msgspec.Struct, frozen=True, kw_only=True):
    """Something the draft could not settle. ``blocking`` items are exactly the problems the
    freeze would raise for the selected template (``param`` names the template parameter)."""

    field: str
    description: str
    impact: str
    blocking: bool
    candidates: tuple[str, ...] = ()
    param: str | None = None
    problem: str | None = None  # missing | invalid | unsupported
    value: Any = None


# The option that answers "leave this optional setting unset". A column name can never start
# with a colon, so the id cannot collide with a column; as an answer or a patch value it clears
# the draft field (like null).
UNSET = ":unset"


class QuestionOption(msgspec.Struct, frozen=True, kw_only=True):
    option_id: str
    label: str
    value: Any


class Question(msgspec.Struct, frozen=True, kw_only=True):
    """A stage-1 question; answers are ``{question_id: [option_id, ...]}``. Plain-string
    options are read from drafts stored before options had ids."""

    question_id: str
    question_text: str
    question_type: str
    options: tuple[QuestionOption | str, ...] = ()
    priority: int = 1
    field: str | None = None


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
    # The dry-run freeze of the selected template (see ``ss_core.dry_run``).
    template_id: str = ""
    readiness: str = ""  # ready_to_freeze | needs_input
    decision: str = ""  # auto_freeze | require_confirm | require_confirm_with_downgrade
    decision_reasons: tuple[str, ...] = ()
    derived_roles: dict[str, str] = msgspec.field(default_factory=dict)
    ready_alternatives: tuple[str, ...] = ()  # runner-ups that would freeze as drafted
    # What the generated code does to the data (dates to periods, text ids encoded, numbers
    # stored as text converted, clusters not nested in the unit), in words.
    data_notes: tuple[str, ...] = ()
