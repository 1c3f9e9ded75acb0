display as text "SS_STEP 1: specification settings"
local rhs `treatvar' `controls'
{% if has.clustvar %}
local vcebase vce(cluster `clustvar')
{% else %}
{% if has.unit_id %}
local vcebase vce(cluster `unit_id')
{% else %}
local vcebase vce(robust)
{% endif %}
{% endif %}
{% if has.alt_clustvar %}
tempvar ss_altc
quietly egen long `ss_altc' = group(`alt_clustvar')
local vcealt vce(cluster `ss_altc')
{% endif %}
local ss_plo = `trim_pct'
local ss_phi = 100 - `trim_pct'
tempname res row
local ss_specs

display as text "SS_STEP 2: baseline specification"
regress `depvar' `rhs', `vcebase'
local ss_specs `ss_specs' baseline
ss_coef "baseline" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = nullmat(`res') \ `row'
{% if has.unit_id %}
areg `depvar' `rhs', absorb(`unit_id') `vcebase'
local ss_specs `ss_specs' unit_fixed_effects
ss_coef "unit_fixed_effects" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = `res' \ `row'
{% endif %}

display as text "SS_STEP 3: sample without the top and bottom tails of the outcome"
_pctile `depvar', percentiles(`ss_plo' `ss_phi')
local ss_lo = r(r1)
local ss_hi = r(r2)
{% if has.unit_id %}
areg `depvar' `rhs' if inrange(`depvar', `ss_lo', `ss_hi'), absorb(`unit_id') `vcebase'
{% else %}
regress `depvar' `rhs' if inrange(`depvar', `ss_lo', `ss_hi'), `vcebase'
{% endif %}
local ss_specs `ss_specs' trimmed_outcome
ss_coef "trimmed_outcome" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = `res' \ `row'

display as text "SS_STEP 4: winsorised outcome, key regressor and controls"
preserve
foreach v of varlist `depvar' `rhs' {
    quietly _pctile `v', percentiles(`ss_plo' `ss_phi')
    local ss_wlo = r(r1)
    local ss_whi = r(r2)
    local ss_st : type `v'
    if inlist("`ss_st'", "byte", "int", "long") {
        quietly recast double `v'
    }
    quietly replace `v' = `ss_wlo' if `v' < `ss_wlo'
    quietly replace `v' = `ss_whi' if `v' > `ss_whi' & !missing(`v')
}
{% if has.unit_id %}
areg `depvar' `rhs', absorb(`unit_id') `vcebase'
{% else %}
regress `depvar' `rhs', `vcebase'
{% endif %}
local ss_specs `ss_specs' winsorised
ss_coef "winsorised" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = `res' \ `row'
restore

{% if has.alt_clustvar %}
display as text "SS_STEP 5: alternative clustering of the standard errors"
quietly summarize `ss_altc', meanonly
if r(max) < 10 {
    display as text "warning: only `r(max)' clusters of `alt_clustvar'; cluster-robust standard errors are unreliable with few clusters"
}
{% if has.unit_id %}
areg `depvar' `rhs', absorb(`unit_id') `vcealt'
{% else %}
regress `depvar' `rhs', `vcealt'
{% endif %}
local ss_specs `ss_specs' alternative_se
ss_coef "alternative_se" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = `res' \ `row'
{% else %}
display as text "SS_STEP 5: alternative clustering skipped (no alternative cluster variable bound)"
{% endif %}
{% if has.controls %}

display as text "SS_STEP 6: specification without controls"
{% if has.unit_id %}
areg `depvar' `treatvar', absorb(`unit_id') `vcebase'
{% else %}
regress `depvar' `treatvar', `vcebase'
{% endif %}
local ss_specs `ss_specs' no_controls
ss_coef "no_controls" "`treatvar'"
matrix `row' = (_b[`treatvar'], _se[`treatvar'], e(N), e(r2))
matrix `res' = `res' \ `row'
{% endif %}

display as text "SS_STEP 7: combined robustness table"
matrix colnames `res' = b se n_obs r2
matrix rownames `res' = `ss_specs'
preserve
clear
local ss_k = rowsof(`res')
quietly set obs `ss_k'
quietly generate str40 specification = ""
quietly svmat double `res', names(col)
forvalues i = 1/`ss_k' {
    quietly replace specification = "`: word `i' of `ss_specs''" in `i'
}
quietly generate str32 term = "`treatvar'"
quietly generate double t = b / se
quietly generate double ratio_to_baseline = b / b[1]
order specification term b se t n_obs r2 ratio_to_baseline
export delimited using "robustness_table.csv", replace
capture noisily export excel using "robustness_table.xlsx", firstrow(variables) replace
restore
