"""The house ss_res program writes clean CSV cells: CSV-quoted step/term, trimmed numbers and
empty cells for missing values (a padded or '.' cell would not parse as a number)."""

from __future__ import annotations

import re

from ss_core.rendering.house import RESULTS_COLUMNS, Header, prologue


def _ss_res_body() -> str:
    text = "\n".join(prologue(Header(template_id="t", template_version="1.0.0",
                                     content_sha256="0" * 64, plan_id="p",
                                     stata_min_version=14)))
    start = text.index("program define ss_res")
    return text[start:text.index("\nend", start)]


def test_step_and_term_are_csv_quoted_with_doubled_inner_quotes() -> None:
    body = _ss_res_body()
    assert "local q = char(34)" in body
    for name in ("step", "term"):
        assert f"local {name} : subinstr local {name} `\"`q'\"' `\"`q'`q'\"', all" in body
    assert "file write `fh' `\"`q'`step'`q',`q'`term'`q'\"'" in body


def test_numbers_are_trimmed_and_missing_values_left_empty() -> None:
    body = _ss_res_body()
    assert not re.search(r"%\d+\.\d+g\s*\(", body), "a formatted file write pads the cell"
    assert "if !missing(real(`\"``v''\"')) {" in body
    assert "strtrim(string(real(`\"``v''\"'), \"%21.0g\"))" in body
    assert "file write `fh' `\",`cell'\"'" in body


def test_one_cell_per_numeric_column() -> None:
    body = _ss_res_body()
    loop = re.search(r"foreach v in ([a-z0-9 ]+) \{", body)
    assert loop is not None
    assert len(loop.group(1).split()) == len(RESULTS_COLUMNS) - 2
