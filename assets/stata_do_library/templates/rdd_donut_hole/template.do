display as text "SS_STEP 1: estimation sample and hole radii"
tempvar touse dist
mark `touse' `ss_if'
markout `touse' `outcome' `running' `covariates'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar cid
quietly egen long `cid' = group(`cluster') if `touse'
local vceopt vce(cluster `cid')
{% else %}
local vceopt vce(nn)
{% endif %}
local ss_crit = invnormal(1 - (100 - `level') / 200)
{% if has.covariates %}
local covopt covs(`covariates')
{% else %}
local covopt
{% endif %}
quietly generate double `dist' = abs(`running' - `cutoff') if `touse'
{% if has.radius %}
local ss_rmax = `radius'
display as text "largest hole radius given: `ss_rmax'"
{% else %}
_pctile `dist' if `touse', percentiles(10)
local ss_rmax = r(r1)
display as text "no radius given: the largest hole holds the 10% of observations nearest the cutoff (radius `ss_rmax')"
{% endif %}
tempname tab
matrix `tab' = J(`steps' + 1, 9, .)
matrix colnames `tab' = radius excluded estimate_bc se_robust p_robust ci_lower ci_upper h_left n_eff

display as text "SS_STEP 2: RD estimates dropping observations within each radius of the cutoff"
* Heaping or manipulation right at the threshold affects the observations closest to it:
* an estimate that is stable as the hole grows is not driven by them.
forvalues k = 0/`steps' {
    local r = `ss_rmax' * `k' / `steps'
    quietly count if `touse' & `dist' < `r'
    local ss_excl = r(N)
    matrix `tab'[`k' + 1, 1] = `r'
    matrix `tab'[`k' + 1, 2] = `ss_excl'
    capture noisily rdrobust `outcome' `running' if `touse' & `dist' >= `r', c(`cutoff') p(`p') kernel(`kernel') bwselect(`bwselect') `covopt' `vceopt' level(`level')
    if _rc == 0 {
        local ss_bc = e(tau_bc)
        local ss_rb = e(se_tau_rb)
        local ss_pr = 2 * normal(-abs(`ss_bc' / `ss_rb'))
        matrix `tab'[`k' + 1, 3] = `ss_bc'
        matrix `tab'[`k' + 1, 4] = `ss_rb'
        matrix `tab'[`k' + 1, 5] = `ss_pr'
        matrix `tab'[`k' + 1, 6] = `ss_bc' - `ss_crit' * `ss_rb'
        matrix `tab'[`k' + 1, 7] = `ss_bc' + `ss_crit' * `ss_rb'
        matrix `tab'[`k' + 1, 8] = e(h_l)
        matrix `tab'[`k' + 1, 9] = e(N_h_l) + e(N_h_r)
        ss_res, step(donut_rd) term(radius_step_`k') b(`ss_bc') se(`ss_rb') statistic(`=`ss_bc' / `ss_rb'') p(`ss_pr') lb(`=`ss_bc' - `ss_crit' * `ss_rb'') ub(`=`ss_bc' + `ss_crit' * `ss_rb'') n(`=e(N_h_l) + e(N_h_r)')
    }
    else if `k' == 0 {
        display as error "the RD estimate without a hole failed"
        error 2001
    }
}

display as text "SS_STEP 3: table and plot of the estimate against the hole radius"
preserve
clear
quietly svmat double `tab', names(col)
export delimited using "rd_donut_estimates.csv", replace
capture noisily {
    twoway (rcap ci_lower ci_upper radius) (connected estimate_bc radius), yline(0, lpattern(dash)) xtitle("Donut radius around the cutoff of `running'") ytitle("RD estimate (robust bias-corrected)") legend(order(2 "Estimate" 1 "`level'% CI")) title("Donut-hole RD")
    graph export "rd_donut_estimates.png", replace width(1600)
}
restore
