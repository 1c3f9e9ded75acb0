display as text "SS_STEP 1: survival-time setup with the event of interest and the competing event"
if `event_code' == `competing_code' {
    display as error "the event of interest and the competing event need different codes"
    error 198
}
quietly count `ss_if' & `failure' == `competing_code'
if r(N) == 0 {
    display as error "no observation has the competing-event code `competing_code' in `failure'"
    error 2000
}
stset `duration', failure(`failure' == `event_code')
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
tempvar insample

display as text "SS_STEP 2: Fine-Gray competing-risks regression"
stcrreg `treatment' `controls' `ss_fe' `ss_if', compete(`failure' == `competing_code') `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: subdistribution hazard ratio and event counts"
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_b = _b[`treatment']
local ss_s = _se[`treatment']
ss_coef "stcrreg" "`treatment'"
ss_res, step(subhazard_ratio) term(`treatment') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
quietly count if `insample' & `failure' == `event_code'
ss_res, step(events) term(event_of_interest) b(`=r(N)') n(`ss_n')
quietly count if `insample' & `failure' == `competing_code'
ss_res, step(events) term(competing_event) b(`=r(N)') n(`ss_n')
quietly count if `insample' & `failure' != `event_code' & `failure' != `competing_code'
ss_res, step(events) term(censored) b(`=r(N)') n(`ss_n')

display as text "SS_STEP 4: coefficient table with subdistribution hazard ratios"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
quietly generate double shr = exp(b)
quietly generate double shr_ll = exp(ll)
quietly generate double shr_ul = exp(ul)
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "stcrreg_coefficients.csv", replace
restore

display as text "SS_STEP 5: cumulative incidence of the event of interest"
capture noisily {
    stcurve, cif title("Cumulative incidence at covariate means")
    graph export "cumulative_incidence.png", replace width(1600)
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
