"""The one generated block behind the house regression options (``house_options`` in a meta).

It runs after the parameter preamble and turns the bound option values into locals the body
uses: `` `ss_if' `` (``if <marker>``, always defined), `` `ss_wt' `` (``[kind=var]`` or
empty), `` `ss_fe' `` (``i.<group id>`` per fixed-effect set), `` `ss_absorb' `` (the group ids
for ``absorb()``), `` `ss_fe_names' `` (the user's names of the sets, for table rows) and
`` `ss_vce' `` (cluster on the template's cluster variable and ``cluster2``, robust otherwise).
Only parameter locals, our own constants and operators from a closed table are written: no
bound value is ever spelled out here (the preamble holds the values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ss_core.errors import RenderError
from ss_core.library import house_options as opts
from ss_core.library.meta import TemplateMeta

HEADER = "* ---- house options (generated from the frozen plan; do not edit) ----"


def _bound(values: Mapping[str, Any], name: str) -> bool:
    return values.get(name) not in (None, "", (), [])


def _sample(values: Mapping[str, Any]) -> list[str]:
    lines = ["tempvar ss_in", "quietly generate byte `ss_in' = 1"]
    if _bound(values, "sample_var"):
        if not _bound(values, "sample_value"):
            raise RenderError("a sample restriction needs sample_value",
                              param="sample_value", reason="required when sample_var is set")
        op = opts.OPERATORS[str(values.get("sample_op") or "ge")]
        lines += [
            f"quietly replace `ss_in' = 0 if !(`sample_var' {op} `sample_value')"
            " | missing(`sample_var')",
            "quietly count if !`ss_in'",
            'ss_res, step(sample_restriction) term(rows_excluded) b(`=r(N)\')',
            f'display as text "sample restricted to `sample_var\' {op} `sample_value\'"',
        ]
    return lines


def _weights(values: Mapping[str, Any]) -> list[str]:
    if not _bound(values, "weight_var"):
        return ["local ss_wt"]
    return [
        "quietly replace `ss_in' = 0 if missing(`weight_var')",
        "capture assert `weight_var' >= 0 if !missing(`weight_var')",
        "if _rc {",
        '    display as error "the weight variable `weight_var\' has negative values"',
        "    error 402",
        "}",
        "local ss_wt [`weight_kind'=`weight_var']",
    ]


def _fixed_effects(values: Mapping[str, Any]) -> list[str]:
    lines = ["local ss_fe", "local ss_absorb", "local ss_fe_names"]
    sets = [f"`: word {k} of `fe_vars''" for k in range(1, len(values.get("fe_vars") or ()) + 1)]
    if _bound(values, "fe_interact"):
        sets.append("`fe_interact'")
    for k, columns in enumerate(sets, start=1):
        name = f"ss_fe{k}"
        lines += [
            f"tempvar {name}",
            f"quietly egen long `{name}' = group({columns})",
            f"quietly replace `ss_in' = 0 if missing(`{name}')",
            f"local ss_fe `ss_fe' i.`{name}'",
            f"local ss_absorb `ss_absorb' `{name}'",
        ]
    if sets:
        lines += [
            'local ss_fe_names `fe_vars\'',
            *(['local ss_fe_names `ss_fe_names\' '
               '`: word 1 of `fe_interact\'\'#`: word 2 of `fe_interact\'\'']
              if _bound(values, "fe_interact") else []),
            'display as text "fixed effects: `ss_fe_names\'"',
        ]
    return lines


def _vce(meta: TemplateMeta, values: Mapping[str, Any]) -> list[str]:
    first = next((p.name for p in meta.parameters if p.role == "cluster"), None)
    dims = [n for n in (first, "cluster2") if n is not None and _bound(values, n)]
    if not dims:
        return ["local ss_vce vce(robust)"]
    lines = ["local ss_vce"]
    for k, name in enumerate(dims, start=1):
        lines += [f"tempvar ss_cl{k}", f"quietly egen long `ss_cl{k}' = group(`{name}')",
                  f"quietly replace `ss_in' = 0 if missing(`ss_cl{k}')",
                  f"local ss_vce `ss_vce' `ss_cl{k}'"]
    return [*lines, "local ss_vce vce(cluster `ss_vce')"]


def option_lines(meta: TemplateMeta, values: Mapping[str, Any]) -> list[str]:
    """The generated block for ``meta``'s declared house options (empty when none)."""
    if not meta.house_options:
        return []
    declared = set(meta.house_options)
    lines = [HEADER, *_sample(values)]
    if opts.WEIGHTS in declared:
        lines += _weights(values)
    if opts.FIXED_EFFECTS in declared:
        lines += _fixed_effects(values)
    lines += _vce(meta, values)
    return [*lines, "local ss_if if `ss_in'"]
