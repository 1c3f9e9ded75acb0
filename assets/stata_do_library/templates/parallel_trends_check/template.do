display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse'
markout `touse' `outcome' `treated' `time' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar ss_cl
quietly egen long `ss_cl' = group(`cluster') if `touse'
local vceopt vce(cluster `ss_cl')
display as text "standard errors clustered by `cluster'"
{% elif has.unit_id %}
markout `touse' `unit_id', strok
tempvar ss_cl
quietly egen long `ss_cl' = group(`unit_id') if `touse'
local vceopt vce(cluster `ss_cl')
display as text "standard errors clustered by the panel unit `unit_id' (serial correlation within units)"
{% else %}
local vceopt vce(robust)
display as text "heteroskedasticity-robust standard errors (no unit or cluster variable bound)"
{% endif %}
tempvar ss_tid
quietly egen long `ss_tid' = group(`time') if `touse'

assert inlist(`treated', 0, 1) if `touse'
quietly count if `touse' & `time' < `treatment_period'
if r(N) == 0 {
    display as error "no observations before the treatment period `treatment_period'"
    error 2000
}

display as text "SS_STEP 2: group means over time"
preserve
quietly keep if `touse'
collapse (mean) mean_outcome = `outcome' (count) n_obs = `outcome', by(`treated' `time')
export delimited using "group_means_by_time.csv", replace
quietly reshape wide mean_outcome n_obs, i(`time') j(`treated')
capture noisily twoway (connected mean_outcome1 `time') (connected mean_outcome0 `time'), xline(`treatment_period', lpattern(dash)) ytitle("Mean of `outcome'") legend(order(1 "Treated" 2 "Control")) title("Group means over time")
capture noisily graph export "parallel_trends.png", replace width(1600)
restore

display as text "SS_STEP 3: pre-period differential linear trend"
regress `outcome' i.`treated'##c.`time' `controls' if `touse' & `time' < `treatment_period', `vceopt'
ss_coef "pre_trend_slope_difference" "1.`treated'#c.`time'"

display as text "SS_STEP 4: joint test of treated x pre-period interactions"
capture noisily {
    regress `outcome' i.`treated'##i.`ss_tid' `controls' if `touse' & `time' < `treatment_period', `vceopt'
    testparm i.`treated'#i.`ss_tid'
    ss_res, step(pre_trend_joint_test) term(treated_x_period) statistic(`=r(F)') p(`=r(p)') n(`=e(N)')
}
