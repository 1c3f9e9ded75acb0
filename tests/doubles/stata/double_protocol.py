"""The Stata double's vocabulary: known commands, messages, errors and the log writer."""

from __future__ import annotations

import re
from pathlib import Path

BUILTIN = frozenset("""
display di log file which set clear use save export import graph twoway scatter line putexcel
regress reg logit probit logistic ologit oprobit mlogit poisson nbreg tobit xtreg xtset tsset
summarize sum su tabulate tab tab1 tab2 correlate corr pwcorr generate gen egen replace drop
keep rename label describe count sort gsort by bysort preserve restore merge append reshape
collapse foreach forvalues while if else local global tempname tempvar tempfile matrix scalar
program end capture quietly noisily version exit assert confirm predict estimates margins test
lincom ttest ranksum areg ivregress xtlogit xtprobit heckman qreg sqreg stset stcox streg
format encode decode destring tostring recode sample duplicates order mata return ereturn
sysdir adopath do run include findfile cd pwd help set_more more quantile histogram kdensity
""".split())
COMMUNITY = frozenset("""
reghdfe ivreghdfe ppmlhdfe ftools estout esttab eststo estadd outreg2 winsor2 asdoc coefplot
psmatch2 xtabond2 ivreg2 ranktest rdrobust synth did_multiplegt csdid boottest gtools
""".split())
MESSAGES = {
    9: "assertion is false", 109: "type mismatch", 111: "variable {arg} not found",
    198: "invalid syntax", 199: "command {arg} is unrecognized", 430: "convergence not achieved",
    601: "file {arg} not found", 602: "file {arg} already exists", 603: "file could not be opened",
    604: "log file already open", 606: "no log file open", 900: "no room to add more variables",
    2000: "no observations", 3000: "(error occurred while loading {arg}.ado)",
}
MACRO = re.compile(r"`((?:c\()?[A-Za-z_][A-Za-z0-9_]*\)?)'")
STRING = re.compile(r'`"(.*?)"\'|"([^"]*)"')


class StataErr(Exception):
    def __init__(self, rc: int, message: str | None = None) -> None:
        super().__init__(rc)
        self.rc = rc
        self.message = message


class ExitStata(Exception):
    pass


class Log:
    """The batch log plus any named logs; every output line goes to all open logs."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.encoding = encoding
        self.batch = path.open("wb")
        self.named: dict[str, object] = {}
        self.quiet = 0
        self.captured = 0

    def write(self, line: str, force: bool = False) -> None:
        """Output is hidden under ``capture``; under ``quietly`` only errors (force) show."""
        if self.captured or (self.quiet and not force):
            return
        data = (line + "\n").encode(self.encoding, errors="replace")
        self.batch.write(data)
        for handle in self.named.values():
            handle.write(data)  # type: ignore[attr-defined]
        self.batch.flush()


class ExitDo(Exception):
    """``exit`` without a code: leave the current do-file with rc 0."""

