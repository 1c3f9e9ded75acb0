"""The static library checks: every template on disk passes them, and each check bites."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.authoring.checks import library_problems
from ss_core.library.loader import Problem, load_templates
from ss_core.library.meta import Template
from ss_core.rendering.house import DONE_MARKER
from ss_core.rendering.renderer import render
from tests.library.conftest import EXEMPLAR, LIBRARY, REPO, template_ids
from tests.library.strategies import bindings

TEMPLATE_IDS = template_ids()


@cache
def _problems() -> dict[str, list[Problem]]:
    return library_problems(LIBRARY)


@cache
def _templates() -> dict[str, Template]:
    templates, _ = load_templates(LIBRARY)
    return {t.id: t for t in templates}


def test_the_library_has_templates() -> None:
    assert EXEMPLAR in TEMPLATE_IDS


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_passes_every_static_check(template_id: str) -> None:
    problems = _problems().get(template_id, [])
    assert problems == [], "\n".join(f"{p.file}: {p.problem}" for p in problems)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_renders_safely_for_any_valid_binding(template_id: str) -> None:
    template = _templates().get(template_id)
    assert template is not None, f"{template_id} does not load (see the static check test)"

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        schema, values = data.draw(bindings(template.meta))
        rendered = render(template, values, schema, plan_id="hypothesis")  # runs the scan
        assert "{{" not in rendered.text and "{%" not in rendered.text
        assert DONE_MARKER in rendered.text.splitlines()[-2]
        for spec in template.meta.parameters:
            assert any(line.split()[:2] == ["local", spec.name]
                       for line in rendered.text.splitlines())

    check()


# ---- each check catches a deliberately broken template ------------------------------------

def _edit(root: Path, *, do: str | None = None, meta: dict | None = None,
          raw: bytes | None = None) -> list[str]:
    folder = root / "templates" / EXEMPLAR
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    if do is not None:
        (folder / "template.do").write_text(do, "utf-8")
    if raw is not None:
        (folder / "template.do").write_bytes(raw)
    return [p.problem for p in library_problems(root)[EXEMPLAR]]


def _meta(root: Path) -> dict:
    return json.loads((root / "templates" / EXEMPLAR / "meta.json").read_text("utf-8"))


def _body(root: Path) -> str:
    return (root / "templates" / EXEMPLAR / "template.do").read_text("utf-8")


def _assert_found(problems: list[str], fragment: str) -> None:
    assert any(fragment in p for p in problems), f"{fragment!r} not in {problems}"


def test_the_unbroken_copy_is_clean(library_copy: Path) -> None:
    assert _edit(library_copy) == []


def test_invalid_meta_is_reported(library_copy: Path) -> None:
    meta = _meta(library_copy)
    meta["family"] = "astrology"
    _assert_found(_edit(library_copy, meta=meta), "family")


def test_unknown_has_flag(library_copy: Path) -> None:
    body = _body(library_copy).replace("has.clustvar", "has.clusterv")
    problems = _edit(library_copy, do=body)
    _assert_found(problems, "`has.clusterv` names no declared parameter")


def test_opt_on_a_non_choice_parameter(library_copy: Path) -> None:
    body = _body(library_copy).replace("{% if has.clustvar %}", "{% if opt.clustvar %}")
    _assert_found(_edit(library_copy, do=body), "opt. is only for choice/bool")


def test_declared_parameter_never_used(library_copy: Path) -> None:
    meta = _meta(library_copy)
    meta["parameters"].append({"name": "unused", "type": "bool", "required": False,
                               "default": False, "description": {"en": "x", "zh": "x"}})
    _assert_found(_edit(library_copy, meta=meta), "'unused' is declared but never used")


def test_undeclared_macro_reference(library_copy: Path) -> None:
    body = _body(library_copy).replace("level(`level')", "level(`levl')")
    _assert_found(_edit(library_copy, do=body), "macro `levl' is neither")


def test_redefined_parameter_local(library_copy: Path) -> None:
    body = "local level 90\n" + _body(library_copy)
    _assert_found(_edit(library_copy, do=body), "'level': the body redefines its local")


def test_jinja_expression(library_copy: Path) -> None:
    body = _body(library_copy).replace("`depvar'", "{{ depvar }}", 1)
    _assert_found(_edit(library_copy, do=body), "jinja expression")


def test_declared_output_never_written(library_copy: Path) -> None:
    meta = _meta(library_copy)
    meta["outputs"].append({"file": "extra_table.csv", "kind": "table", "format": "csv",
                            "required": True, "description": "never written"})
    _assert_found(_edit(library_copy, meta=meta), "output 'extra_table.csv' is not written")


def test_community_command_without_package(library_copy: Path) -> None:
    body = _body(library_copy) + "capture noisily reghdfe `depvar' `treatvar', absorb(`clustvar')\n"
    _assert_found(_edit(library_copy, do=body), "`reghdfe` is a community command")


def test_community_command_with_its_package_is_fine(library_copy: Path) -> None:
    body = _body(library_copy) + "capture noisily reghdfe `depvar' `treatvar', noabsorb\n"
    meta = _meta(library_copy)
    meta["dependencies"]["packages"] = [
        {"name": "reghdfe", "source": "ssc", "provides": ["reghdfe"], "requires": ["ftools"]},
        {"name": "ftools", "source": "ssc", "provides": ["ftools"]}]
    assert _edit(library_copy, do=body, meta=meta) == []


def test_unknown_command(library_copy: Path) -> None:
    body = _body(library_copy) + "frobnicate `depvar'\n"
    _assert_found(_edit(library_copy, do=body), "unknown command `frobnicate`")


def test_declared_package_never_used(library_copy: Path) -> None:
    meta = _meta(library_copy)
    meta["dependencies"]["packages"] = [{"name": "estout", "source": "ssc",
                                         "provides": ["esttab", "eststo"]}]
    _assert_found(_edit(library_copy, meta=meta), "package 'estout' is declared but none")


def test_builtin_commands_listing_a_community_command(library_copy: Path) -> None:
    meta = _meta(library_copy)
    meta["dependencies"]["builtin_commands"].append("reghdfe")
    _assert_found(_edit(library_copy, meta=meta), "community command 'reghdfe'")


def test_byte_order_mark(library_copy: Path) -> None:
    raw = b"\xef\xbb\xbf" + _body(library_copy).encode()
    _assert_found(_edit(library_copy, raw=raw), "byte order mark")


def test_crlf_line_endings(library_copy: Path) -> None:
    raw = _body(library_copy).replace("\n", "\r\n").encode()
    _assert_found(_edit(library_copy, raw=raw), "CR characters")


def test_empty_one_line_brace_block(library_copy: Path) -> None:
    body = _body(library_copy) + "foreach v in a b { }\n"
    _assert_found(_edit(library_copy, do=body), "empty one-line brace block")


def test_version_above_the_meta_minimum(library_copy: Path) -> None:
    body = "version 16\n" + _body(library_copy)
    _assert_found(_edit(library_copy, do=body), "`version 16` is above")


def test_version_at_the_meta_minimum_is_fine(library_copy: Path) -> None:
    assert _edit(library_copy, do="version 14\n" + _body(library_copy)) == []


@pytest.mark.parametrize(("line", "fragment"), [
    ('log using "mine.log", replace', "`log`"),
    ("capture log close", "`log`"),
    ('use "other.dta", clear', "`use`"),
    ("sysuse auto, clear", "`sysuse`"),
    ("webuse nlswork", "`webuse`"),
    ("clear all", "`clear all`"),
    ("exit", "`exit`"),
    ("set more off", "`set more`"),
    ("cd results", "directory change"),
    ("#delimit ;", "#delimit"),
    ("shell ls", "shell escape"),
    ("ssc install reghdfe", "package install"),
    ('do "other.do"', "nested do-file"),
])
def test_house_lint(library_copy: Path, line: str, fragment: str) -> None:
    _assert_found(_edit(library_copy, do=_body(library_copy) + line + "\n"), fragment)


def test_missing_step_marker(library_copy: Path) -> None:
    body = _body(library_copy).replace('display as text "SS_STEP', 'display as text "STEP')
    _assert_found(_edit(library_copy, do=body), "no step marker")


def test_missing_results_row(library_copy: Path) -> None:
    body = _body(library_copy).replace('ss_coef "main" "`treatvar\'"', "")
    _assert_found(_edit(library_copy, do=body), "no results row")


def test_render_failure_is_reported(library_copy: Path) -> None:
    body = _body(library_copy).replace("{% endif %}", "{% elif has.clustvar.x %}\n{% endif %}", 1)
    _assert_found(_edit(library_copy, do=body), "render with")


def test_safety_scan_failure_is_reported(library_copy: Path) -> None:
    body = _body(library_copy) + 'export delimited using "/tmp/out.csv", replace\n'
    _assert_found(_edit(library_copy, do=body), "safety scan")


def test_a_rich_valid_template_raises_no_false_alarm(library_copy: Path) -> None:
    """Programs with syntax, Mata blocks, macro functions, loops, file/putexcel/graph outputs,
    packages with their commands, choice/bool flags: all house-legal, so no problem at all."""
    shutil.copytree(REPO / "tests" / "library" / "data" / "house_probe",
                    library_copy / "templates" / "house_probe")
    problems = library_problems(library_copy)["house_probe"]
    assert problems == [], [p.problem for p in problems]
