"""The draft is a promise, as properties over every template, random dataset schemas and
random LLM role answers:

- draft ready  =>  the freeze succeeds, its bound values satisfy every parameter contract
  (checked here independently of the binding code) and the rendered do-file passes the
  safety scan;
- freeze refuses  =>  the draft listed exactly those problems (parameter and kind) as blocking.

The draft side is ``dry_run.assess`` on roles that went through ``drafting.checked_roles`` (as
the draft use case does); the freeze side is what the freeze and run use cases call:
``dry_run.bind_template``, ``missing_required_error``, ``build_plan`` and ``render``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ss_core import data_shapes, drafting
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.domain.roles import ROLES, RoleKind
from ss_core.dry_run import assess, bind_template
from ss_core.freezing import build_plan, missing_required_error
from ss_core.library.loader import load_library
from ss_core.library.meta import ParamSpec, ParamType, Template
from ss_core.library.retrieval import Retriever
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan
from ss_core.selection import shortlist

LIB = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library")
TEMPLATE_IDS = [t.id for t in LIB]
NAMES = ("wage", "educ", "exper", "female", "pid", "year", "firm", "city", "score", "treat",
         "post", "v1_525353", "x1", "x2", "x3", "dur", "died", "iv1", "iv2", "run")
ROLE_NAMES = sorted(ROLES)
RETRIEVER = Retriever(LIB)


@st.composite
def schemas(draw: st.DrawFn) -> DatasetSchema:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=12, unique=True))
    kinds = [*list(ColumnType), ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.BINARY,
             ColumnType.INTEGER, ColumnType.NUMERIC]
    types = draw(st.lists(st.sampled_from(kinds), min_size=len(names), max_size=len(names)))
    return DatasetSchema(row_count=draw(st.integers(1, 5000)), columns=tuple(
        Column(name=n, original_name=n, type=t) for n, t in zip(names, types, strict=True)))


@st.composite
def llm_roles(draw: st.DrawFn, schema: DatasetSchema, template: Template) -> dict[str, Any]:
    """A drafting LLM's role answer: mostly the roles the template asks for (plus a few
    others), mostly distinct real columns, sometimes a reused or stray name."""
    order = draw(st.permutations(schema.names))
    stray = st.sampled_from(("nope", "工资", *schema.names))
    asked = sorted({p.role for p in template.meta.parameters if p.role})
    chosen = [r for r in asked if draw(st.integers(0, 9)) < 8]
    chosen += draw(st.lists(st.sampled_from(ROLE_NAMES), max_size=3, unique=True))
    answer: dict[str, Any] = {}
    at = 0

    def pick() -> str:
        nonlocal at
        at += 1
        return order[(at - 1) % len(order)] if draw(st.integers(0, 9)) < 8 else draw(stray)

    for name in dict.fromkeys(chosen):
        kind = ROLES[name].kind
        if kind is RoleKind.VARIABLE:
            answer[name] = pick()
        elif kind is RoleKind.VARIABLES:
            answer[name] = [pick() for _ in range(draw(st.integers(0, 3)))]
        else:
            answer[name] = draw(st.one_of(st.integers(-5, 2030), st.floats(-1e6, 1e6)))
    singles = [n for n in answer if ROLES[n].kind is RoleKind.VARIABLE and n != "outcome"]
    if "outcome" in answer and singles and draw(st.integers(0, 3)) == 0:
        answer[draw(st.sampled_from(singles))] = answer["outcome"]  # the outcome reused
    return answer


def _columns(value: Any) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else [value]


def assert_contract_holds(template: Template, bound: dict[str, Any],
                          schema: DatasetSchema) -> None:
    """An oracle independent of ``ss_core.binding``: what a frozen binding must satisfy."""
    params = {p.name: p for p in template.meta.parameters}
    for spec in template.meta.parameters:
        if spec.required:
            assert spec.name in bound, f"required {spec.name} unbound"
        if spec.name not in bound:
            continue
        value = bound[spec.name]
        if spec.is_variable:
            names = _columns(value)
            for name in names:
                column = schema.column(name)
                assert column is not None, f"{spec.name}: {name} is not a column"
                assert data_shapes.fits(spec, column), (spec.name, name)
            unit = bound.get(spec.nested_in) if spec.nested_in else None
            if isinstance(unit, str) and not (spec.nonest_flag and bound.get(spec.nonest_flag)):
                for name in names:  # a cluster the upload showed varies within the unit
                    column = schema.column(name)
                    assert column is not None and column.nested_in(unit, schema) is not False
            if spec.type is ParamType.VARLIST:
                assert spec.min_count is None or len(names) >= spec.min_count
                assert spec.max_count is None or len(names) <= spec.max_count
            for other in spec.distinct_from:
                if other in bound and params[other].is_variable:
                    assert not set(names) & set(_columns(bound[other])), (spec.name, other)
            if spec.role != "outcome":
                for out in (p for p in template.meta.parameters if p.role == "outcome"):
                    if out.name in bound:
                        assert bound[out.name] not in names, f"{spec.name} reuses the outcome"
        elif spec.type in (ParamType.NUMBER, ParamType.INTEGER):
            assert spec.minimum is None or value >= spec.minimum
            assert spec.maximum is None or value <= spec.maximum
        elif spec.type is ParamType.CHOICE:
            assert value in spec.choices


def problems_of(body: dict[str, Any]) -> set[tuple[str, str]]:
    return ({(p, "missing") for p in body["missing_params"]}
            | {(i["param"], "invalid") for i in body["invalid_params"]})


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEMPLATE_IDS), schemas(), st.data())
def test_the_draft_promises_exactly_what_the_freeze_does(template_id, schema, data):
    template = LIB.get(template_id)
    raw = data.draw(llm_roles(schema, template))
    roles, _dropped, advisory = drafting.checked_roles(raw, schema)
    verdict = assess(template, roles, schema, confidence=0.9, advisory=advisory)
    binding = bind_template(template, roles, {}, schema).binding
    listed = {(u.param or "", u.problem or "") for u in verdict.blocking}
    event("ready" if binding.complete else "blocked")
    if binding.complete:
        assert verdict.readiness == "ready_to_freeze" and not listed
        assert_contract_holds(template, binding.bound, schema)
        plan = build_plan(job_id="job_1", inputs_fingerprint="sha256:x", requirement="r",
                          template=template, binding=binding, selection=None, rationale="t")
        do_file = render(template, plan.params_contract.bound_values, schema,
                         plan_id=plan.plan_id)
        assert scan(do_file.text) == []
    else:
        refusal = missing_required_error("job_1", template, binding, schema).to_body()
        assert verdict.readiness == "needs_input"
        assert listed == problems_of(refusal)
        assert refusal["open_unknowns"] == [msgspec.to_builtins(u) for u in verdict.blocking]
        for unknown in verdict.blocking:
            spec = template.meta.param(unknown.param or "")
            assert isinstance(spec, ParamSpec) and unknown.blocking and unknown.description
            assert_candidates_usable(template, spec, unknown.candidates, binding.bound, schema)
        fields = {u.field for u in verdict.blocking}
        assert {q.field for q in verdict.questions} == fields


def assert_candidates_usable(template: Template, spec: ParamSpec, candidates: tuple[str, ...],
                             bound: dict[str, Any], schema: DatasetSchema) -> None:
    """Every candidate has the parameter's type and no parameter it must differ from (the
    outcome; ``distinct_from`` either way) holds it."""
    clash = {c for p in template.meta.parameters if p.name != spec.name and p.is_variable
             and (p.name in spec.distinct_from or spec.name in p.distinct_from
                  or (p.role == "outcome") != (spec.role == "outcome"))
             for c in _columns(bound.get(p.name, ()))}
    for name in candidates:
        if spec.type is ParamType.CHOICE:
            assert name in spec.choices
            continue
        column = schema.column(name)
        assert column is not None and name not in clash, (spec.name, name)
        assert data_shapes.fits(spec, column), (spec.name, name)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEMPLATE_IDS), schemas(), st.data())
def test_answering_every_blocking_question_with_its_first_option_makes_progress(
    template_id, schema, data
):
    """Choosing an offered candidate never re-creates the same problem on that parameter."""
    template = LIB.get(template_id)
    roles, _, _ = drafting.checked_roles(data.draw(llm_roles(schema, template)),
                                         schema)
    verdict = assess(template, roles, schema, confidence=0.9)
    by_field = {ROLES[n].draft_field: n for n in ROLES}
    for unknown in verdict.blocking:
        role = by_field.get(unknown.field)
        if role is None or not unknown.candidates or ROLES[role].kind is RoleKind.VARIABLES:
            continue
        patched, _, problems = drafting.apply_updates(roles, {unknown.field:
                                                              [unknown.candidates[0]]}, schema)
        assert not problems
        again = assess(template, patched, schema, confidence=0.9)
        assert (unknown.param, "invalid") not in {(u.param, u.problem) for u in again.blocking
                                                  if u.param == unknown.param
                                                  and u.value == unknown.candidates[0]}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TEMPLATE_IDS), schemas(), st.data())
def test_roles_never_remove_a_retrieved_template_from_the_shortlist(template_id, schema, data):
    """Whatever the LLM's roles, the shortlist is the best retrieved templates (re-ranked)."""
    template = LIB.get(template_id)
    query = f"{template.meta.title.en} {template.meta.keywords.zh[0]}"
    roles, _, _ = drafting.checked_roles(data.draw(llm_roles(schema, template)), schema)
    retrieved = [s.template_id for s in RETRIEVER.score(query) if s.score > 0][:8]
    ranked = shortlist(LIB, RETRIEVER, query, roles, 8, schema)
    assert sorted(c.template_id for c in ranked) == sorted(retrieved)
    assert [c.rank for c in ranked] == list(range(1, len(ranked) + 1))
    assert all(0.0 <= c.role_fit <= 1.0 and c.why for c in ranked)
    assert all(c.fits_roles == (c.role_fit == 1.0) for c in ranked)
