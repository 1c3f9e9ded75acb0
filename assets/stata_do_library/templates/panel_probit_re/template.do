display as text "SS_STEP 1: panel structure and variance estimator"
xtset `unit_id' `time'
{% if has.clustvar %}
local ss_cl `clustvar'
{% else %}
local ss_cl `unit_id'
{% endif %}
display as text "standard errors clustered by `ss_cl'"
local ss_means
{% if opt.mundlak %}
display as text "correlated random effects: unit means of the regressors and controls added"
foreach v of varlist `regressors' `controls' {
    tempvar ss_mv
    quietly bysort `unit_id': egen double `ss_mv' = mean(`v') `ss_if'
    local ss_means `ss_means' `ss_mv'
}
{% endif %}

display as text "SS_STEP 2: random-effects probit"
xtprobit `depvar' `regressors' `controls' `ss_means' `ss_fe' `ss_if', re vce(cluster `ss_cl') level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_rho = e(rho)
local ss_sigu = e(sigma_u)

display as text "SS_STEP 3: key coefficients and the unit-variance share"
foreach v of local regressors {
    capture noisily ss_coef "probit_re" "`v'"
}
ss_res, step(model_fit) term(rho_share_unit_variance) b(`ss_rho') n(`ss_n')
ss_res, step(model_fit) term(sigma_u) b(`ss_sigu') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
{% if opt.mundlak %}
capture noisily {
    test `ss_means'
    ss_res, step(mundlak_test) term(unit_means_jointly_zero) statistic(`=r(chi2)') p(`=r(p)') n(`ss_n')
}
{% endif %}

display as text "SS_STEP 4: average marginal effects on Pr(outcome = 1)"
margins, dydx(`regressors' `controls') predict(pr) level(`level')
matrix `me' = r(table)'
local ss_rterms : colnames r(table)
local ss_i = 0
foreach t of local ss_rterms {
    local ss_i = `ss_i' + 1
    if `me'[`ss_i', 2] < . & `me'[`ss_i', 2] > 0 {
        ss_res, step(marginal_effect) term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 5: likelihood-ratio test of rho = 0 against a pooled probit (conventional standard errors)"
capture noisily {
    quietly xtprobit `depvar' `regressors' `controls' `ss_means' `ss_fe' `ss_if', re
    local ss_chic = e(chi2_c)
    ss_res, step(lr_test_rho) term(chibar2_01) statistic(`ss_chic') p(`=0.5 * chi2tail(1, `ss_chic')') n(`=e(N)')
}

display as text "SS_STEP 6: coefficient and marginal-effect tables"
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
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "panel_probit_coefficients.csv", replace
restore
preserve
clear
local ss_terms : rownames `me'
local ss_k = rowsof(`me')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `me', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "panel_probit_marginal_effects.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`ss_cl')
