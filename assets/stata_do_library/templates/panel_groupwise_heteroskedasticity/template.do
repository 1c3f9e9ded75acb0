display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'

display as text "SS_STEP 2: fixed-effects (within) regression with conventional standard errors"
xtreg `depvar' `regressors' `controls', fe
local ss_n = e(N)
local ss_ng = e(N_g)
tempvar ss_e insample
quietly generate byte `insample' = e(sample)
quietly predict double `ss_e' if `insample', e

display as text "SS_STEP 3: modified Wald test for groupwise heteroskedasticity (H0: equal error variance in every unit)"
xttest3
local ss_w = r(wald)
local ss_df = r(df)
local ss_p = r(p)
ss_res, step(xttest3) term(modified_wald_chi2) statistic(`ss_w') p(`ss_p') n(`ss_n')
ss_res, step(xttest3) term(units) b(`ss_ng') n(`ss_n')
if `ss_p' < 0.05 {
    display as result "the error variance differs across units (p < 0.05): use cluster-robust, panel-corrected or FGLS standard errors"
    local ss_verdict heteroskedastic
}
else {
    display as result "no evidence of groupwise heteroskedasticity at the 5% level"
    local ss_verdict homoskedastic
}

display as text "SS_STEP 4: test table and residual variance of each unit"
preserve
clear
quietly set obs 1
generate double wald_chi2 = `ss_w'
generate long df = `ss_df'
generate double p_value = `ss_p'
generate long n_obs = `ss_n'
generate long n_units = `ss_ng'
generate str16 verdict_5pct = "`ss_verdict'"
export delimited using "groupwise_heteroskedasticity_test.csv", replace
restore
tempvar ss_e2
quietly generate double `ss_e2' = `ss_e'^2
preserve
quietly keep if `insample'
collapse (count) periods = `ss_e2' (mean) residual_variance = `ss_e2', by(`unit_id')
gsort -residual_variance
export delimited using "unit_residual_variances.csv", replace
restore
