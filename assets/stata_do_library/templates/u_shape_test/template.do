display as text "SS_STEP 1: estimation sample and variance estimator"
tempvar touse
mark `touse' `ss_if'
markout `touse' `depvar' `xvar' `controls'
{% if has.clustvar %}
markout `touse' `clustvar', strok
tempvar ss_cl
quietly egen long `ss_cl' = group(`clustvar') if `touse'
local vceopt vce(cluster `ss_cl')
{% else %}
local vceopt vce(robust)
{% endif %}

display as text "SS_STEP 2: quadratic regression"
regress `depvar' c.`xvar'##c.`xvar' `controls' `ss_fe' `ss_wt' if `touse', `vceopt' level(`level')
estimates store ss_m1
local ss_n = e(N)
local ss_df = e(df_r)
local ss_b1 = _b[`xvar']
local ss_b2 = _b[c.`xvar'#c.`xvar']
ss_coef "quadratic" "`xvar'"
ss_coef "quadratic" "c.`xvar'#c.`xvar'"
quietly summarize `xvar' if e(sample)
local ss_lo = r(min)
local ss_hi = r(max)

display as text "SS_STEP 3: turning point (delta method)"
capture noisily {
    nlcom (turning_point: -_b[`xvar'] / (2 * _b[c.`xvar'#c.`xvar'])), level(`level')
    tempname ss_tb ss_tv
    matrix `ss_tb' = r(b)
    matrix `ss_tv' = r(V)
    local ss_tp = `ss_tb'[1, 1]
    local ss_tpse = sqrt(`ss_tv'[1, 1])
    local ss_crit = invttail(`ss_df', (100 - `level') / 200)
    ss_res, step(turning_point) term(`xvar') b(`ss_tp') se(`ss_tpse') lb(`=`ss_tp' - `ss_crit' * `ss_tpse'') ub(`=`ss_tp' + `ss_crit' * `ss_tpse'') n(`ss_n')
    ss_res, step(turning_point) term(inside_data_range) b(`=(`ss_tp' > `ss_lo') & (`ss_tp' < `ss_hi')') n(`ss_n')
}

display as text "SS_STEP 4: slopes at the ends of the data range and the Lind-Mehlum test"
* U shape (positive quadratic term): the slope must be negative at the lower end and positive
* at the upper end; inverted U: the reverse. The test statistic is the smaller of the two
* one-sided t statistics, its p-value the larger of the two one-sided p-values.
quietly lincom _b[`xvar'] + 2 * `ss_lo' * _b[c.`xvar'#c.`xvar']
local ss_s0 = r(estimate)
local ss_se0 = r(se)
quietly lincom _b[`xvar'] + 2 * `ss_hi' * _b[c.`xvar'#c.`xvar']
local ss_s1 = r(estimate)
local ss_se1 = r(se)
local ss_sign = cond(`ss_b2' > 0, 1, -1)
local ss_t0 = -`ss_sign' * `ss_s0' / `ss_se0'
local ss_t1 = `ss_sign' * `ss_s1' / `ss_se1'
local ss_tlm = min(`ss_t0', `ss_t1')
local ss_plm = ttail(`ss_df', `ss_tlm')
ss_res, step(slope_at_min) term(`xvar') b(`ss_s0') se(`ss_se0') statistic(`=`ss_s0' / `ss_se0'') n(`ss_n')
ss_res, step(slope_at_max) term(`xvar') b(`ss_s1') se(`ss_se1') statistic(`=`ss_s1' / `ss_se1'') n(`ss_n')
ss_res, step(lind_mehlum) term(`=cond(`ss_b2' > 0, "u_shape", "inverted_u")') statistic(`ss_tlm') p(`ss_plm') n(`ss_n')
if `ss_plm' < (100 - `level') / 100 {
    display as result "the Lind-Mehlum test supports the " cond(`ss_b2' > 0, "U", "inverted-U") " shape over the data range"
}
else {
    display as result "the Lind-Mehlum test does not support a " cond(`ss_b2' > 0, "U", "inverted-U") " shape over the data range (a significant squared term alone is not enough)"
}

display as text "SS_STEP 5: test table and fitted curve"
preserve
clear
quietly set obs 1
generate double b_linear = `ss_b1'
generate double b_squared = `ss_b2'
generate double x_min = `ss_lo'
generate double x_max = `ss_hi'
generate double slope_at_min = `ss_s0'
generate double slope_at_max = `ss_s1'
generate double lind_mehlum_t = `ss_tlm'
generate double lind_mehlum_p = `ss_plm'
export delimited using "u_shape_test.csv", replace
restore
capture noisily {
    quietly margins if `touse', at(`xvar' = (`ss_lo'(`=(`ss_hi' - `ss_lo') / 20')`ss_hi'))
    marginsplot, recast(line) recastci(rarea) title("Fitted `depvar' over `xvar'")
    graph export "u_shape_curve.png", replace width(1600)
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
