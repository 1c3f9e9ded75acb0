display as text "SS_STEP 1: panel structure and estimation sample"
xtset `unit_id' `time'
tempvar touse
mark `touse'
markout `touse' `depvar' `regressors' `controls'

display as text "SS_STEP 2: first-differenced regression (unit effects removed)"
* Wooldridge's test: regress the first difference of the outcome on the first differences of
* the regressors (no constant), standard errors clustered by unit.
local ss_dx
foreach v of varlist `regressors' `controls' {
    local ss_dx `ss_dx' D.`v'
}
regress D.`depvar' `ss_dx' if `touse', noconstant vce(cluster `unit_id')
tempvar ss_e
quietly predict double `ss_e' if e(sample), residuals

display as text "SS_STEP 3: residual on its own lag; H0 (no serial correlation): coefficient = -0.5"
regress `ss_e' L.`ss_e', noconstant vce(cluster `unit_id')
local ss_b = _b[L.`ss_e']
local ss_se = _se[L.`ss_e']
local ss_n = e(N)
local ss_g = e(N_clust)
test L.`ss_e' = -0.5
local ss_f = r(F)
local ss_p = r(p)
local ss_df2 = r(df_r)
ss_res, step(wooldridge_serial) term(lag_residual_coef) b(`ss_b') se(`ss_se') n(`ss_n')
ss_res, step(wooldridge_serial) term(f_test_coef_eq_minus_half) statistic(`ss_f') p(`ss_p') n(`ss_g')
if `ss_p' < 0.05 {
    display as result "first-order serial correlation in the idiosyncratic errors is detected (p < 0.05): cluster standard errors by unit or model the dynamics"
}
else {
    display as result "no evidence of first-order serial correlation at the 5% level"
}

display as text "SS_STEP 4: test table"
preserve
clear
quietly set obs 1
generate double lag_residual_coef = `ss_b'
generate double se = `ss_se'
generate double f_statistic = `ss_f'
generate double df_denominator = `ss_df2'
generate double p_value = `ss_p'
generate long n_obs = `ss_n'
generate long n_units = `ss_g'
export delimited using "serial_correlation_test.csv", replace
restore
