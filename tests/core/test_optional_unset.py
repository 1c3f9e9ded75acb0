"""An optional setting the LLM bound to something unusable can always be left unset: its
blocking question offers ``UNSET`` last, and answering it (by patch or at freeze) clears it."""

from __future__ import annotations

from ss_core.domain.draft import UNSET
from ss_core.usecases.draft import DraftPatch, patch_draft
from ss_core.usecases.plan import FreezeRequest, freeze
from tests.core.journey_kit import make_kit

DATA = "工资,educ,city\n10.5,12,北京\n12.0,16,上海\n9.0,10,北京\n".encode()
ROLES = {"outcome": "v1_525353", "treatment": "educ", "weight": "city"}  # text as a weight


def question_for(job, field):
    return next(q for q in job.draft.questions if q.field == field)


async def test_an_unusable_optional_weight_can_be_left_unset_by_patch():
    kit = make_kit(roles=ROLES)
    job = await kit.job(until="draft_ready", data=DATA,
                        requirement="OLS regression of wage on education, robust errors")
    assert job.selection.template_id == "ols_robust"
    [blocking] = [u for u in job.draft.open_unknowns if u.blocking]
    assert blocking.param == "weight_var" and blocking.problem == "invalid"
    question = question_for(job, blocking.field)
    assert question.options[-1].option_id == UNSET  # offered last, after any columns
    patched = await patch_draft(kit.services, job.job_id,
            DraftPatch(field_updates={question.question_id: UNSET}))
    assert "weight" not in patched.draft.roles
    assert not [u for u in patched.draft.open_unknowns if u.blocking]
    plan = await freeze(kit.services, job.job_id, FreezeRequest())
    assert "weight_var" not in plan.params_contract.bound_values


async def test_answering_unset_at_freeze_by_option_id_freezes_without_it():
    kit = make_kit(roles=ROLES)
    job = await kit.job(until="draft_ready", data=DATA,
                        requirement="OLS regression of wage on education, robust errors")
    question = question_for(job, "weight_var")
    plan = await freeze(kit.services, job.job_id,
                        FreezeRequest(answers={question.question_id: [UNSET]}))
    assert "weight_var" not in plan.params_contract.bound_values


async def test_a_required_role_is_never_offered_as_unset():
    kit = make_kit(roles={"outcome": "city", "treatment": "educ"})
    job = await kit.job(until="draft_ready", data=DATA,
                        requirement="OLS regression of wage on education, robust errors")
    for question in job.draft.questions:
        assert all(getattr(o, "option_id", o) != UNSET for o in question.options)
