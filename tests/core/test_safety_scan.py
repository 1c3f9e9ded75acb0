import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.errors import UnsafeDoFile
from ss_core.rendering.safety import assert_safe, scan

BYPASSES = [
    "shell rm -rf .",
    "sh ls",
    "!ls",
    "  ! ls",
    "cap shell ls",
    "capture noisily shell ls",
    "cap n shell ls",
    "qui: !ls",
    "quietly {\nshell ls\n}",
    "noi winexec calc",
    "capt xshell ls",
    "unixcmd ls",
    "by id: shell ls",
    "bysort id (t): shell ls",
    "version 14: shell ls",
    "capture noisily: version 14: !ls",
    "bootstrap r(mean), reps(2): shell ls",
    "ssc install reghdfe",
    "cap ssc install reghdfe",
    "net install x, from(http://example.org)",
    "net from .",
    "ado uninstall x",
    "adoupdate, update",
    "sysdir set PLUS .",
    "adopath + .",
    "python: import os",
    "python script x.py",
    "java: x",
    "program define p, plugin using(x.so)",
    "mata: stata(\"shell ls\")",
    "cd ..",
    "cd /tmp",
    "do other.do",
    "run other.do",
    "include other.do",
    "#delimit ;",
    "`cmd' x",
    "$cmd x",
    "cap `cmd'",
    "if 1 shell ls",
    "else shell ls",
    "use \"http://example.org/x.dta\"",
    "use https://example.org/x.dta",
    "import delimited using \"ftp://x/y.csv\"",
    "copy \"https://x/y\" y.csv",
    "save \"/etc/x.dta\", replace",
    "save /etc/x.dta, replace",
    "export delimited using \"C:\\\\x.csv\"",
    "use \"~/x.dta\"",
    "copy a.dta ../b.dta",
    "graph export \"../x.png\"",
    "log using \"\\\\\\\\server\\\\share\\\\x.log\"",
    "regress y x, saving(/tmp/x)",
    "webuse auto",
    "sysuse auto",
    "cap n qui shell ls",
    "regress y x ///\n  , robust\nshell ls",
]


@pytest.mark.parametrize("code", BYPASSES)
def test_known_bypasses_are_rejected(code):
    assert scan(code), code
    with pytest.raises(UnsafeDoFile) as err:
        assert_safe(code)
    assert err.value.context["violations"][0]["line"] >= 1


BENIGN = [
    "regress y shell net cd do run",
    "summarize shell",
    "by shell: summarize net",
    "generate double ratio = x/y",
    "display \"50% done\"",
    "export delimited using \"results.csv\", replace",
    "graph export \"fig.png\", replace width(1600)",
    "* a comment about shell escapes",
    "// shell in a comment",
    "/* shell\nnet install */",
    "regress y x // ! not a shell",
    "if `x' > 0 {\n display 1\n}\nelse {\n display 2\n}",
    "local k : word count `list'",
    "foreach v of varlist x y {\n summarize `v'\n}",
]


@pytest.mark.parametrize("code", BENIGN)
def test_benign_code_passes(code):
    assert scan(code) == []


def test_violations_carry_line_numbers():
    found = scan("display 1\ndisplay 2\ncap shell ls\n")
    assert [v.line for v in found] == [3]


prefixes = st.lists(st.sampled_from(["cap", "capture", "qui", "quietly", "noi", "n", "noisily",
                                     "capt", "quie", "nois"]), max_size=4)
denied = st.sampled_from(["shell ls", "!ls", "winexec x", "xshell x", "ssc install x",
                          "net install x", "cd ..", "do x.do", "python: 1"])
colon = st.sampled_from(["", ":", " :"])


@settings(max_examples=300)
@given(prefixes, colon, denied, st.sampled_from(["", "  ", "\t"]))
def test_any_prefix_chain_before_a_denied_command_is_rejected(chain, sep, command, indent):
    line = indent + " ".join(chain) + (sep if chain else "") + " " + command
    assert scan(line), line
