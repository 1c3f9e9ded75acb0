display as text "SS_STEP 1: observations on each side of the cutoff"
tempvar touse
mark `touse' `ss_if'
markout `touse' `running'
quietly count if `touse' & `running' < `cutoff'
local nbelow = r(N)
quietly count if `touse' & `running' >= `cutoff'
local nabove = r(N)
ss_res, step(sample) term(below_cutoff) b(`nbelow') n(`nbelow')
ss_res, step(sample) term(at_or_above_cutoff) b(`nabove') n(`nabove')
if `nbelow' < 10 | `nabove' < 10 {
    display as error "fewer than 10 observations on one side of the cutoff"
    error 2001
}

display as text "SS_STEP 2: local polynomial density manipulation test (rddensity)"
* H0: the density of the running variable is continuous at the cutoff (no sorting/manipulation).
rddensity `running' if `touse', c(`cutoff') p(`p') kernel(`kernel')
local ss_t = e(T_q)
local ss_pv = e(pv_q)
local ss_hl = e(h_l)
local ss_hr = e(h_r)
local ss_nl = e(N_h_l)
local ss_nr = e(N_h_r)
ss_res, step(density_test) term(robust_bias_corrected) statistic(`ss_t') p(`ss_pv') n(`=`ss_nl' + `ss_nr'')
ss_res, step(density_test) term(bandwidth_left) b(`ss_hl') n(`ss_nl')
ss_res, step(density_test) term(bandwidth_right) b(`ss_hr') n(`ss_nr')
preserve
clear
quietly set obs 1
quietly generate double cutoff = `cutoff'
quietly generate double t_statistic = `ss_t'
quietly generate double p_value = `ss_pv'
quietly generate double h_left = `ss_hl'
quietly generate double h_right = `ss_hr'
quietly generate long n_left = `ss_nl'
quietly generate long n_right = `ss_nr'
quietly generate long n_below = `nbelow'
quietly generate long n_above = `nabove'
export delimited using "rd_density_test.csv", replace
restore

display as text "SS_STEP 3: density plot with confidence bands (rddensity plot, needs lpdensity)"
capture noisily {
    rddensity `running' if `touse', c(`cutoff') p(`p') kernel(`kernel') plot
    graph export "rd_density_plot.png", replace width(1600)
}

display as text "SS_STEP 4: histogram of the running variable around the cutoff"
capture noisily {
    twoway (histogram `running' if `touse' & `running' < `cutoff', frequency bin(`bins') color(navy%60)) (histogram `running' if `touse' & `running' >= `cutoff', frequency bin(`bins') color(maroon%60)), xline(`cutoff', lpattern(dash)) legend(order(1 "Below cutoff" 2 "At or above cutoff")) xtitle("`running'") title("Distribution of the running variable")
    graph export "rd_running_histogram.png", replace width(1600)
}
