"""Finding 14: the render-time safety scan catches file access by expression, Mata file and
directory functions and file system commands (each line below passed the scan before)."""

from __future__ import annotations

import pytest

from ss_core.rendering.safety import scan

REACHES_FILES = [
    'local x = filewrite(c(pwd)+char(47)+"pwn.ado","program pwn")',
    'local x = fileread(c(sysdir_plus)+"r/reghdfe.ado")',
    "local x = FileRead(c(pwd))",
    'display "`=fileread("ss.db")\'"',
    "erase `\"`=char(47)'etc/x\"'",
    "rm x",
    "capture erase results.csv",
    "mkdir `=char(47)'tmp/x",
    "rmdir out",
    'copy "a.ado" "b.ado"',
    'mata: unlink(char(46)+char(46)+char(47)+"ss.db")',
    'mata: fh = fopen(c("pwd")+"x","w")',
    'mata: _fopen("x", "rw")',
    'mata: mkdir("x")',
    'mata: s = cat("ss.db")',
    "mata:\nchdir(\"..\")\nend",
]

STILL_FINE = [
    'export delimited using "ttest_results.csv", replace',
    'mata: st_sstore(., "label", ss_labels)',
    'mata: ss_labels = ss_labels \\ usubstr(st_varlabel("`v\'"), 1, 60)',
    "local n = strlen(\"abc\")",
    "generate catx = 1",
]


@pytest.mark.parametrize("code", REACHES_FILES)
def test_file_access_is_a_violation(code: str) -> None:
    assert scan(code), f"not flagged: {code}"


@pytest.mark.parametrize("code", STILL_FINE)
def test_benign_lines_stay_clean(code: str) -> None:
    assert scan(code) == []
