display as text "SS_STEP 1: declare the time series"
tsset `time'

display as text "SS_STEP 2: OLS regression whose coefficients are tested for a break"
regress `depvar' `regressors'
local ss_n = e(N)
foreach v of local regressors {
    ss_coef "ols" "`v'"
}

display as text "SS_STEP 3: supremum Wald test for a break at an unknown date (H0: no structural break)"
tempvar ss_w
estat sbsingle, trim(`trim') generate(`ss_w')
local ss_chi2 = r(chi2)
local ss_p = r(p)
local ss_df = r(df)
local ss_bdate `"`r(breakdate)'"'
quietly summarize `ss_w', meanonly
local ss_wmax = r(max)
quietly summarize `time' if `ss_w' == `ss_wmax', meanonly
local ss_bt = r(min)
ss_res, step(sbsingle) term(supremum_wald) statistic(`ss_chi2') p(`ss_p') n(`ss_n')
ss_res, step(sbsingle) term(estimated_break_period) b(`ss_bt') n(`ss_n')
display as result "estimated break date: `ss_bdate' (supremum Wald chi2(`ss_df') = " %9.3f `ss_chi2' ", p = " %6.4f `ss_p' ")"

display as text "SS_STEP 4: Wald test at the known break date"
local ss_kchi2 = .
local ss_kp = .
local ss_kdf = .
{% if has.break_period %}
estat sbknown, break(`break_period')
local ss_kchi2 = r(chi2)
local ss_kp = r(p)
local ss_kdf = r(df)
ss_res, step(sbknown) term(wald_at_`break_period') statistic(`ss_kchi2') p(`ss_kp') n(`ss_n')
{% else %}
display as text "no known break date given: skipped"
{% endif %}

display as text "SS_STEP 5: test table and the Wald statistic of each candidate date"
preserve
clear
quietly set obs 2
generate str16 test = ""
quietly replace test = "supremum_wald" in 1
quietly replace test = "known_date_wald" in 2
generate double chi2 = .
quietly replace chi2 = `ss_chi2' in 1
quietly replace chi2 = `ss_kchi2' in 2
generate double df = .
quietly replace df = `ss_df' in 1
quietly replace df = `ss_kdf' in 2
generate double p_value = .
quietly replace p_value = `ss_p' in 1
quietly replace p_value = `ss_kp' in 2
generate double break_period = .
quietly replace break_period = `ss_bt' in 1
{% if has.break_period %}
quietly replace break_period = `break_period' in 2
{% endif %}
generate str24 break_label = ""
quietly replace break_label = `"`ss_bdate'"' in 1
quietly drop if missing(chi2)
generate long n_obs = `ss_n'
export delimited using "structural_break_tests.csv", replace
restore
capture noisily {
    twoway line `ss_w' `time' if !missing(`ss_w'), xline(`ss_bt', lpattern(dash)) ytitle("Wald statistic") xtitle("candidate break date") title("Single-break Wald statistics")
    graph export "structural_break_wald.png", replace width(1600)
}
