display as text "SS_STEP 1: the two outcomes and variance estimator"
local ss_y1 : word 1 of `outcomes'
local ss_y2 : word 2 of `outcomes'
display as text "equation 1: `ss_y1'; equation 2: `ss_y2'"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: bivariate probit"
biprobit `ss_y1' `ss_y2' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_rho = e(rho)
local ss_chic = e(chi2_c)
local ss_ll = e(ll)

display as text "SS_STEP 3: key coefficients of both equations and the test of rho = 0"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_t : word `i' of `ss_terms'
    local ss_e : word `i' of `ss_eqs'
    local ss_hit : list ss_t in regressors
    if `ss_hit' {
        ss_res, step(`ss_e') term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
ss_res, step(rho_test) term(rho) b(`ss_rho') statistic(`ss_chic') p(`=chi2tail(1, `ss_chic')') n(`ss_n')

display as text "SS_STEP 4: average marginal effects on Pr(both outcomes = 1)"
margins, dydx(`regressors' `controls') predict(p11) level(`level')
matrix `me' = r(table)'
local ss_mterms : rownames `me'
local ss_i = 0
foreach t of local ss_mterms {
    local ss_i = `ss_i' + 1
    if `me'[`ss_i', 2] < . & `me'[`ss_i', 2] > 0 {
        ss_res, step(marginal_effect_p11) term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 5: coefficient and marginal-effect tables"
preserve
clear
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
export delimited using "biprobit_coefficients.csv", replace
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
export delimited using "biprobit_marginal_effects.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
