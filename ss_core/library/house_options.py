"""Cross-cutting regression options every estimation template can declare, typed once.

A meta lists the option groups it supports in ``house_options``; the loader then appends the
typed parameters of each group to the template's own (so binding checks them against the data
like any other parameter), and the renderer emits one generated block
(``ss_core.rendering.house_options``) that turns the bound values into locals the body uses:

- ``fixed_effects``: ``fe_vars`` (up to four categorical columns, each absorbed as its own set
  of effects: industry, year, province...) and ``fe_interact`` (two columns whose combination
  is one more set, e.g. industry x year). The body adds `` `ss_fe' `` (factor-variable
  dummies, for any estimator) or `` `ss_absorb' `` (group ids, for ``absorb()``).
- ``sample``: ``sample_var`` / ``sample_op`` / ``sample_value``, a restriction such as
  ``year >= 2010`` with the operator from a closed list and a numeric value (no free text).
  The body adds `` `ss_if' `` (always defined: the whole sample when nothing is bound).
- ``weights``: ``weight_var`` and ``weight_kind``; the body adds `` `ss_wt' ``. Estimation
  commands accept different kinds (``logit`` takes no aweight, ``xtreg, fe`` no iweight...), so
  a meta declaring ``weights`` lists in ``weight_kinds`` the kinds its command accepts: they
  become the choices of ``weight_kind`` (the first is the default), and the binding refuses
  any other kind. Without ``weight_kinds`` the choices are pweight, aweight and fweight.
- ``second_cluster``: ``cluster2``, a second clustering dimension next to the template's own
  ``cluster``-role parameter; the body uses `` `ss_vce' `` (two-way clustering needs an
  estimator that supports it, such as ``reghdfe``).

A template declares only the groups its command can take; the binding refuses a value for a
parameter of an undeclared group (``unsupported``) instead of dropping it silently.

The confidence level needs no group: a template's ``level`` parameter already drives
``set level`` (``ss_core.rendering.house.settings``).
"""

from __future__ import annotations

import msgspec

from ss_core.domain.dataset import ColumnType
from ss_core.library.meta import Bilingual, ParamSpec, ParamType

FIXED_EFFECTS = "fixed_effects"
SAMPLE = "sample"
WEIGHTS = "weights"
SECOND_CLUSTER = "second_cluster"
OPTIONS = (FIXED_EFFECTS, SAMPLE, WEIGHTS, SECOND_CLUSTER)

# sample_op token -> Stata operator (closed set; the token never reaches the do-file)
OPERATORS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}

# every weight kind a template may declare in ``weight_kinds`` (Stata's four)
WEIGHT_KINDS = ("pweight", "aweight", "fweight", "iweight")

_CATEGORICAL = (ColumnType.INTEGER, ColumnType.STRING, ColumnType.BINARY)


def _b(en: str, zh: str) -> Bilingual:
    return Bilingual(en=en, zh=zh)


PARAMS: dict[str, tuple[ParamSpec, ...]] = {
    FIXED_EFFECTS: (
        ParamSpec(name="fe_vars", type=ParamType.VARLIST, required=False,
                  var_types=_CATEGORICAL, min_count=0, max_count=4,
                  description=_b("Fixed effects to control for: each column's categories get "
                                 "their own effects (e.g. industry, year, province)",
                                 "控制的固定效应：每个变量的各类别各自一组效应（如行业、年份、省份）")),
        ParamSpec(name="fe_interact", type=ParamType.VARLIST, required=False,
                  var_types=_CATEGORICAL, min_count=2, max_count=2,
                  description=_b("Two columns whose combination is one more set of fixed "
                                 "effects (e.g. industry x year)",
                                 "交互固定效应：两个变量的组合作为一组固定效应（如行业×年份）")),
    ),
    SAMPLE: (
        ParamSpec(name="sample_var", type=ParamType.VAR, required=False,
                  var_types=(ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.BINARY),
                  requires=("sample_value",),
                  description=_b("Restrict the sample by this numeric column (with sample_op "
                                 "and sample_value)",
                                 "按该数值变量限定样本（配合sample_op与sample_value）")),
        ParamSpec(name="sample_op", type=ParamType.CHOICE, required=False, default="ge",
                  choices=tuple(OPERATORS),
                  description=_b("Comparison of the sample restriction: eq, ne, lt, le, gt, ge",
                                 "样本限定的比较方式：eq等于、ne不等于、lt小于、le小于等于、gt大于、"
                                 "ge大于等于")),
        ParamSpec(name="sample_value", type=ParamType.NUMBER, required=False,
                  description=_b("Value the sample restriction compares with",
                                 "样本限定的比较值")),
    ),
    WEIGHTS: (
        ParamSpec(name="weight_var", type=ParamType.VAR, role="weight", required=False,
                  var_types=(ColumnType.NUMERIC, ColumnType.INTEGER),
                  description=_b("Weight variable (non-negative)", "权重变量（非负）")),
        ParamSpec(name="weight_kind", type=ParamType.CHOICE, required=False,
                  default="pweight", choices=("pweight", "aweight", "fweight"),
                  description=_b("Kind of weight: sampling (pweight), analytic (aweight), "
                                 "frequency (fweight, integers) or importance (iweight); only "
                                 "the kinds the estimation command accepts",
                                 "权重类型：抽样权重pweight、分析权重aweight、频数权重fweight（整数）"
                                 "或重要性权重iweight；仅限估计命令支持的类型")),
    ),
    SECOND_CLUSTER: (
        ParamSpec(name="cluster2", type=ParamType.VAR, required=False, var_types=_CATEGORICAL,
                  description=_b("Second clustering dimension (two-way clustered standard "
                                 "errors together with the cluster variable)",
                                 "第二个聚类维度（与聚类变量一起构成双向聚类标准误）")),
    ),
}

# The locals the generated block defines, and which option requires the body to use which.
MACROS = frozenset({"ss_fe", "ss_absorb", "ss_fe_names", "ss_if", "ss_wt", "ss_vce"})
USES: dict[str, tuple[str, ...]] = {
    FIXED_EFFECTS: ("ss_fe", "ss_absorb"),
    SAMPLE: ("ss_if",),
    WEIGHTS: ("ss_wt",),
    SECOND_CLUSTER: ("ss_vce",),
}


# parameter name -> the option group that adds it
GROUP_OF = {spec.name: option for option, specs in PARAMS.items() for spec in specs}


def _narrowed(spec: ParamSpec, weight_kinds: tuple[str, ...]) -> ParamSpec:
    if spec.name != "weight_kind" or not weight_kinds:
        return spec
    return msgspec.structs.replace(spec, choices=weight_kinds, default=weight_kinds[0])


def injected(options: tuple[str, ...],
             weight_kinds: tuple[str, ...] = ()) -> tuple[ParamSpec, ...]:
    """The typed parameters the declared option groups add to a template (``weight_kind``
    narrowed to the kinds the template's command accepts)."""
    return tuple(_narrowed(spec, weight_kinds)
                 for option in OPTIONS if option in options for spec in PARAMS[option])


def injected_names(options: tuple[str, ...]) -> frozenset[str]:
    return frozenset(spec.name for spec in injected(options))


def unsupported_reason(name: str) -> str:
    """Why a value for ``name`` (a parameter of an option group the template does not
    declare) is refused."""
    return (f"this template's estimation command does not support the house option "
            f"{GROUP_OF[name]!r}, so {name} cannot be set here")
