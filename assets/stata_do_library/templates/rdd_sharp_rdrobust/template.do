display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse'
markout `touse' `outcome' `running' `covariates'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar cid
egen long `cid' = group(`cluster') if `touse'
local vceopt vce(cluster `cid')
{% else %}
local vceopt vce(nn)
{% endif %}
{% if has.covariates %}
local covopt covs(`covariates')
{% else %}
local covopt
{% endif %}
quietly count if `touse' & `running' < `cutoff'
local nbelow = r(N)
quietly count if `touse' & `running' >= `cutoff'
local nabove = r(N)
ss_res, step(sample) term(below_cutoff) b(`nbelow') n(`nbelow')
ss_res, step(sample) term(at_or_above_cutoff) b(`nabove') n(`nabove')

display as text "SS_STEP 2: sharp RD with robust bias-corrected inference (rdrobust)"
rdrobust `outcome' `running' if `touse', c(`cutoff') p(`p') kernel(`kernel') bwselect(`bwselect') `covopt' `vceopt' level(`level') all

tempname tcl tbc secl serb crit hl hr nl nr
scalar `tcl' = e(tau_cl)
scalar `tbc' = e(tau_bc)
scalar `secl' = e(se_tau_cl)
scalar `serb' = e(se_tau_rb)
scalar `hl' = e(h_l)
scalar `hr' = e(h_r)
scalar `nl' = e(N_h_l)
scalar `nr' = e(N_h_r)
scalar `crit' = invnormal(1 - (100 - `level') / 200)

display as text "SS_STEP 3: RD estimates"
ss_res, step(rd_sharp) term(conventional) b(`=`tcl'') se(`=`secl'') statistic(`=`tcl' / `secl'') p(`=2 * normal(-abs(`tcl' / `secl'))') lb(`=`tcl' - `crit' * `secl'') ub(`=`tcl' + `crit' * `secl'') n(`=`nl' + `nr'')
ss_res, step(rd_sharp) term(robust_bias_corrected) b(`=`tbc'') se(`=`serb'') statistic(`=`tbc' / `serb'') p(`=2 * normal(-abs(`tbc' / `serb'))') lb(`=`tbc' - `crit' * `serb'') ub(`=`tbc' + `crit' * `serb'') n(`=`nl' + `nr'')
ss_res, step(bandwidth) term(h_left) b(`=`hl'') n(`=`nl'')
ss_res, step(bandwidth) term(h_right) b(`=`hr'') n(`=`nr'')
preserve
clear
quietly set obs 2
generate str32 estimate_type = ""
generate double estimate = .
generate double se = .
quietly replace estimate_type = "conventional" in 1
quietly replace estimate = `tcl' in 1
quietly replace se = `secl' in 1
quietly replace estimate_type = "robust_bias_corrected" in 2
quietly replace estimate = `tbc' in 2
quietly replace se = `serb' in 2
generate double z = estimate / se
generate double pvalue = 2 * normal(-abs(z))
generate double ci_lower = estimate - `crit' * se
generate double ci_upper = estimate + `crit' * se
generate double h_left = `hl'
generate double h_right = `hr'
generate long n_left = `nl'
generate long n_right = `nr'
export delimited using "rd_sharp_estimates.csv", replace
restore

display as text "SS_STEP 4: bandwidth choices (rdbwselect)"
capture noisily rdbwselect `outcome' `running' if `touse', c(`cutoff') p(`p') kernel(`kernel') `covopt' `vceopt' all

display as text "SS_STEP 5: RD plot"
capture noisily {
    rdplot `outcome' `running' if `touse', c(`cutoff')
    graph export "rd_plot.png", replace width(1600)
}
