display as text "SS_STEP 1: panel structure, estimation sample and variance estimator"
xtset `unit_id' `time'
{% if has.clustvar %}
local vceopt vce(cluster `clustvar'){% if opt.cluster_nonest %} nonest dfadj{% endif %}
local ss_clname `clustvar'
{% else %}
local vceopt vce(cluster `unit_id')
local ss_clname `unit_id'
{% endif %}
tempvar touse
mark `touse' `ss_if'
markout `touse' `depvar' `regressors' `controls' `unit_id' `time'

display as text "SS_STEP 2: unit means of the time-varying regressors (Mundlak terms)"
local ss_means
local ss_meannames
local j = 0
foreach v of varlist `regressors' `controls' {
    local j = `j' + 1
    tempvar ss_sd`j' ss_mean`j'
    quietly bysort `unit_id': egen double `ss_sd`j'' = sd(`v') if `touse'
    quietly summarize `ss_sd`j'', meanonly
    if r(max) > 0 & r(max) < . {
        quietly bysort `unit_id': egen double `ss_mean`j'' = mean(`v') if `touse'
        local ss_means `ss_means' `ss_mean`j''
        local ss_meannames `ss_meannames' `v'
    }
    else {
        display as text "`v' does not vary within units: it enters without a unit mean"
    }
}
local ss_kmeans : word count `ss_means'
if `ss_kmeans' == 0 {
    display as error "no regressor varies within the panel units: fixed and random effects cannot be compared"
    error 459
}

display as text "SS_STEP 3: correlated random-effects regression with cluster-robust standard errors"
xtreg `depvar' `regressors' `controls' `ss_means' `ss_fe' if `touse', re `vceopt' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
foreach v of local regressors {
    ss_coef "within_effect" "`v'"
}

display as text "SS_STEP 4: Mundlak test, H0: the unit means have zero coefficients (random effects consistent)"
test `ss_means'
local ss_chi2 = r(chi2)
local ss_df = r(df)
local ss_p = r(p)
ss_res, step(mundlak_test) term(robust_wald_chi2) statistic(`ss_chi2') p(`ss_p') n(`ss_n')
ss_res, step(mundlak_test) term(df) b(`ss_df') n(`ss_n')
if `ss_p' < 0.05 {
    local ss_verdict fixed_effects
    display as result "the unit means matter (p < 0.05): the unit effects are correlated with the regressors, use fixed effects"
}
else {
    local ss_verdict random_effects
    display as result "no evidence against random effects at the 5% level"
}
local k = 0
foreach m of local ss_means {
    local k = `k' + 1
    local ss_src : word `k' of `ss_meannames'
    ss_res, step(mundlak_mean_coef) term(mean_`ss_src') b(`=_b[`m']') se(`=_se[`m']') n(`ss_n')
}

display as text "SS_STEP 5: classical Hausman test for comparison (valid only under homoskedastic, serially uncorrelated errors)"
local ss_hchi2 = .
local ss_hp = .
capture noisily {
    quietly xtreg `depvar' `regressors' `controls' `ss_fe' if `touse', fe
    estimates store ss_fe_h
    quietly xtreg `depvar' `regressors' `controls' `ss_fe' if `touse', re
    estimates store ss_re_h
    hausman ss_fe_h ss_re_h, sigmamore
    local ss_hchi2 = r(chi2)
    local ss_hp = r(p)
    ss_res, step(classical_hausman) term(chi2) statistic(`ss_hchi2') p(`ss_hp') n(`ss_n')
}

display as text "SS_STEP 6: test and coefficient tables"
preserve
clear
quietly set obs 2
generate str24 test = ""
quietly replace test = "mundlak_cluster_robust" in 1
quietly replace test = "classical_hausman" in 2
generate double chi2 = .
quietly replace chi2 = `ss_chi2' in 1
quietly replace chi2 = `ss_hchi2' in 2
generate double df = `ss_df'
generate double p_value = .
quietly replace p_value = `ss_p' in 1
quietly replace p_value = `ss_hp' in 2
generate str16 verdict_5pct = ""
quietly replace verdict_5pct = "`ss_verdict'" in 1
generate long n_obs = `ss_n'
generate long n_units = `ss_ng'
export delimited using "mundlak_test.csv", replace
restore
preserve
clear
local ss_terms : rownames `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
local k = 0
foreach m of local ss_means {
    local k = `k' + 1
    quietly replace term = "mean_`: word `k' of `ss_meannames''" if term == "`m'"
}
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "mundlak_coefficients.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx; the unit means are left out)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`ss_clname')
