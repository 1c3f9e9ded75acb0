"""The house prologue and epilogue every rendered do-file gets.

They are generated code, identical for every template except the version line and the
header: they pin the interpreter version, open the template's own named log, load the staged
primary dataset and define the result-writing programs templates use (``ss_res`` for any
row, ``ss_coef`` for one coefficient of the last estimation, ``ss_pubtable`` for the
publication table of stored models, ``ss_estadd`` to attach a statistic to the current
estimation results before it is stored). Templates therefore never open
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

capture program drop ss_estadd
program define ss_estadd, eclass
    version 14
    * Attach one statistic to the current estimation results (e.g. a first-stage F computed
    * by a postestimation command) so that a stored model carries it into ss_pubtable.
    args name value
    ereturn scalar `name' = `value'
end

capture program drop ss_pubtable
program define ss_pubtable
    version 14
    syntax namelist(name=models) [, FE(string) CLuster(string)]
    * One column per stored model: coefficients with stars, standard errors in parentheses,
    * fixed-effect and cluster indicator rows, model statistics (quantile, rho/lambda,
    * first-stage F), N and R-squared (pseudo R-squared for ML).
    * Written as publication_table.xlsx and .tex, and .docx where putdocx exists (15+).
    local terms
    local anyml = 0
    foreach m of local models {
        quietly estimates restore `m'
        if e(r2) >= . {
            local anyml = 1
        }
        local names : colfullnames e(b)
        foreach t of local names {
            if strpos("`t'", "__") == 0 & strpos("`t'", "o.") == 0 {
                capture local ok = (_se[`t'] > 0 & _se[`t'] < .)
                if _rc == 0 {
                    if `ok' {
                        local seen : list t in terms
                        if !`seen' {
                            local terms `terms' `t'
                        }
                    }
                }
            }
        }
    }
    * Model-specific statistics, each a row when some model stored it: the quantile (qreg),
    * rho and lambda (heckman), the weak-instrument F (ivreg2) and the first-stage F a
    * template attached with ss_estadd (ivregress).
    local extras
    foreach s in q rho lambda widstat cdf ss_first_f {
        foreach m of local models {
            quietly estimates restore `m'
            * xtreg also stores an e(rho) (a variance share): selection rows are heckman's only
            capture local ok = (e(`s') < .) & ("`e(cmd)'" == "heckman" | !inlist("`s'", "rho", "lambda"))
            if _rc == 0 {
                if `ok' {
                    local seen : list s in extras
                    if !`seen' {
                        local extras `extras' `s'
                    }
                }
            }
        }
    }
    local nt : word count `terms'
    local nm : word count `models'
    local nfe : word count `fe'
    local nx : word count `extras'
    local last = 2 + 2 * `nt'
    local rows = `last' + `nfe' + ("`cluster'" != "") + `nx' + 2
    preserve
    clear
    quietly set obs `rows'
    quietly generate str244 c0 = ""
    quietly replace c0 = "Dependent variable" in 2
    local k = 0
    foreach t of local terms {
        local k = `k' + 1
        quietly replace c0 = "`t'" in `=1 + 2 * `k''
    }
    local r = `last'
    foreach f of local fe {
        local r = `r' + 1
        quietly replace c0 = "`f' FE" in `r'
    }
    if "`cluster'" != "" {
        local r = `r' + 1
        quietly replace c0 = "Clustered SE" in `r'
    }
    foreach s of local extras {
        local r = `r' + 1
        local label = cond("`s'" == "q", "Quantile", cond("`s'" == "rho", "rho (selection)", cond("`s'" == "lambda", "lambda (inverse Mills ratio)", cond("`s'" == "widstat", "Weak-IV F (ivreg2)", cond("`s'" == "cdf", "Cragg-Donald Wald F", "First-stage F")))))
        quietly replace c0 = "`label'" in `r'
    }
    quietly replace c0 = "N" in `=`rows' - 1'
    quietly replace c0 = cond(`anyml', "R-squared (pseudo for ML, within for panel FE)", "R-squared") in `rows'
    local j = 0
    foreach m of local models {
        local j = `j' + 1
        quietly estimates restore `m'
        quietly generate str244 c`j' = ""
        quietly replace c`j' = "(`j')" in 1
        quietly replace c`j' = "`e(depvar)'" in 2
        local k = 0
        foreach t of local terms {
            local k = `k' + 1
            capture local b = _b[`t']
            if _rc == 0 {
                local se = _se[`t']
                if `se' > 0 & `se' < . {
                    if e(df_r) < . {
                        local p = 2 * ttail(e(df_r), abs(`b' / `se'))
                    }
                    else {
                        local p = 2 * normal(-abs(`b' / `se'))
                    }
                    local star = cond(`p' < 0.01, "***", cond(`p' < 0.05, "**", cond(`p' < 0.1, "*", "")))
                    quietly replace c`j' = strtrim(string(`b', "%12.3f")) + "`star'" in `=1 + 2 * `k''
                    quietly replace c`j' = "(" + strtrim(string(`se', "%12.3f")) + ")" in `=2 + 2 * `k''
                }
            }
        }
        local r = `last'
        foreach f of local fe {
            local r = `r' + 1
            quietly replace c`j' = "Yes" in `r'
        }
        if "`cluster'" != "" {
            local r = `r' + 1
            quietly replace c`j' = "`cluster'" in `r'
        }
        foreach s of local extras {
            local r = `r' + 1
            capture local v = e(`s')
            if _rc == 0 {
                if `v' < . & ("`e(cmd)'" == "heckman" | !inlist("`s'", "rho", "lambda")) {
                    quietly replace c`j' = strtrim(string(`v', "%9.3f")) in `r'
                }
            }
        }
        quietly replace c`j' = strtrim(string(e(N), "%12.0fc")) in `=`rows' - 1'
        if e(r2) < . {
            quietly replace c`j' = strtrim(string(e(r2), "%6.3f")) in `rows'
        }
        else if e(r2_p) < . {
            quietly replace c`j' = strtrim(string(e(r2_p), "%6.3f")) in `rows'
        }
        else if e(r2_w) < . {
            quietly replace c`j' = strtrim(string(e(r2_w), "%6.3f")) in `rows'
        }
    }
    quietly export excel using "publication_table.xlsx", replace
    tempname fh
    local cols = "l" + `nm' * "c"
    file open `fh' using "publication_table.tex", write replace text
    file write `fh' "\begin{tabular}{`cols'}" _n "\hline" _n
    forvalues i = 1/`rows' {
        local line
        forvalues j = 0/`nm' {
            local cell = subinstr(subinstr(c`j'[`i'], "_", "\_", .), "#", "\#", .)
            local cell = subinstr(subinstr("`cell'", "&", "\&", .), "%", "\%", .)
            if `j' > 0 {
                local line `line' &
            }
            local line `line' `cell'
        }
        file write `fh' "`line' \\" _n
        if `i' == 2 | `i' == `last' {
            file write `fh' "\hline" _n
        }
    }
    file write `fh' "\hline" _n "\multicolumn{`=`nm' + 1'}{l}{Standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01}" _n "\end{tabular}" _n
    file close `fh'
    if c(stata_version) >= 15 {
        capture noisily {
            version 15: putdocx clear
            version 15: putdocx begin
            version 15: putdocx table ss_pub = data(c*)
            version 15: putdocx paragraph
            version 15: putdocx text ("Standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01")
            version 15: putdocx save "publication_table.docx", replace
        }
    }
    restore
end
'''.strip("\n")

PUBLICATION_OUTPUTS = ("publication_table.xlsx", "publication_table.tex",
                       "publication_table.docx")


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
