display as text "SS_STEP 1: panel structure and estimation sample"
tempvar touse te
mark `touse' `ss_if'
markout `touse' `outcome' `regressors' `controls' `unit_id' `time'
xtset `unit_id' `time'

display as text "SS_STEP 2: panel stochastic frontier (xtfrontier, `model')"
{% if opt.function == "cost" %}
xtfrontier `outcome' `regressors' `controls' `ss_fe' if `touse', `model' cost level(`level')
{% else %}
xtfrontier `outcome' `regressors' `controls' `ss_fe' if `touse', `model' level(`level')
{% endif %}
estimates store ss_m1
local ss_n = e(N)
foreach v of local regressors {
    ss_coef "xtfrontier" "`v'"
}
ss_res, step(variance) term(sigma_u) b(`=e(sigma_u)') n(`ss_n')
ss_res, step(variance) term(sigma_v) b(`=e(sigma_v)') n(`ss_n')
ss_res, step(variance) term(gamma) b(`=e(gamma)') n(`ss_n')
ss_res, step(panel) term(units) b(`=e(N_g)') n(`ss_n')
{% if opt.model == "tvd" %}
capture noisily {
    local ss_eta = _b[/eta]
    local ss_seta = _se[/eta]
    ss_res, step(time_decay) term(eta) b(`ss_eta') se(`ss_seta') statistic(`=`ss_eta' / `ss_seta'') p(`=2 * normal(-abs(`ss_eta' / `ss_seta'))') n(`ss_n')
}
{% endif %}

display as text "SS_STEP 3: technical efficiency by unit and period"
predict double `te' if e(sample), te
quietly summarize `te'
ss_res, step(efficiency) term(mean_efficiency) b(`=r(mean)') se(`=r(sd)') lb(`=r(min)') ub(`=r(max)') n(`=r(N)')
preserve
quietly keep if !missing(`te')
keep `unit_id' `time' `te'
rename `te' efficiency
export delimited using "xtfrontier_efficiency.csv", replace
collapse (mean) mean_efficiency = efficiency (sd) sd_efficiency = efficiency (count) n_obs = efficiency, by(`time')
export delimited using "xtfrontier_efficiency_by_period.csv", replace
capture noisily {
    twoway line mean_efficiency `time', sort title("Mean technical efficiency by period")
    graph export "xtfrontier_efficiency_trend.png", replace width(1600)
}
restore

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
