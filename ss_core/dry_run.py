"""The draft as a dry-run freeze: bind the selected template exactly as the freeze will.

``bind_template`` is the one binding path: the freeze and the draft both call it, so what the
draft calls ready is what the freeze accepts. It adapts the draft's roles to the template
(sibling roles, declared once in ``ss_core.domain.roles``) and binds the typed parameters.
``assess`` turns every problem the freeze would raise into a blocking open unknown (the draft
field to change, a human reason, candidate columns of the right type that no other parameter
uses, and a stage-1 question with ``{option_id, label, value}`` options) and says what the
draft's ``decision`` is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ss_core import data_shapes
from ss_core.binding import BindingContract, bind, candidates_for, conflicts_of, nested_unit_of
from ss_core.domain.dataset import DatasetSchema
from ss_core.domain.draft import UNSET, OpenUnknown, Question, QuestionOption
from ss_core.domain.roles import ROLES, RoleKind, resolve_roles
from ss_core.library.meta import ParamSpec, ParamType, Template

READY = "ready_to_freeze"
NEEDS_INPUT = "needs_input"
AUTO_FREEZE = "auto_freeze"
REQUIRE_CONFIRM = "require_confirm"
REQUIRE_CONFIRM_WITH_DOWNGRADE = "require_confirm_with_downgrade"
LOW_CONFIDENCE = 0.6


class DryRun(msgspec.Struct, frozen=True, kw_only=True):
    binding: BindingContract
    roles: dict[str, Any]  # as the template sees them
    derived_from: dict[str, str]  # role -> the sibling role that filled it


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    blocking: tuple[OpenUnknown, ...]
    questions: tuple[Question, ...]
    readiness: str
    decision: str
    reasons: tuple[str, ...]
    derived_from: dict[str, str]
    data_notes: tuple[str, ...] = ()  # what the generated code will do to the data


def asked_roles(template: Template) -> frozenset[str]:
    return frozenset(p.role for p in template.meta.parameters if p.role)


def bind_template(
    template: Template,
    roles: Mapping[str, Any],
    overrides: Mapping[str, Any],
    schema: DatasetSchema,
) -> DryRun:
    """Bind ``template`` from the draft's roles, the user's parameter overrides and the data."""
    resolved = resolve_roles(asked_roles(template), roles)
    binding = bind(template.meta.parameters, resolved.roles, overrides, schema)
    sources = dict(binding.sources)
    for spec in template.meta.parameters:
        sibling = resolved.derived_from.get(spec.role or "")
        if sibling and sources.get(spec.name) == "draft":
            sources[spec.name] = f"draft:{sibling}"
    return DryRun(binding=msgspec.structs.replace(binding, sources=sources),
                  roles=resolved.roles, derived_from=resolved.derived_from)


def field_of(spec: ParamSpec) -> str:
    """The draft field a user edits to fix ``spec`` (``params.<name>`` when no role binds it)."""
    return ROLES[spec.role].draft_field if spec.role in ROLES else f"params.{spec.name}"


def _columns(value: Any) -> set[str]:
    if isinstance(value, tuple | list):
        return {str(v) for v in value}
    return {value} if isinstance(value, str) else set()


def _used_elsewhere(template: Template, binding: BindingContract, spec: ParamSpec) -> set[str]:
    """Columns bound to parameters that may not share a column with ``spec`` (the outcome,
    declared ``distinct_from`` either way); a cluster may still be the unit id."""
    params = template.meta.parameters
    conflicting = conflicts_of(spec, params)
    used: set[str] = set()
    for other in params:
        if other.name in conflicting and other.is_variable:
            used |= _columns(binding.bound.get(other.name))
    return used


def _wanted(spec: ParamSpec) -> str:
    if spec.type is ParamType.VARLIST:
        kinds = "/".join(t.value for t in spec.var_types) or "any"
        count = f"at least {spec.min_count} " if spec.min_count else ""
        return f"{count}{kinds} column(s)"
    if spec.type is ParamType.VAR:
        return "a " + ("/".join(t.value for t in spec.var_types) or "any-type") + " column"
    return f"a {spec.type.value} value"


def _blocker(
    template: Template, spec: ParamSpec, binding: BindingContract, schema: DatasetSchema,
    problem: str, reason: str, value: Any,
) -> OpenUnknown:
    exclude = frozenset(_used_elsewhere(template, binding, spec))
    offered = candidates_for(spec, schema, exclude,
                             nested_unit=nested_unit_of(spec, binding.bound))
    return OpenUnknown(
        field=field_of(spec), blocking=True, param=spec.name, problem=problem, value=value,
        description=f"{spec.description.en}: {reason}",
        impact=f"template {template.id} cannot be frozen until this is set",
        candidates=_verified(template, spec, binding, schema, offered))


def _verified(
    template: Template, spec: ParamSpec, binding: BindingContract, schema: DatasetSchema,
    offered: tuple[str, ...],
) -> tuple[str, ...]:
    """The offered single columns that really fix ``spec``: binding again with the column in
    place (everything else as bound) raises no problem that was not there already."""
    if spec.type is not ParamType.VAR:
        return offered
    before = {m.param for m in binding.missing_required} | {i.param for i in binding.invalid}
    allowed = before - {spec.name}
    kept = []
    for name in offered:
        trial = bind(template.meta.parameters, {}, {**binding.bound, spec.name: name}, schema)
        after = {m.param for m in trial.missing_required} | {i.param for i in trial.invalid}
        if after <= allowed:
            kept.append(name)
    return tuple(kept)


def blockers(
    template: Template, binding: BindingContract, schema: DatasetSchema
) -> tuple[OpenUnknown, ...]:
    """Every problem the freeze would raise, as blocking open unknowns (one per parameter)."""
    found: list[OpenUnknown] = []
    for missing in binding.missing_required:
        spec = template.meta.param(missing.param)
        assert spec is not None
        found.append(_blocker(template, spec, binding, schema, "missing",
                              f"not set; needs {_wanted(spec)}", None))
    for invalid in binding.invalid:
        spec = template.meta.param(invalid.param)
        if spec is None:  # a house option the template does not declare
            found.append(OpenUnknown(
                field=f"params.{invalid.param}", blocking=True, param=invalid.param,
                problem="unsupported", value=invalid.value, description=invalid.reason,
                impact=f"template {template.id} cannot be frozen with this value; remove it "
                       "or choose a template whose command supports it"))
            continue
        found.append(_blocker(template, spec, binding, schema, "invalid",
                              f"{invalid.value!r} cannot be used: {invalid.reason}",
                              invalid.value))
    return tuple(found)


def questions_for(unknowns: Sequence[OpenUnknown],
                  optional_params: frozenset[str] = frozenset()) -> tuple[Question, ...]:
    """One stage-1 question per blocked draft field; options are the candidate columns. When
    every problem of the field is an optional parameter set to something unusable, the last
    option is ``UNSET``: leaving it out is always a valid answer."""
    by_field: dict[str, list[OpenUnknown]] = {}
    for unknown in unknowns:
        if unknown.blocking:
            by_field.setdefault(unknown.field, []).append(unknown)
    questions = []
    for field, items in by_field.items():
        options: list[str] = []
        for item in items:
            options += [c for c in item.candidates if c not in options]
        role = ROLES.get(_role_of(field) or "")
        many = role is not None and role.kind is RoleKind.VARIABLES
        can_unset = all(i.param in optional_params for i in items)
        kind = ("choose_columns" if many else "choose_column") if options or can_unset \
            else "free_text"
        reasons = "; ".join(i.description for i in items)
        choices = [QuestionOption(option_id=o, label=o, value=o) for o in options]
        if can_unset:
            choices.append(QuestionOption(option_id=UNSET, label="Leave it unset (optional)",
                                          value=UNSET))
        questions.append(Question(
            question_id=f"field:{field}", field=field, question_type=kind, priority=1,
            question_text=f"Which column should be used? {reasons}"[:300] if options
            else f"Please provide a value. {reasons}"[:300],
            options=tuple(choices)))
    return tuple(questions)


def _role_of(field: str) -> str | None:
    for name, role in ROLES.items():
        if role.draft_field == field:
            return name
    return None


def _ignored(template: Template, dry: DryRun, roles: Mapping[str, Any]) -> list[str]:
    """Draft roles the template does not use at all (the analysis would drop them)."""
    used: set[str] = set()
    for value in dry.binding.bound.values():
        used |= _columns(value)
    asked = asked_roles(template)
    consumed = set(dry.derived_from.values())
    ignored = []
    for name, value in sorted(roles.items()):
        role = ROLES.get(name)
        if role is None or name in asked or name in consumed or role.kind is RoleKind.NUMBER:
            continue
        left_out = sorted(_columns(value) - used)
        if left_out:
            ignored.append(f"{role.draft_field}={', '.join(left_out)} is not used by "
                           f"template {template.id}")
    return ignored


def assess(
    template: Template,
    roles: Mapping[str, Any],
    schema: DatasetSchema,
    *,
    confidence: float,
    advisory: Sequence[OpenUnknown] = (),
) -> Assessment:
    """The draft's verdict for ``template``: blocking unknowns, questions and decision."""
    dry = bind_template(template, roles, {}, schema)
    blocking = blockers(template, dry.binding, schema)
    reasons: list[str] = []
    if blocking:
        readiness, decision = NEEDS_INPUT, REQUIRE_CONFIRM
        reasons.append(f"{len(blocking)} item(s) must be settled before the plan can freeze")
    else:
        readiness = READY
        ignored = _ignored(template, dry, roles)
        if ignored:
            decision = REQUIRE_CONFIRM_WITH_DOWNGRADE
            reasons += ignored
        elif confidence < LOW_CONFIDENCE or any(not u.blocking for u in advisory):
            decision = REQUIRE_CONFIRM
            if confidence < LOW_CONFIDENCE:
                reasons.append(f"template choice confidence {confidence:.2f} is low")
            reasons += [u.description for u in advisory if not u.blocking]
        else:
            decision = AUTO_FREEZE
    data_notes = data_shapes.notes(template.meta.parameters, dry.binding.bound,
                                   dry.binding.sources, schema,
                                   data_shape=template.meta.data_shape)
    optional = frozenset(p.name for p in template.meta.parameters if not p.required)
    return Assessment(blocking=blocking, questions=questions_for(blocking, optional),
                      readiness=readiness, decision=decision, reasons=tuple(reasons),
                      derived_from=dry.derived_from, data_notes=data_notes)
