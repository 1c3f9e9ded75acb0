"""Contract: the Stata double's logs and ss_core.diagnosis agree, for every rc class.

Each class is produced twice by the double: under the runner's wrapper (judged by the side
file) and as a bare batch do-file (judged by the last ``end of do-file`` + ``r(N);``). Both
must classify like the fixture logs written in Stata's own format.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ss_adapters.stata.logs import read_small
from ss_adapters.stata.wrapper import RC_FILE, wrapper_do_file
from ss_core.diagnosis import diagnose
from ss_core.stata.rc import code_for_rc

DOUBLE = Path(__file__).resolve().parents[1] / "doubles" / "stata" / "stata"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stata_logs"
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
RC_CLASSES = [9, 101, 109, 111, 198, 199, 301, 430, 459, 498, 503, 601, 603, 610, 631, 693,
              900, 909, 1000, 2000, 2001, 3000, 5100]


def run_double(directory: Path, do_name: str) -> tuple[str, int | None]:
    subprocess.run([str(DOUBLE), "-b", "-q", "do", do_name], cwd=directory, env=ENV,
                   stdin=subprocess.DEVNULL, check=True, timeout=30)
    log = (directory / do_name).with_suffix(".log").read_text(encoding="utf-8")
    side = read_small(directory / RC_FILE)
    return log, int(side) if side else None


def job_text(rc: int) -> str:
    return ('display "before"\n* ss-double: fail ' + str(rc) + "\nmycmd alpha beta\n"
            'display "never reached"\n')


@pytest.mark.parametrize("rc", RC_CLASSES)
def test_wrapped_and_bare_runs_classify_alike(tmp_path: Path, rc: int) -> None:
    (tmp_path / "job.do").write_text(job_text(rc))
    (tmp_path / "ss_wrap_t.do").write_text(wrapper_do_file("job.do", None))
    wrapped_log, side_rc = run_double(tmp_path, "ss_wrap_t.do")
    assert side_rc == rc
    (tmp_path / RC_FILE).unlink()
    bare_log, no_side = run_double(tmp_path, "job.do")
    assert no_side is None
    expected = "STATA_TEMPLATE_ERROR" if rc == 199 else code_for_rc(rc)
    for log, side in ((wrapped_log, side_rc), (bare_log, None)):
        result = diagnose(log, side_rc=side, package_of_command={})
        assert (result.error_code, result.rc) == (expected, rc)
        assert result.failing_command == "mycmd alpha beta"
        assert "never reached" not in log.replace('display "never reached"', "")


def test_package_command_rc199_names_the_package_either_way(tmp_path: Path) -> None:
    (tmp_path / "job.do").write_text("display 1\nreghdfe y x, absorb(id)\n")
    log, _ = run_double(tmp_path, "job.do")
    result = diagnose(log, side_rc=None, package_of_command={"reghdfe": "reghdfe"})
    assert result.error_code == "STATA_DEPENDENCY_MISSING"
    assert result.missing_packages == ("reghdfe",)


@pytest.mark.parametrize(("fixture", "rc", "command"), [
    ("missing_variable.log", 111, "regress wage educ nosuch"),
    ("no_observations.log", 2000, "regress wage educ"),
    ("convergence.log", 430, "logit y x1 x2"),
])
def test_double_reproduces_fixture_classification(tmp_path: Path, fixture: str, rc: int,
                                                  command: str) -> None:
    (tmp_path / "job.do").write_text(f"display 1\n* ss-double: fail {rc}\n{command}\n")
    log, _ = run_double(tmp_path, "job.do")
    from_double = diagnose(log, side_rc=None, package_of_command={})
    from_fixture = diagnose((FIXTURES / fixture).read_text(), side_rc=None, package_of_command={})
    keys = ("ok", "error_code", "rc", "failing_command", "retryable")
    assert [getattr(from_double, k) for k in keys] == [getattr(from_fixture, k) for k in keys]


def test_success_and_noise_with_side_rc_zero(tmp_path: Path) -> None:
    (tmp_path / "job.do").write_text(
        'display "r(111);"\ncapture noisily reghdfe y x\nwhich regress\n'
        'display "SS_TEMPLATE_DONE"\n')
    (tmp_path / "ss_wrap_t.do").write_text(wrapper_do_file("job.do", None))
    log, side_rc = run_double(tmp_path, "ss_wrap_t.do")
    assert side_rc == 0 and "r(111);" in log and "command reghdfe is unrecognized" in log
    assert diagnose(log, side_rc=side_rc, package_of_command={}, done_marker_seen=True).ok


def test_crash_and_licence_failure(tmp_path: Path) -> None:
    (tmp_path / "job.do").write_text("display 1\n* ss-double: crash\n")
    (tmp_path / "ss_wrap_t.do").write_text(wrapper_do_file("job.do", None))
    done = subprocess.run([str(DOUBLE), "-b", "-q", "do", "ss_wrap_t.do"], cwd=tmp_path, env=ENV,
                          stdin=subprocess.DEVNULL, timeout=30)
    log = (tmp_path / "ss_wrap_t.log").read_text()
    assert done.returncode == 139
    assert diagnose(log, side_rc=None, package_of_command={}).error_code == "STATA_CRASHED"
    failed = subprocess.run([str(DOUBLE), "-b", "-q", "do", "ss_wrap_t.do"], cwd=tmp_path,
                            env={**ENV, "SS_STATA_DOUBLE_DIRECTIVES": "license-failure"},
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    log = (tmp_path / "ss_wrap_t.log").read_text()
    result = diagnose(log, side_rc=None, package_of_command={}, stderr=failed.stderr,
                      exit_code=failed.returncode)
    assert log == "" and result.error_code == "STATA_LICENSE_UNAVAILABLE"


def test_double_refuses_non_batch_command_lines(tmp_path: Path) -> None:
    done = subprocess.run([str(DOUBLE), "job.do"], cwd=tmp_path, env=ENV, capture_output=True,
                          timeout=30)
    assert done.returncode == 2 and b"expected -b" in done.stderr
