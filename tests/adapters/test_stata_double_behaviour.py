"""The Stata double's own behaviour that other suites rely on (control flow, files, errors)."""

from __future__ import annotations

import subprocess
from pathlib import Path

DOUBLE = Path(__file__).resolve().parents[1] / "doubles" / "stata" / "stata"

CONTROL_FLOW = """\
capture which nosuch
if _rc {
    display "taken-1"
    if _rc == 5 {
        display "WRONG-1"
    }
}
else {
    display "WRONG-2"
}
capture which regress
if _rc == 0 {
    display "taken-2"
}
else if _rc == 0 {
    display "WRONG-3"
}
else {
    display "WRONG-4"
}
capture which nosuch
if _rc == 0 display "WRONG-5"
else display "taken-3"
foreach v in a b {
    display "in-loop"
}
capture noisily display "taken-4"
capture display "WRONG-6"
quietly display "WRONG-7"
"""


def run(directory: Path, text: str, **env: str) -> tuple[str, int]:
    (directory / "t.do").write_text(text, encoding="utf-8")
    (directory / "tmp").mkdir(exist_ok=True)
    done = subprocess.run([str(DOUBLE), "-b", "-q", "do", "t.do"], cwd=directory,
                          env={"PATH": "/usr/bin:/bin", "STATATMP": str(directory / "tmp"), **env},
                          stdin=subprocess.DEVNULL, timeout=30, check=False)
    return (directory / "t.log").read_text(encoding="utf-8"), done.returncode


def outputs(log: str) -> list[str]:
    return [ln for ln in log.splitlines() if ln and not ln.startswith(".") and
            not ln.lstrip()[:1].isdigit()]


def test_control_flow_and_output_suppression(tmp_path: Path) -> None:
    log, status = run(tmp_path, CONTROL_FLOW)
    assert status == 0
    shown = outputs(log)
    assert not any("WRONG" in line for line in shown), shown
    assert [s for s in shown if s.startswith("taken")] == [
        "taken-1", "taken-2", "taken-3", "taken-4"]
    assert shown[-1] == "end of do-file"


def test_files_tempfiles_and_replace(tmp_path: Path) -> None:
    text = ('tempfile tf\nsave "`tf\'"\nexport delimited using "t.csv"\n'
            'export delimited using "t.csv"\n')
    log, _ = run(tmp_path, text)
    assert (tmp_path / "t.csv").read_text().startswith("term,")
    assert any((tmp_path / "tmp").iterdir()), "tempfiles belong in STATATMP"
    assert "file t.csv already exists\nr(602);" in log
    assert log.rstrip().endswith("end of do-file\n\nr(602);")


def test_nested_do_error_propagates_with_markers(tmp_path: Path) -> None:
    (tmp_path / "inner.do").write_text("display 1\nuse \"absent.dta\", clear\n")
    log, _ = run(tmp_path, 'do "inner.do"\ndisplay "never"\n')
    assert "file absent.dta not found\nr(601);\n\nend of do-file\nr(601);" in log
    assert log.count("end of do-file") == 2 and "\nnever" not in log


def test_programs_are_defined_not_run(tmp_path: Path) -> None:
    text = "program define mine\n    display \"inside\"\nend\nwhich mine\nreghdfe y x\n"
    log, _ = run(tmp_path, text)
    assert "  1. display \"inside\"" in log and "\ninside" not in log
    assert "command reghdfe is unrecognized\nr(199);" in log


def test_installed_commands_and_probe_answers(tmp_path: Path) -> None:
    text = ('reghdfe y x\ndisplay "`c(stata_version)\' `c(edition_real)\' `c(mode)\'"\n')
    log, _ = run(tmp_path, text, SS_STATA_DOUBLE_INSTALLED="reghdfe",
                 SS_STATA_DOUBLE_VERSION="19", SS_STATA_DOUBLE_EDITION="SE")
    assert "r(199)" not in log and "\n19 SE batch\n" in log
