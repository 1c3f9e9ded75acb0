"""Every estimation template takes the house regression options its command supports and
writes the publication table, or is on the reasoned exemption list below."""

from __future__ import annotations

import functools
import re

import pytest

from ss_core.library import house_options as opts
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.library.meta import Template
from ss_core.rendering.house import PUBLICATION_OUTPUTS
from tests.library.conftest import LIBRARY

# Families whose templates estimate a model (a template is also an estimation template when its
# analysis_types contain "regression").
ESTIMATION_FAMILIES = frozenset({
    "ols", "iv", "quantile", "censored_selection", "choice_models", "count_models", "panel",
    "did", "mechanisms", "dynamic_panel", "threshold", "rdd", "panel_limited_dependent",
})

# Estimation templates that legitimately do without house options or the publication table.
EXEMPT: dict[str, str] = {
    "ols_diagnostics": "a battery of post-estimation tests (VIF, heteroskedasticity, RESET) on "
                       "one plain OLS; its output is the test table, not a model table",
    "panel_hausman_test": "a specification test comparing FE and RE, not a model of its own",
    "panel_serial_correlation_test": "a residual diagnostic (Wooldridge test), no model table",
    "parallel_trends_check": "a pre-trend test and plot for a DID design, no model table",
    "rdd_density_manipulation_test": "a density (manipulation) test at the cutoff: no "
                                     "regression coefficients to tabulate",
    "rdd_covariate_continuity": "a balance diagnostic (one local regression per covariate at "
                                "the cutoff), reported as a test table",
    "rdd_placebo_cutoffs": "a placebo diagnostic over fake cutoffs, reported as a test table",
}

# Estimation templates not converted yet: they should take the house options their command
# supports and write the publication table (remove an entry when its template is converted).
PENDING: dict[str, str] = {
    t: "not converted yet" for t in (
        "panel_threshold_xthreg",
        "robustness_bundle", "rdd_fuzzy_rdrobust",
        "rdd_sharp_rdrobust", "rdd_donut_hole",
        "did_heterogeneity_robust_xthdid", "did_imputation_bjs", "did_multiplegt_dcdh",
        "did_staggered_csdid", "did_sun_abraham_eventstudy", "garch_asymmetric",
        "garch_volatility", "spatial_panel_model", "ts_ardl_bounds",
    )
}


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _is_estimation(template: Template) -> bool:
    meta = template.meta
    return "regression" in meta.analysis_types or meta.family in ESTIMATION_FAMILIES


def _estimation_ids() -> list[str]:
    return sorted(t.id for t in _library().templates if _is_estimation(t))


def test_the_exemptions_are_estimation_templates_with_a_reason() -> None:
    ids = set(_estimation_ids())
    assert not set(EXEMPT) & set(PENDING)
    for template_id in PENDING:
        assert template_id in ids, f"{template_id} is not an estimation template (stale entry)"
    for template_id, reason in EXEMPT.items():
        assert template_id in ids, f"{template_id} is not an estimation template (stale entry)"
        assert len(reason) > 20


@pytest.mark.parametrize("template_id", _estimation_ids())
def test_every_estimation_template_has_house_options_and_the_publication_table(
        template_id: str) -> None:
    if template_id in EXEMPT or template_id in PENDING:
        return
    template = _library().get(template_id)
    meta = template.meta
    assert opts.SAMPLE in meta.house_options, (
        "an estimation template declares the house options its command supports (at least "
        "`sample`: every estimation command takes `if`); see docs/template-house-contract.md 5a")
    declared = {o.file: o for o in meta.outputs}
    for name in PUBLICATION_OUTPUTS:
        assert name in declared and not declared[name].required, name
    assert re.search(r"^\s*capture noisily ss_pubtable \S", template.source, re.MULTILINE), (
        "store the models and call ss_pubtable; see docs/template-house-contract.md 5b")


