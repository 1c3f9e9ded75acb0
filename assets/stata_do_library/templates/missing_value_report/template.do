display as text "SS_STEP 1: variables to check"
{% if has.variables %}
local ss_vars `variables'
{% else %}
quietly ds
local ss_vars `r(varlist)'
{% endif %}
local ss_nobs = _N
local ss_k : word count `ss_vars'

display as text "SS_STEP 2: missing values per variable"
tempname ph
tempfile misstab
postfile `ph' long position str32 variable str10 storage double(n_missing pct_missing n_nonmissing) using "`misstab'", replace
local pos 0
foreach v of local ss_vars {
    local pos = `pos' + 1
    local st : type `v'
    quietly count if missing(`v')
    local nmiss = r(N)
    local pmiss = cond(`ss_nobs' > 0, 100 * `nmiss' / max(`ss_nobs', 1), .)
    post `ph' (`pos') ("`v'") ("`st'") (`nmiss') (`pmiss') (`ss_nobs' - `nmiss')
    ss_res, step(missing) term(`v') b(`pmiss') statistic(`nmiss') n(`ss_nobs')
}
postclose `ph'
preserve
clear
quietly append using "`misstab'"
gsort -n_missing position
export delimited using "missing_summary.csv", replace
capture noisily export excel using "missing_summary.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 3: missing values per observation"
tempvar nmiss_row
quietly generate long `nmiss_row' = 0
foreach v of local ss_vars {
    quietly replace `nmiss_row' = `nmiss_row' + missing(`v')
}
quietly count if `nmiss_row' == 0
local ss_complete = r(N)
local ss_pcomplete = cond(`ss_nobs' > 0, 100 * `ss_complete' / max(`ss_nobs', 1), .)
ss_res, step(observations) term(complete_cases) b(`ss_pcomplete') statistic(`ss_complete') n(`ss_nobs')
preserve
contract `nmiss_row', freq(n_obs) percent(pct_obs)
rename `nmiss_row' n_missing_in_row
sort n_missing_in_row
export delimited using "missing_per_row.csv", replace
restore

display as text "SS_STEP 4: missing-value patterns"
if `ss_k' <= 2000 {
    tempvar pattern
    quietly generate str`ss_k' `pattern' = ""
    foreach v of local ss_vars {
        quietly replace `pattern' = `pattern' + cond(missing(`v'), "M", "O")
    }
    preserve
    contract `pattern', freq(n_obs) percent(pct_obs)
    rename `pattern' pattern
    gsort -n_obs pattern
    if _N > `max_patterns' {
        quietly keep in 1/`max_patterns'
    }
    capture noisily export delimited using "missing_patterns.csv", replace
    restore
}
else {
    display as text "more than 2000 variables: the pattern table is skipped"
}
