display as text "SS_STEP 1: panel structure and variance estimator"
xtset `unit_id' `time'
{% if has.clustvar %}
local ss_vceopt vce(cluster `clustvar')
local ss_cl `clustvar'
{% else %}
local ss_vceopt vce(robust)
local ss_cl `unit_id'
{% endif %}
display as text "standard errors clustered by `ss_cl' (robust to overdispersion and within-unit correlation)"

display as text "SS_STEP 2: fixed-effects Poisson regression"
xtpoisson `depvar' `regressors' `controls' `ss_fe' `ss_if', fe `ss_vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
tempvar insample ss_tag ss_tot
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients and incidence-rate ratios"
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily ss_coef "poisson_fe" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(irr) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
ss_res, step(model_fit) term(wald_chi2) statistic(`ss_chi2') p(`ss_pm') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')

display as text "SS_STEP 4: units dropped because their outcome is always zero"
capture noisily {
    quietly bysort `unit_id': egen double `ss_tot' = total(`depvar') `ss_if'
    quietly egen byte `ss_tag' = tag(`unit_id') `ss_if'
    quietly count if `ss_tag' == 1 & `ss_tot' == 0
    ss_res, step(sample) term(units_all_zero_dropped) b(`=r(N)') n(`ss_n')
}

display as text "SS_STEP 5: coefficient table with incidence-rate ratios"
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
quietly generate double irr = exp(b)
quietly generate double irr_ll = exp(ll)
quietly generate double irr_ul = exp(ul)
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "panel_poisson_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit_id' `ss_fe_names') cluster(`ss_cl')
