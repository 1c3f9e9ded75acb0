"""The preflight do-file text and its answer parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_core.errors import ValidationFailed
from ss_core.preflight import (
    BEGIN_LINE,
    END_LINE,
    PREFLIGHT_SIDE_FILE,
    missing_dependency_error,
    parse_preflight,
    preflight_do_file,
)


def test_do_file_checks_every_command_once_with_capture_which() -> None:
    text = preflight_do_file(["reghdfe", "ftools", "reghdfe"])
    assert text.count("capture which reghdfe\n") == 1
    assert "capture which ftools\n" in text
    assert PREFLIGHT_SIDE_FILE in text and BEGIN_LINE in text and END_LINE in text


@pytest.mark.parametrize("bad", ["reg hdfe", "x;shell rm", "1abc", "", 'a"b', "né"])
def test_unsafe_names_never_reach_the_text(bad: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        preflight_do_file(["regress", bad])
    assert caught.value.context["invalid_commands"] == [repr(bad)]


def test_parse_reports_missing_in_check_order() -> None:
    side = f"{BEGIN_LINE}\nftools\nreghdfe\n{END_LINE}\n"
    assert parse_preflight(side, ["reghdfe", "ftools", "estout"]) == ("reghdfe", "ftools")


@pytest.mark.parametrize(
    "side", [None, "", BEGIN_LINE + "\nreghdfe\n", f"{END_LINE}\n{BEGIN_LINE}\n"])
def test_incomplete_answers_prove_nothing(side: str | None) -> None:
    assert parse_preflight(side, ["reghdfe"]) is None


def test_unchecked_names_in_the_answer_are_ignored() -> None:
    side = f"{BEGIN_LINE}\nintruder\n{END_LINE}\n"
    assert parse_preflight(side, ["reghdfe"]) == ()


def test_missing_dependency_error_names_every_package() -> None:
    error = missing_dependency_error(("reghdfe", "esttab", "oddcmd"),
                                     {"reghdfe": "reghdfe", "esttab": "estout"})
    assert error.error_code == "STATA_DEPENDENCY_MISSING" and error.retryable
    assert error.context["missing_commands"] == ["reghdfe", "esttab", "oddcmd"]
    assert error.context["missing_packages"] == ["reghdfe", "estout"]
    assert "estout" in error.message and "oddcmd" in error.message


@given(st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True), max_size=8),
       st.data())
def test_round_trip(names: list[str], data: st.DataObject) -> None:
    missing = data.draw(st.lists(st.sampled_from(names), unique=True) if names else st.just([]))
    text = preflight_do_file(names)
    assert all(f"capture which {n}\n" in text for n in names)
    side = "\n".join([BEGIN_LINE, *missing, END_LINE])
    assert set(parse_preflight(side, names) or ()) == set(missing)
