"""Finding 1, second wall: the library check that rejects any template letting label or value
text held in a macro be expanded or evaluated. Each bad body below is a pattern that shipped
(or could ship) in the library; the check must name it. Good bodies must pass."""

from __future__ import annotations

from functools import cache

import msgspec
import pytest

from ss_core.authoring.body_scan import scan_body
from ss_core.authoring.checks import template_problems
from ss_core.authoring.data_text import data_text_problems
from ss_core.library.loader import load_templates
from ss_core.library.meta import Template
from tests.library.conftest import LIBRARY


@cache
def _templates() -> dict[str, Template]:
    templates, _ = load_templates(LIBRARY)
    return {t.id: t for t in templates}


def problems(template_id: str, body: str) -> list[str]:
    template = msgspec.structs.replace(_templates()[template_id], source=body)
    return data_text_problems(template, scan_body(body).commands)


BAD = {
    "variable label in an expression (data_describe_overview as shipped)": (
        "summary_statistics_table",
        "foreach v of varlist `variables' {\n"
        "    local lb : variable label `v'\n"
        "    local lb = usubstr(`\"`lb'\"', 1, 60)\n"
        "}\n"),
    "value label posted (ttest_two_sample as shipped)": (
        "ttest_two_sample",
        "tempvar gid\negen `gid' = group(`group'), label\n"
        "local ss_g1 : label (`gid') 1\n"
        "post ph (`\"`macval(ss_g1)'\"')\n"),
    "abbreviated extended function": (
        "summary_statistics_table", "local t : var lab x\ndisplay \"`t'\"\n"),
    "levels of a variable that may hold strings": (
        "ttest_two_sample",
        "levelsof `group', local(levels)\nforeach l of local levels {\n"
        "    count if `group' == \"`l'\"\n}\n"),
    "levels through r(levels)": (
        "ttest_two_sample", "levelsof `group'\nlocal all `r(levels)'\n"),
    "gettoken propagates": (
        "summary_statistics_table",
        "local lb : variable label x\ngettoken first rest : lb\ndisplay `\"`first'\"'\n"),
    "a copy propagates and is then evaluated": (
        "summary_statistics_table",
        "local lb : variable label x\nlocal c `macval(lb)'\nscalar s = `\"`macval(c)'\"'\n"),
    "Mata hands a label to a local": (
        "summary_statistics_table",
        "mata: st_local(\"lb\", st_varlabel(\"x\"))\nlocal n = strlen(`\"`lb'\"')\n"),
    "a characteristic": (
        "summary_statistics_table", "local note : char x[note1]\ndi `note'\n"),
    "a line read from a file": (
        "summary_statistics_table", "file read fh line\nlocal n = `line'\n"),
}

GOOD = {
    "labels stay in Mata": (
        "summary_statistics_table",
        "mata: ss_labels = J(0, 1, \"\")\nforeach v of varlist `variables' {\n"
        "    mata: ss_labels = ss_labels \\ usubstr(st_varlabel(\"`v'\"), 1, 60)\n}\n"
        "mata: st_sstore(., \"label\", ss_labels)\n"),
    "levels of a numeric group id": (
        "ttest_two_sample",
        "tempvar gid\negen `gid' = group(`group')\nlevelsof `gid', local(gl)\n"
        "foreach g of local gl {\n    count if `gid' == `g'\n}\n"),
    "a macval copy that is never used": (
        "summary_statistics_table", "local lb : variable label x\nlocal c `macval(lb)'\n"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_check_rejects_data_text_reaching_code(case: str) -> None:
    template_id, body = BAD[case]
    found = problems(template_id, body)
    assert found, f"{case}: not flagged"
    assert all("label or value text" in p for p in found)


@pytest.mark.parametrize("case", sorted(GOOD))
def test_the_check_accepts_data_text_kept_as_data(case: str) -> None:
    template_id, body = GOOD[case]
    assert problems(template_id, body) == []


def test_the_check_is_part_of_the_library_checks() -> None:
    template = _templates()["ttest_two_sample"]
    body = template.source.replace(
        'mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid\'"), (1 \\ 2)), 1, 60)'
        ' \\ "group1 - group2"',
        "local ss_g1 : label (`gid') 1\nlocal ss_g1 = usubstr(`\"`ss_g1'\"', 1, 60)")
    assert body != template.source
    found = template_problems(msgspec.structs.replace(template, source=body))
    assert any("label or value text" in p.problem for p in found), found
