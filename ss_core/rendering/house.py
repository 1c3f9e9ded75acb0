"""The house prologue and epilogue every rendered do-file gets.

They are generated code, identical for every template except the version line and the
header: they pin the interpreter version, open the template's own named log, load the staged
primary dataset and define the two result-writing programs templates use (``ss_res`` for any
row, ``ss_coef`` for one coefficient of the last estimation). Templates therefore never open
logs, never load data by path and never invent their own results format.
"""

from __future__ import annotations

import msgspec

from ss_core.library.meta import OutputSpec

ANALYSIS_LOG = "analysis.log"
RESULTS_FILE = "ss_results.csv"
PRIMARY_DTA = "primary.dta"
LOG_NAME = "ss_analysis"
RESULTS_COLUMNS = (
    "step", "term", "estimate", "std_error", "statistic", "p_value",
    "ci_lower", "ci_upper", "n_obs", "r2",
)
DONE_MARKER = "SS_TEMPLATE_DONE"

HOUSE_OUTPUTS = (
    OutputSpec(file=RESULTS_FILE, kind="results", format="csv", required=True,
               description="Key estimates in one tidy table (house results format)."),
    OutputSpec(file=ANALYSIS_LOG, kind="log", format="log", required=True,
               description="The template's own text log."),
)

_PROGRAMS = r'''
capture program drop ss_res
program define ss_res
    version 14
    syntax , Step(string) Term(string) [b(string) se(string) STATistic(string) p(string) lb(string) ub(string) n(string) r2(string)]
    tempname fh
    local q = char(34)
    local step : subinstr local step `"`q'"' `"`q'`q'"', all
    local term : subinstr local term `"`q'"' `"`q'`q'"', all
    file open `fh' using "ss_results.csv", write append
    file write `fh' `"`q'`step'`q',`q'`term'`q'"'
    foreach v in b se statistic p lb ub n r2 {
        local cell
        if !missing(real(`"``v''"')) {
            local cell = strtrim(string(real(`"``v''"'), "%21.0g"))
        }
        file write `fh' `",`cell'"'
    }
    file write `fh' _n
    file close `fh'
end

capture program drop ss_coef
program define ss_coef
    version 14
    args step term
    tempname b se z p crit alpha2
    scalar `b' = _b[`term']
    scalar `se' = _se[`term']
    scalar `z' = `b' / `se'
    scalar `alpha2' = (100 - c(level)) / 200
    if e(df_r) < . {
        scalar `p' = 2 * ttail(e(df_r), abs(`z'))
        scalar `crit' = invttail(e(df_r), `alpha2')
    }
    else {
        scalar `p' = 2 * normal(-abs(`z'))
        scalar `crit' = invnormal(1 - `alpha2')
    }
    ss_res, step(`step') term(`term') b(`=`b'') se(`=`se'') statistic(`=`z'') p(`=`p'') lb(`=`b' - `crit' * `se'') ub(`=`b' + `crit' * `se'') n(`=e(N)') r2(`=e(r2)')
end
'''.strip("\n")


class Header(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    template_version: str
    content_sha256: str
    plan_id: str
    stata_min_version: float


def _version(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def prologue(header: Header) -> list[str]:
    columns = ",".join(RESULTS_COLUMNS)
    return [
        "* ==== SS rendered do-file: generated, do not edit ====",
        f"* template {header.template_id} {header.template_version} "
        f"sha256:{header.content_sha256}",
        f"* plan {header.plan_id}",
        f"version {_version(header.stata_min_version)}",
        "set more off",
        "set linesize 120",
        "capture set graphics off",
        f"capture log close {LOG_NAME}",
        f'log using "{ANALYSIS_LOG}", text replace name({LOG_NAME})',
        *_PROGRAMS.splitlines(),
        "tempname ss_fh",
        f'file open `ss_fh\' using "{RESULTS_FILE}", write replace',
        f'file write `ss_fh\' "{columns}" _n',
        "file close `ss_fh'",
        f'use "{PRIMARY_DTA}", clear',
    ]


LEVEL_PARAM = "level"


def settings(param_names: frozenset[str] | set[str]) -> list[str]:
    """House settings that follow the parameter preamble.

    A template with a ``level`` parameter gets ``set level``, so that the confidence interval
    ``ss_coef`` writes to the results file (which uses ``c(level)``) matches the level of the
    template's own tables.
    """
    if LEVEL_PARAM not in param_names:
        return []
    return [
        "* ---- house settings ----",
        f'if "`{LEVEL_PARAM}\'" != "" {{',
        f"    set level `{LEVEL_PARAM}'",
        "}",
    ]


def epilogue() -> list[str]:
    return [
        "* ==== end of template body ====",
        f'display as text "{DONE_MARKER}"',
        f"capture log close {LOG_NAME}",
    ]
