"""The one role vocabulary shared by drafts, template parameters and the wire format.

A role is what a piece of the user's request plays in an analysis: the outcome, the
treatment, the panel unit id, the cutoff of a regression discontinuity... The LLM fills roles
in a draft (from real columns only); template parameters declare the role they bind from.
The JSON Schema of template metas carries the same list (kept equal by a test).
"""

from __future__ import annotations

import enum

import msgspec


class RoleKind(enum.StrEnum):
    VARIABLE = "variable"  # one column
    VARIABLES = "variables"  # a list of columns
    NUMBER = "number"  # a numeric value (cutoff, seed)


class Role(msgspec.Struct, frozen=True):
    name: str
    kind: RoleKind
    draft_field: str
    description: str


def _role(name: str, kind: RoleKind, field: str, description: str) -> Role:
    return Role(name, kind, field, description)


V, VS, N = RoleKind.VARIABLE, RoleKind.VARIABLES, RoleKind.NUMBER

ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        _role("outcome", V, "outcome_var", "dependent variable / outcome"),
        _role("treatment", V, "treatment_var", "treatment or key explanatory variable"),
        _role("regressors", VS, "regressors", "explanatory variables of interest"),
        _role("controls", VS, "controls", "control variables"),
        _role("variables", VS, "analysis_vars", "variables to describe, test or combine"),
        _role("unit_id", V, "id_var", "panel unit / individual identifier"),
        _role("time", V, "time_var", "time variable (year, period, date)"),
        _role("cluster", V, "cluster_var", "variable to cluster standard errors on"),
        _role("group", V, "group_var", "grouping variable for comparisons or subsamples"),
        _role("strata", V, "strata_var", "stratification variable"),
        _role("instruments", VS, "instrument_vars", "excluded instruments"),
        _role("endogenous", V, "endogenous_var", "endogenous regressor to instrument"),
        _role("running", V, "running_var", "running (forcing) variable of an RDD"),
        _role("weight", V, "weight_var", "sampling or frequency weight"),
        _role("mediator", V, "mediator_var", "mediating variable"),
        _role("moderator", V, "moderator_var", "moderating variable"),
        _role("post", V, "post_var", "post-period indicator (0/1)"),
        _role("treated", V, "treated_var", "treated-group indicator (0/1)"),
        _role("treat_time", V, "treat_time_var", "period in which a unit is first treated"),
        _role("duration", V, "duration_var", "survival time / duration"),
        _role("failure", V, "failure_var", "event (failure) indicator"),
        _role("threshold", V, "threshold_var", "threshold variable"),
        _role("selection", V, "selection_var", "selection indicator (1 = observed)"),
        _role("exclusion", VS, "exclusion_vars", "selection-equation-only regressors"),
        _role("cutoff", N, "cutoff", "cutoff value of the running variable"),
        _role("seed", N, "seed", "random seed"),
        _role("treated_unit", N, "treated_unit", "id of the treated unit (synthetic control)"),
        _role("treatment_period", N, "treatment_period", "first treated period (synth)"),
    )
}
