display as text "SS_STEP 1: estimation sample and outcome check"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `endogenous' `instruments' `controls'
capture assert inlist(`outcome', 0, 1) if `touse'
if _rc {
    display as error "the outcome `outcome' must be coded 0/1"
    error 450
}
quietly count if `touse'
ss_res, step(sample) term(observations) b(`r(N)') n(`r(N)')

display as text "SS_STEP 2: IV probit for the binary outcome (`estimator')"
{% if opt.estimator == "twostep" %}
ivprobit `outcome' `controls' `ss_fe' (`endogenous' = `instruments') if `touse', twostep first level(`level')
{% else %}
ivprobit `outcome' `controls' `ss_fe' (`endogenous' = `instruments') if `touse', `ss_vce' first level(`level')
{% endif %}
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "ivprobit" "`endogenous'"
local ss_n = e(N)
capture noisily ss_res, step(exogeneity_test) term(wald_chi2) statistic(`=e(chi2_exog)') p(`=e(p_exog)') n(`ss_n')

display as text "SS_STEP 3: first-stage strength of the excluded instruments"
capture noisily {
    regress `endogenous' `instruments' `controls' `ss_fe' if `touse', `ss_vce'
    test `instruments'
    ss_res, step(first_stage) term(excluded_instruments_F) statistic(`=r(F)') p(`=r(p)') b(`=r(df)') n(`=e(N)')
}

display as text "SS_STEP 4: average marginal effect of `endogenous' on Pr(`outcome' = 1)"
{% if opt.estimator == "ml" %}
capture noisily {
    quietly estimates restore ss_m1
    margins, dydx(`endogenous') predict(pr)
    tempname me
    matrix `me' = r(table)
    ss_res, step(average_marginal_effect) term(`endogenous') b(`=`me'[1, 1]') se(`=`me'[2, 1]') statistic(`=`me'[3, 1]') p(`=`me'[4, 1]') lb(`=`me'[5, 1]') ub(`=`me'[6, 1]') n(`ss_n')
}
{% else %}
display as text "two-step estimates are scaled coefficients: marginal effects are reported for the ML estimator only"
{% endif %}

display as text "SS_STEP 5: probit ignoring endogeneity (comparison)"
local ss_models ss_m1
capture noisily {
    probit `outcome' `endogenous' `controls' `ss_fe' if `touse', `ss_vce' level(`level')
    estimates store ss_m0
    ss_coef "probit_exogenous" "`endogenous'"
    local ss_models ss_m1 ss_m0
}

display as text "SS_STEP 6: coefficient table"
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
quietly drop if strpos(term, "__") > 0
export delimited using "ivprobit_coefficients.csv", replace
restore
display as text "SS_STEP 7: publication table: IV probit and plain probit (xlsx, tex, docx)"
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`cluster')
