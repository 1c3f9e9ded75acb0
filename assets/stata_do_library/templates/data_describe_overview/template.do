display as text "SS_STEP 1: dataset description"
describe, short
{% if has.variables %}
local ss_vars `variables'
{% else %}
quietly ds
local ss_vars `r(varlist)'
{% endif %}
local ss_nobs = _N
local ss_nvars : word count `ss_vars'

display as text "SS_STEP 2: variable overview"
describe `ss_vars'
tempname ph
tempfile overview
postfile `ph' str32 variable str10 storage str244 label str8 kind double(n_nonmissing n_missing pct_missing n_distinct mean sd min max) using "`overview'", replace
mata: ss_labels = J(0, 1, "")
foreach v of local ss_vars {
    local st : type `v'
    mata: ss_labels = ss_labels \ usubstr(st_varlabel("`v'"), 1, 60)
    quietly count if missing(`v')
    local nmiss = r(N)
    local ndist = .
    tempvar first
    capture {
        bysort `v': generate byte `first' = (_n == 1) if !missing(`v')
        count if `first' == 1
        local ndist = r(N)
    }
    capture drop `first'
    local kind string
    local mean = .
    local sd = .
    local min = .
    local max = .
    capture confirm numeric variable `v'
    if _rc == 0 {
        local kind numeric
        quietly summarize `v'
        local mean = r(mean)
        local sd = r(sd)
        local min = r(min)
        local max = r(max)
    }
    local nnon = `ss_nobs' - `nmiss'
    local pmiss = cond(`ss_nobs' > 0, 100 * `nmiss' / max(`ss_nobs', 1), .)
    post `ph' ("`v'") ("`st'") ("") ("`kind'") (`nnon') (`nmiss') (`pmiss') (`ndist') (`mean') (`sd') (`min') (`max')
    ss_res, step(overview) term(`v') b(`mean') statistic(`pmiss') n(`nnon')
}
postclose `ph'

display as text "SS_STEP 3: export overview table"
preserve
clear
quietly append using "`overview'"
mata: st_sstore(., "label", ss_labels)
export delimited using "data_overview.csv", replace
capture noisily export excel using "data_overview.xlsx", firstrow(variables) replace
restore
ss_res, step(dataset) term(observations) n(`ss_nobs')
ss_res, step(dataset) term(variables) b(`ss_nvars') n(`ss_nobs')
