"""The one role vocabulary shared by drafts, template parameters and the wire format.

A role is what a piece of the user's request plays in an analysis: the outcome, the
treatment, the panel unit id, the cutoff of a regression discontinuity... The LLM fills roles
in a draft (from real columns only); template parameters declare the role they bind from.
The JSON Schema of template metas carries the same list (kept equal by a test).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

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


# Sibling roles: where a template asks for a role the draft left empty, the first non-empty
# sibling (in order) fills it. A single column fills a list role as a one-item list; a list
# fills a single-column role with its first item (the rest join ``controls`` when the
# template takes controls and does not ask for that list role itself). Declared here once;
# ``resolve_roles`` is the only reader.
SIBLINGS: dict[str, tuple[str, ...]] = {
    "treatment": ("regressors", "treated", "endogenous", "group"),
    "regressors": ("treatment", "endogenous", "treated"),
    "endogenous": ("treatment", "regressors"),
    "treated": ("treatment", "group"),
    "group": ("treatment", "treated", "moderator", "strata"),
    "moderator": ("group",),
    "running": ("threshold",),
    "threshold": ("running",),
    "controls": (),
}

# Roles whose columns, in order, make up the ``variables`` list of a template that has no
# outcome of its own (descriptives, correlations, tests on several variables).
VARIABLES_FROM: tuple[str, ...] = ("outcome", "treatment", "regressors", "controls")


class Resolved(msgspec.Struct, frozen=True):
    """Roles as one template sees them, and which role each derived value came from."""

    roles: dict[str, Any]
    derived_from: dict[str, str]


def _filled(value: Any) -> bool:
    return value not in (None, "", [], ())


def _as_kind(role: str, value: Any) -> Any:
    if ROLES[role].kind is RoleKind.VARIABLES:
        return list(value) if isinstance(value, list | tuple) else [value]
    if isinstance(value, list | tuple):
        return value[0]
    return value


def resolve_roles(asked: frozenset[str] | set[str], roles: Mapping[str, Any]) -> Resolved:
    """The draft's roles adapted to a template that asks for the roles ``asked``.

    Roles the template asks for and the draft filled are kept as they are. An empty asked
    role takes its first filled sibling that the template does not itself ask for (so one
    column never silently fills two of its parameters). ``variables`` of a template without an
    outcome collects the outcome, treatment, regressors and controls, in that order.
    """
    out: dict[str, Any] = dict(roles)
    derived: dict[str, str] = {}
    for role in sorted(asked):
        if role not in ROLES or _filled(out.get(role)):
            continue
        for sibling in SIBLINGS.get(role, ()):
            if sibling in asked or not _filled(roles.get(sibling)):
                continue
            out[role] = _as_kind(role, roles[sibling])
            derived[role] = sibling
            rest = roles[sibling][1:] if isinstance(roles[sibling], list | tuple) else []
            if rest and "controls" in asked and ROLES[role].kind is RoleKind.VARIABLE:
                kept = list(out.get("controls") or [])
                out["controls"] = kept + [c for c in rest if c not in kept]
                derived["controls"] = f"controls+{sibling}"
            break
    if "variables" in asked and "outcome" not in asked and not _filled(out.get("variables")):
        collected: list[str] = []
        used = {v for r in asked if r != "variables" and ROLES.get(r) is not None
                and ROLES[r].kind is not RoleKind.NUMBER
                for v in _column_list(out.get(r))}
        for source in VARIABLES_FROM:
            for name in _column_list(roles.get(source)):
                if name not in collected and name not in used:
                    collected.append(name)
        if collected:
            out["variables"] = collected
            derived["variables"] = "+".join(s for s in VARIABLES_FROM if _filled(roles.get(s)))
    return Resolved(out, derived)


def _column_list(value: Any) -> list[str]:
    if not _filled(value):
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
