"""The log diagnosis: signal order, rc mapping, failing command, robustness (hypothesis)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.diagnosis import EXCERPT_CHARS, command_name, diagnose, diagnosis_error
from ss_core.errors import ERROR_CODES
from ss_core.stata.rc import RC_TABLE, code_for_rc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stata_logs"
PACKAGES = {"reghdfe": "reghdfe", "esttab": "estout"}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_side_rc_zero_is_success_despite_rc_lines_in_the_log() -> None:
    result = diagnose(fixture("success_with_capture_noise.log"), side_rc=0,
                      package_of_command=PACKAGES, done_marker_seen=True)
    assert result.ok and result.error_code is None and result.rc == 0
    assert not result.retryable


def test_side_rc_zero_without_the_done_marker_is_an_early_exit() -> None:
    result = diagnose(fixture("success_with_capture_noise.log"), side_rc=0,
                      package_of_command={}, done_marker_seen=False)
    assert not result.ok and result.error_code == "STATA_TEMPLATE_ERROR"


def test_side_rc_wins_over_the_marker() -> None:
    result = diagnose(fixture("missing_variable.log"), side_rc=0, package_of_command={})
    assert result.ok


@pytest.mark.parametrize(
    ("name", "code", "rc", "command"),
    [
        ("missing_variable.log", "STATA_BINDING_ERROR", 111, "regress wage educ nosuch"),
        ("no_observations.log", "STATA_DATA_EMPTY", 2000, "regress wage educ"),
        ("convergence.log", "STATA_STATISTICAL_FAILURE", 430, "logit y x1 x2"),
    ],
)
def test_marker_and_trailing_rc_classify_without_side_file(
        name: str, code: str, rc: int, command: str) -> None:
    result = diagnose(fixture(name), side_rc=None, package_of_command=PACKAGES)
    assert (result.ok, result.error_code, result.rc) == (False, code, rc)
    assert result.failing_command == command
    assert result.retryable == ERROR_CODES[code].retryable
    assert f"r({rc})" in result.message


def test_unrecognized_declared_command_names_the_package() -> None:
    result = diagnose(fixture("unrecognized_package_command.log"), side_rc=199,
                      package_of_command=PACKAGES)
    assert result.error_code == "STATA_DEPENDENCY_MISSING" and result.retryable
    assert result.missing_commands == ("reghdfe",)
    assert result.missing_packages == ("reghdfe",)
    assert result.failing_command == "reghdfe wage educ, absorb(firm) /// vce(cluster firm)"
    assert "reghdfe" in result.message


def test_unrecognized_undeclared_command_is_a_template_error() -> None:
    result = diagnose(fixture("unrecognized_package_command.log"), side_rc=199,
                      package_of_command={})
    assert result.error_code == "STATA_TEMPLATE_ERROR" and not result.retryable
    assert result.missing_commands == ("reghdfe",) and result.missing_packages == ()


def test_failing_line_is_located_in_the_do_file() -> None:
    do_file = 'use "primary.dta", clear\n\nregress wage educ nosuch\n'
    result = diagnose(fixture("missing_variable.log"), side_rc=111, package_of_command={},
                      do_file_text=do_file)
    assert result.failing_line == 3


def test_no_side_file_and_no_marker_is_a_crash() -> None:
    result = diagnose(fixture("crashed_midway.log"), side_rc=None, package_of_command={},
                      exit_code=-9)
    assert result.error_code == "STATA_CRASHED" and result.retryable


def test_marker_followed_by_more_output_without_side_file_is_a_crash() -> None:
    log = fixture("success_with_capture_noise.log")
    assert diagnose(log, side_rc=None, package_of_command={}).error_code == "STATA_CRASHED"


def test_empty_log_is_a_launch_failure_and_licence_text_is_recognised() -> None:
    plain = diagnose("", side_rc=None, package_of_command={}, exit_code=1,
                     stderr="cannot execute binary file")
    assert plain.error_code == "STATA_LAUNCH_FAILED" and "cannot execute" in plain.message
    licence = diagnose("  \n", side_rc=None, package_of_command={}, exit_code=1,
                       stderr="Your license is invalid: license not found (stata.lic)")
    assert licence.error_code == "STATA_LICENSE_UNAVAILABLE" and licence.retryable


def test_timeout_wins_over_everything() -> None:
    result = diagnose(fixture("missing_variable.log"), side_rc=0, package_of_command={},
                      timed_out=True)
    assert result.error_code == "STATA_TIMEOUT" and result.retryable and result.rc is None


def test_excerpt_is_bounded_and_centred_on_the_error() -> None:
    noise = "\n".join(f". display {i}\n{i}" for i in range(20_000))
    log = f"{noise}\n\n. regress y x\nvariable x not found\nr(111);\n\nend of do-file\n\nr(111);\n"
    result = diagnose(log, side_rc=111, package_of_command={})
    assert len(result.log_excerpt) <= EXCERPT_CHARS + 100
    assert "variable x not found" in result.log_excerpt
    assert result.failing_command == "regress y x"


@pytest.mark.parametrize(
    ("rc", "code"),
    [(199, "STATA_TEMPLATE_ERROR"), (111, "STATA_BINDING_ERROR"), (2001, "STATA_DATA_EMPTY"),
     (109, "STATA_DATA_TYPE_ERROR"), (9, "STATA_DATA_CONTRACT_VIOLATION"),
     (481, "STATA_STATISTICAL_FAILURE"), (506, "STATA_STATISTICAL_FAILURE"),
     (601, "STATA_INPUT_MISSING"), (610, "STATA_INPUT_FORMAT"), (603, "STATA_SANDBOX_DENIED"),
     (631, "STATA_SANDBOX_DENIED"), (2, "STATA_SANDBOX_DENIED"), (170, "STATA_SANDBOX_DENIED"),
     (909, "STATA_RESOURCE_LIMIT"), (1003, "STATA_RESOURCE_LIMIT"), (693, "STATA_IO_ERROR"),
     (3000, "STATA_DEPENDENCY_BROKEN"), (3598, "STATA_DEPENDENCY_BROKEN"),
     (101, "STATA_BINDING_ERROR"), (198, "STATA_TEMPLATE_ERROR"), (132, "STATA_TEMPLATE_ERROR"),
     (604, "STATA_TEMPLATE_ERROR"), (459, "STATA_DATA_ERROR"), (5100, "STATA_RUN_FAILED"),
     (12345, "STATA_RUN_FAILED")],
)
def test_rc_table(rc: int, code: str) -> None:
    assert code_for_rc(rc) == code


def test_rc_table_uses_registered_codes_only() -> None:
    assert set(RC_TABLE.values()) <= set(ERROR_CODES)


@pytest.mark.parametrize(
    ("line", "name"),
    [("capture noisily reghdfe y x", "reghdfe"), ("bysort id: egen m = mean(x)", "egen"),
     ("quietly esttab using t.csv", "esttab"), ("by g, sort: summarize x", "summarize"),
     ("1bad", None)],
)
def test_command_name(line: str, name: str | None) -> None:
    assert command_name(line) == name


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_rc_lookup_is_total(rc: int) -> None:
    assert code_for_rc(rc) in ERROR_CODES


log_lines = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(["end of do-file", "r(111);", "r(199);", "r(0);", ". regress y x",
                         "> continued", "command foo is unrecognized", "  1. display 1", ""]),
        st.integers(0, 99_999).map(lambda n: f"r({n});"),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(log_lines, st.one_of(st.none(), st.integers(-5, 10_000)), st.booleans(),
       st.text(max_size=80), st.one_of(st.none(), st.booleans()))
def test_arbitrary_logs_never_crash(lines: list[str], side_rc: int | None, timed_out: bool,
                                    stderr: str, marker: bool | None) -> None:
    result = diagnose("\n".join(lines), side_rc=side_rc, package_of_command={"foo": "foopkg"},
                      timed_out=timed_out, stderr=stderr, done_marker_seen=marker,
                      do_file_text="regress y x\n")
    assert result.error_code is None or result.error_code in ERROR_CODES
    assert result.ok == (result.error_code is None)
    assert len(result.log_excerpt) <= EXCERPT_CHARS + 200


noise_line = st.one_of(
    st.integers(1, 9999).map(lambda n: f'. display "r({n});"\nr({n});'),
    st.integers(1, 9999).map(lambda n: f". capture noisily cmd{n}\nsomething failed\nr({n});"),
    st.integers(1, 9999).map(lambda n: f"end of do-file\n\nr({n});"),
    st.text(max_size=40),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(noise_line, max_size=30))
def test_rc_noise_never_fails_a_run_whose_side_rc_is_zero(chunks: list[str]) -> None:
    log = "\n".join(chunks) + "\n. display 1\n1\n"
    result = diagnose(log, side_rc=0, package_of_command={}, done_marker_seen=True)
    assert result.ok


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_binary_garbage_decoded_with_replacement_never_crashes(data: bytes) -> None:
    result = diagnose(data.decode("utf-8", errors="replace"), side_rc=None, package_of_command={})
    assert result.error_code is not None


def test_side_rc_proves_stata_ran_even_with_an_empty_log() -> None:
    assert diagnose("", side_rc=0, package_of_command={}).ok


def test_a_failed_diagnosis_becomes_a_typed_error() -> None:
    result = diagnose(fixture("unrecognized_package_command.log"), side_rc=199,
                      package_of_command=PACKAGES)
    error = diagnosis_error(result)
    assert error.error_code == "STATA_DEPENDENCY_MISSING" and error.retryable
    body = error.to_body()
    assert body["missing_packages"] == ["reghdfe"] and body["rc"] == 199
    assert "log_excerpt" not in body
    with pytest.raises(ValueError):
        diagnosis_error(diagnose("", side_rc=0, package_of_command={}))


def test_pathological_logs_stay_fast() -> None:
    log = "end of do-file\nr(111);\n" * 50_000
    started = time.monotonic()
    result = diagnose(log, side_rc=111, package_of_command={})
    assert time.monotonic() - started < 2
    assert result.error_code == "STATA_BINDING_ERROR" and result.failing_command is None
