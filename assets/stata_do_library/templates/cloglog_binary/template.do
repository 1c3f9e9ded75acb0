display as text "SS_STEP 1: variance estimator"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: complementary log-log regression"
cloglog `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
local ss_ll = e(ll)
local ss_ll0 = e(ll_0)

display as text "SS_STEP 3: key coefficients, exp(b) and model fit"
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily ss_coef "cloglog" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(hazard_ratio) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
capture noisily ss_res, step(model_fit) term(pseudo_r2) b(`=1 - `ss_ll' / `ss_ll0'') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`=1 - `ss_ll' / `ss_ll0'')

display as text "SS_STEP 4: average marginal effects on Pr(outcome = 1)"
margins, dydx(`regressors' `controls') level(`level')
matrix `me' = r(table)'
local ss_mterms : rownames `me'
local ss_i = 0
foreach t of local ss_mterms {
    local ss_i = `ss_i' + 1
    if `me'[`ss_i', 2] < . & `me'[`ss_i', 2] > 0 {
        ss_res, step(marginal_effect) term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 5: coefficient and marginal-effect tables"
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
quietly generate double hazard_ratio = exp(b)
quietly generate double hr_ll = exp(ll)
quietly generate double hr_ul = exp(ul)
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "cloglog_coefficients.csv", replace
restore
preserve
clear
local ss_k = rowsof(`me')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `me', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_mterms''" in `i'
}
export delimited using "cloglog_marginal_effects.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
