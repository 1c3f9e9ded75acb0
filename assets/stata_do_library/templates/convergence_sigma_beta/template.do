display as text "SS_STEP 1: panel structure and the log of the variable"
tempvar touse lny last
mark `touse' `ss_if'
markout `touse' `outcome' `unit_id' `time' `controls'
capture assert `outcome' > 0 if `touse'
if _rc {
    display as error "`outcome' must be positive (convergence is measured on its logarithm)"
    error 411
}
quietly generate double `lny' = ln(`outcome') if `touse'
xtset `unit_id' `time'

display as text "SS_STEP 2: sigma convergence (dispersion of the log across units by period)"
preserve
quietly keep if `touse'
collapse (sd) sigma = `lny' (mean) mean_y = `outcome' (sd) sd_y = `outcome' (count) n_units = `lny', by(`time')
quietly generate double cv = sd_y / mean_y
export delimited using "sigma_convergence.csv", replace
regress sigma `time'
ss_coef "sigma_trend" "`time'"
capture noisily {
    twoway connected sigma `time', sort title("Sigma convergence: SD of log across units")
    graph export "sigma_convergence.png", replace width(1600)
}
restore

display as text "SS_STEP 3: absolute beta convergence (average growth on the initial level, one row per unit)"
preserve
quietly keep if `touse'
keep `unit_id' `time' `lny'
bysort `unit_id' (`time'): generate double initial_log_level = `lny'[1]
bysort `unit_id' (`time'): generate double `last' = `lny'[_N]
bysort `unit_id' (`time'): generate double avg_log_growth = (`last' - initial_log_level) / (`time'[_N] - `time'[1]) if `time'[_N] > `time'[1]
bysort `unit_id' (`time'): keep if _n == 1
regress avg_log_growth initial_log_level, vce(robust) level(`level')
estimates store ss_m1
ss_coef "absolute_beta" "initial_log_level"
local ss_b = _b[initial_log_level]
quietly summarize `time'
local ss_span = r(max) - r(min)
restore
ss_res, step(absolute_beta) term(convergence_speed) b(`=-ln(1 + `ss_b' * `ss_span') / `ss_span'')
ss_res, step(absolute_beta) term(half_life) b(`=ln(2) / (-ln(1 + `ss_b' * `ss_span') / `ss_span')')

display as text "SS_STEP 4: conditional beta convergence (panel fixed effects, growth on the lagged level)"
xtreg D.`lny' L.`lny' `controls' i.`time' if `touse', fe vce(cluster `unit_id') level(`level')
estimates store ss_m2
local ss_cb = _b[L.`lny']
local ss_cs = _se[L.`lny']
ss_res, step(conditional_beta) term(lagged_log_level) b(`ss_cb') se(`ss_cs') statistic(`=`ss_cb' / `ss_cs'') p(`=2 * ttail(e(df_r), abs(`ss_cb' / `ss_cs'))') n(`=e(N)') r2(`=e(r2_w)')
ss_res, step(conditional_beta) term(convergence_speed) b(`=-ln(1 + `ss_cb')')
ss_res, step(conditional_beta) term(half_life) b(`=ln(2) / (-ln(1 + `ss_cb'))')

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1 ss_m2, cluster(`unit_id')
