display as text "SS_STEP 1: estimation sample"
tempvar touse te
mark `touse' `ss_if'
markout `touse' `outcome' `regressors' `controls'

display as text "SS_STEP 2: stochastic frontier (frontier, `distribution' inefficiency)"
{% if opt.function == "cost" %}
frontier `outcome' `regressors' `controls' `ss_fe' if `touse', distribution(`distribution') cost level(`level')
{% else %}
frontier `outcome' `regressors' `controls' `ss_fe' if `touse', distribution(`distribution') level(`level')
{% endif %}
estimates store ss_m1
local ss_n = e(N)
local ss_su = e(sigma_u)
local ss_sv = e(sigma_v)
local ss_lr = e(chi2_c)
foreach v of local regressors {
    ss_coef "frontier" "`v'"
}
ss_res, step(variance) term(sigma_u) b(`ss_su') n(`ss_n')
ss_res, step(variance) term(sigma_v) b(`ss_sv') n(`ss_n')
ss_res, step(variance) term(lambda_su_over_sv) b(`=`ss_su' / `ss_sv'') n(`ss_n')
ss_res, step(variance) term(gamma_share_of_inefficiency) b(`=`ss_su'^2 / (`ss_su'^2 + `ss_sv'^2)') n(`ss_n')
* LR test of no inefficiency (sigma_u = 0): the null is on the boundary, so the p-value of
* the mixed chi-squared is half the chi2(1) tail (reported for the one-parameter cases).
{% if opt.distribution == "tnormal" %}
ss_res, step(lr_test_no_inefficiency) term(sigma_u_zero) statistic(`ss_lr') n(`ss_n')
{% else %}
ss_res, step(lr_test_no_inefficiency) term(sigma_u_zero) statistic(`ss_lr') p(`=0.5 * chi2tail(1, `ss_lr')') n(`ss_n')
{% endif %}

display as text "SS_STEP 3: technical (or cost) efficiency of each observation"
predict double `te' if e(sample), te
quietly summarize `te'
ss_res, step(efficiency) term(mean_efficiency) b(`=r(mean)') se(`=r(sd)') lb(`=r(min)') ub(`=r(max)') n(`=r(N)')
preserve
quietly keep if !missing(`te')
keep `outcome' `regressors' `controls' `te'
rename `te' efficiency
export delimited using "frontier_efficiency.csv", replace
capture noisily {
    histogram efficiency, fraction title("Efficiency scores")
    graph export "frontier_efficiency_hist.png", replace width(1600)
}
restore

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
