"""The draft's promise through the use cases themselves (in-memory services): after a draft
and any sequence of patches (role edits and template switches, some of them invalid),
``readiness == ready_to_freeze`` exactly when the freeze use case succeeds, a refusal carries
the draft's own blocking items, and a frozen plan renders and runs."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.domain.roles import ROLES, RoleKind
from ss_core.errors import SSError
from ss_core.usecases.draft import DraftPatch, patch_draft
from ss_core.usecases.plan import FreezeRequest, freeze
from tests.core.journey_kit import make_kit

CSV = ("wage,educ,exper,female,pid,year,region\n" + "".join(
    f"{10 + i * 0.5},{8 + i % 6},{i % 9},{i % 2},{1 + i // 4},{2010 + i % 4},r{i % 3}\n"
    for i in range(16))).encode()
REAL = ("wage", "educ", "exper", "female", "pid", "year", "region")
COLUMNS = (*REAL, "nope")
FIELDS = sorted(r.draft_field for r in ROLES.values() if r.kind is not RoleKind.NUMBER)
TEMPLATES = ("ols_robust", "panel_fixed_effects", "anova_oneway", "ttest_two_sample",
             "did_twfe", "iv_2sls", "logit_marginal_effects", "summary_statistics_table",
             "grouped_summary_table", "heterogeneity_by_group", "nope_template")


def value_for(field: str) -> st.SearchStrategy[Any]:
    kind = next(r.kind for r in ROLES.values() if r.draft_field == field)
    if kind is RoleKind.VARIABLES:
        return st.lists(st.sampled_from(COLUMNS), max_size=3)
    return st.one_of(st.sampled_from(COLUMNS), st.none())


patches = st.lists(st.one_of(
    st.sampled_from(TEMPLATES).map(lambda t: {"template_id": t}),
    st.sampled_from(FIELDS).flatmap(lambda f: value_for(f).map(lambda v: {f: v})),
), max_size=5)
first_roles = st.fixed_dictionaries({}, optional={  # the LLM answer is schema-checked
    "outcome": st.sampled_from(REAL), "treatment": st.sampled_from(REAL),
    "controls": st.lists(st.sampled_from(REAL), max_size=3),
    "unit_id": st.sampled_from(REAL), "time": st.sampled_from(REAL),
    "group": st.sampled_from(REAL)})


async def journey(roles: dict[str, Any], steps: list[dict[str, Any]]) -> None:
    kit = make_kit(roles=roles, choose="ols_robust")
    job = await kit.job(until="draft_ready", requirement="OLS regression of wage", data=CSV,
                        name="people.csv")
    job_id = job.job_id
    for step in steps:
        try:
            job = await patch_draft(kit.services, job_id, DraftPatch(field_updates=step))
        except SSError as exc:  # an invalid patch changes nothing
            assert exc.error_code in {"DRAFT_TEMPLATE_UNKNOWN", "DRAFT_VARIABLE_UNKNOWN"}
            assert (await kit.services.jobs.get(job_id)).draft == job.draft
    assert job.draft is not None and job.selection is not None
    assert job.draft.template_id == job.selection.template_id
    blocking = [u for u in job.draft.open_unknowns if u.blocking]
    try:
        plan = await freeze(kit.services, job_id, FreezeRequest())
    except SSError as exc:
        assert exc.error_code == "PLAN_FREEZE_MISSING_REQUIRED"
        assert job.draft.readiness == "needs_input"
        assert [u["param"] for u in exc.context["open_unknowns"]] == [u.param for u in blocking]
        return
    assert job.draft.readiness == "ready_to_freeze" and not blocking
    assert plan.template.template_id == job.selection.template_id


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first_roles, patches)
def test_ready_exactly_when_the_freeze_use_case_succeeds(roles, steps):
    asyncio.run(journey(roles, steps))
