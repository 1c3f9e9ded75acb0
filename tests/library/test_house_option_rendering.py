"""Any legal combination of the house regression options a template declares renders safely
and reaches the estimation command; the binding refuses the options (and weight kinds) a
command cannot take, with a structured reason; the publication table has the rows some models
need (quantile, rho/lambda, first-stage and weak-IV F)."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.authoring.sample_binding import sample_bindings
from ss_core.binding import bind
from ss_core.dry_run import blockers
from ss_core.library import house_options as opts
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library, load_templates
from ss_core.rendering.house import Header, prologue
from ss_core.rendering.renderer import render
from tests.library.conftest import LIBRARY

# Lines that only carry a house local along (definitions, markers, messages) are not the
# command that uses it.
CARRIERS = frozenset({
    "local", "global", "mark", "markout", "display", "di", "ss_res", "ss_pubtable", "tempvar",
    "tempname", "foreach", "forvalues", "if", "else", "generate", "gen", "replace", "count",
})


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _declaring_ids() -> list[str]:
    return sorted(t.id for t in _library().templates if t.meta.house_options)


def _body(text: str) -> str:
    return text.split("* ---- template body ----", 1)[1]


def _commands(body: str) -> list[str]:
    """The body's command lines that are not mere carriers (prefixes such as `quietly`
    removed): the estimation commands and their companions."""
    found = []
    for line in body.splitlines():
        words = line.strip().split()
        while words and words[0] in ("quietly", "capture", "noisily", "qui", "cap"):
            words = words[1:]
        if words and re.fullmatch(r"[a-z]\w*", words[0]) and words[0] not in CARRIERS:
            found.append(" ".join(words))
    return found


def _reaches(body: str, commands: list[str], *macros: str) -> bool:
    """A house local (or a local the body copies it into) is on an estimation command."""
    names = set(macros)
    for line in body.splitlines():
        found = re.match(r"\s*local (\w+) (.*)$", line)
        if found and any(f"`{m}'" in found.group(2) for m in macros):
            names.add(found.group(1))
    return any(f"`{n}'" in c for n in names for c in commands)


def _sample_reaches(body: str, commands: list[str]) -> bool:
    if any("`ss_if'" in c for c in commands):
        return True
    marked = re.findall(r"^mark `(\w+)' `ss_if'", body, re.MULTILINE)
    return any(f"`{m}'" in c for m in marked for c in commands)


OPTION_VALUES = st.fixed_dictionaries({
    "groups": st.sets(st.sampled_from(opts.OPTIONS)),
    "op": st.sampled_from(sorted(opts.OPERATORS)),
    "value": st.one_of(st.integers(-10**6, 10**6),
                       st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)),
    "kind": st.integers(0, 3),
    "interact": st.booleans(),
})


@pytest.mark.parametrize("template_id", _declaring_ids())
@settings(max_examples=6, deadline=None)
@given(choice=OPTION_VALUES)
def test_any_legal_combination_renders_and_reaches_the_command(
        template_id: str, choice: dict[str, Any]) -> None:
    template = _library().get(template_id)
    meta = template.meta
    _label, schema, full = sample_bindings(meta)[0]
    groups = choice["groups"] & set(meta.house_options)
    values = {k: v for k, v in full.items() if k not in opts.GROUP_OF}
    if opts.FIXED_EFFECTS in groups:
        values["fe_vars"] = full["fe_vars"]
        if choice["interact"]:
            values["fe_interact"] = full["fe_interact"]
    if opts.SAMPLE in groups:
        values.update(sample_var=full["sample_var"], sample_op=choice["op"],
                      sample_value=choice["value"])
    if opts.WEIGHTS in groups:
        spec = meta.param("weight_kind")
        assert spec is not None
        kinds = spec.choices
        values.update(weight_var=full["weight_var"],
                      weight_kind=kinds[choice["kind"] % len(kinds)])
    if opts.SECOND_CLUSTER in groups:
        values["cluster2"] = full["cluster2"]
    contract = bind(meta.parameters, {}, values, schema)
    assert not contract.invalid, contract.invalid
    text = render(template, dict(contract.bound), schema, plan_id="p-house").text  # scanned
    body = _body(text)
    commands = _commands(body)
    if opts.SAMPLE in meta.house_options:
        assert _sample_reaches(body, commands)
    if opts.WEIGHTS in groups:
        assert f"local weight_kind {values['weight_kind']}" in text.splitlines()
        assert _reaches(body, commands, "ss_wt")
    if opts.FIXED_EFFECTS in groups:
        assert _reaches(body, commands, "ss_fe", "ss_absorb")
    if opts.SECOND_CLUSTER in groups:
        assert "quietly egen long `ss_cl2' = group(`cluster2')" in text
        assert "`ss_vce'" in body


@pytest.mark.parametrize("template_id", [
    t for t in _declaring_ids() if opts.WEIGHTS in _library().get(t).meta.house_options])
def test_a_weight_kind_the_command_cannot_take_is_refused(template_id: str) -> None:
    meta = _library().get(template_id).meta
    spec = meta.param("weight_kind")
    kinds = meta.weight_kinds or ("pweight", "aweight", "fweight")
    assert spec is not None and spec.choices == kinds and spec.default == kinds[0]
    _label, schema, full = sample_bindings(meta)[0]
    for kind in opts.WEIGHT_KINDS:
        contract = bind(meta.parameters, {}, {**full, "weight_kind": kind}, schema)
        refused = [i.param for i in contract.invalid]
        assert refused == ([] if kind in kinds else ["weight_kind"]), kind


# Commands that cannot take a group: the template must not declare it.
UNSUPPORTED = {
    "panel_random_effects": opts.WEIGHTS,  # xtreg, re takes no weights
    "heckman_selection": opts.WEIGHTS,  # the default two-step estimator takes no weights
    "logit_marginal_effects": opts.SECOND_CLUSTER,  # official commands cluster one way
}


@pytest.mark.parametrize(("template_id", "group"), sorted(UNSUPPORTED.items()))
def test_an_option_the_command_cannot_take_is_refused_by_the_binding(
        template_id: str, group: str) -> None:
    template = _library().get(template_id)
    meta = template.meta
    assert group not in meta.house_options
    _label, schema, full = sample_bindings(meta)[0]
    name = opts.PARAMS[group][0].name
    contract = bind(meta.parameters, {}, {**full, name: full.get("clustvar", "x")}, schema)
    [refused] = [i for i in contract.invalid if i.param == name]
    assert refused.source == "override" and group in refused.reason
    assert not contract.complete  # never dropped silently: the freeze refuses it
    [unknown] = [u for u in blockers(template, contract, schema) if u.param == name]
    assert unknown.problem == "unsupported" and unknown.blocking
    assert unknown.field == f"params.{name}"


def test_weight_kinds_without_the_weights_option_is_a_meta_problem(tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(LIBRARY / "schemas", root / "schemas")
    shutil.copytree(LIBRARY / "templates" / "tobit_censored",
                    root / "templates" / "tobit_censored")
    meta_path = root / "templates" / "tobit_censored" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["house_options"] = ["fixed_effects", "sample"]
    meta_path.write_text(json.dumps(meta))
    _templates, problems = load_templates(root)
    assert any("weight_kinds without" in p.problem for p in problems), problems


def _program(name: str) -> str:
    text = "\n".join(prologue(Header(template_id="t", template_version="1.0.0",
                                     content_sha256="0" * 64, plan_id="p",
                                     stata_min_version=14)))
    start = text.index(f"program define {name}")
    return text[start:text.index("\nend", start)]


def test_the_publication_table_adds_model_specific_rows() -> None:
    program = _program("ss_pubtable")
    assert "foreach s in q rho lambda widstat cdf ss_first_f {" in program
    for label in ('"Quantile"', '"rho (selection)"', '"lambda (inverse Mills ratio)"',
                  '"Weak-IV F (ivreg2)"', '"Cragg-Donald Wald F"', '"First-stage F"'):
        assert label in program
    # xtreg's e(rho) is a variance share, not a selection correlation
    assert program.count('"`e(cmd)\'" == "heckman" | !inlist("`s\'", "rho", "lambda")') == 2
    estadd = _program("ss_estadd")
    assert estadd.startswith("program define ss_estadd, eclass")
    assert "ereturn scalar `name' = `value'" in estadd


@pytest.mark.parametrize(("template_id", "needle"), [
    ("iv_2sls", "ss_estadd ss_first_f `=`fs'[1, 4]'"),
    ("quantile_regression", "estimates store ss_q`q'"),
    ("heckman_selection", "estimates store ss_m1"),
    ("iv_ivreg2_weak_iv", "estimates store ss_m1"),
])
def test_models_with_their_own_rows_store_what_the_table_reads(
        template_id: str, needle: str) -> None:
    body = _library().get(template_id).source
    assert needle in body
    assert body.index(needle) < body.rindex("ss_pubtable")
