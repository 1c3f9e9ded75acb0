display as text "SS_STEP 1: outcome range and variance estimator"
quietly count if (`depvar' < 0 | `depvar' > 1) & !missing(`depvar')
if r(N) > 0 {
    display as error "a fractional response must lie in [0, 1]: `depvar' has `r(N)' values outside (rescale a percentage by 1/100 first)"
    error 459
}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: fractional `link' regression (quasi-likelihood)"
fracreg `link' `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients, model fit and boundary shares"
foreach v of local regressors {
    capture noisily ss_coef "fracreg" "`v'"
}
capture noisily ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')
quietly count if `insample' & `depvar' == 0
ss_res, step(boundary) term(obs_at_zero) b(`=r(N)') n(`ss_n')
quietly count if `insample' & `depvar' == 1
ss_res, step(boundary) term(obs_at_one) b(`=r(N)') n(`ss_n')

display as text "SS_STEP 4: average marginal effects on the expected share"
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
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "fracreg_coefficients.csv", replace
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
export delimited using "fracreg_marginal_effects.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
