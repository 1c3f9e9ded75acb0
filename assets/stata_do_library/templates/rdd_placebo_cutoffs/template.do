display as text "SS_STEP 1: estimation sample"
tempvar touse
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

display as text "SS_STEP 2: placebo cutoffs at quantiles of the running variable on each side"
* Each placebo cutoff uses only the observations on its own side of the true cutoff, so the
* true discontinuity cannot leak into it.
local ss_cuts
local ss_sides
forvalues j = 1/`n_placebo' {
    local q = 100 * `j' / (`n_placebo' + 1)
    _pctile `running' if `touse' & `running' < `cutoff', percentiles(`q')
    local ss_cuts `ss_cuts' `=r(r1)'
    local ss_sides `ss_sides' -1
    _pctile `running' if `touse' & `running' >= `cutoff', percentiles(`q')
    local ss_cuts `ss_cuts' `=r(r1)'
    local ss_sides `ss_sides' 1
}
local ss_nc : word count `ss_cuts'
tempname tab
matrix `tab' = J(`ss_nc' + 1, 8, .)
matrix colnames `tab' = cutoff true_cutoff estimate_bc se_robust p_robust ci_lower ci_upper n_eff

display as text "SS_STEP 3: RD estimate at the true cutoff"
rdrobust `outcome' `running' if `touse', c(`cutoff') p(`p') kernel(`kernel') bwselect(`bwselect') `covopt' `vceopt' level(`level')
local ss_bc = e(tau_bc)
local ss_rb = e(se_tau_rb)
matrix `tab'[1, 1] = `cutoff'
matrix `tab'[1, 2] = 1
matrix `tab'[1, 3] = `ss_bc'
matrix `tab'[1, 4] = `ss_rb'
matrix `tab'[1, 5] = 2 * normal(-abs(`ss_bc' / `ss_rb'))
matrix `tab'[1, 6] = `ss_bc' - `ss_crit' * `ss_rb'
matrix `tab'[1, 7] = `ss_bc' + `ss_crit' * `ss_rb'
matrix `tab'[1, 8] = e(N_h_l) + e(N_h_r)
ss_res, step(true_cutoff) term(robust_bias_corrected) b(`ss_bc') se(`ss_rb') statistic(`=`ss_bc' / `ss_rb'') p(`=2 * normal(-abs(`ss_bc' / `ss_rb'))') lb(`=`ss_bc' - `ss_crit' * `ss_rb'') ub(`=`ss_bc' + `ss_crit' * `ss_rb'') n(`=e(N_h_l) + e(N_h_r)')

display as text "SS_STEP 4: RD estimates at the placebo cutoffs"
local ss_nsig = 0
forvalues j = 1/`ss_nc' {
    local c : word `j' of `ss_cuts'
    local s : word `j' of `ss_sides'
    matrix `tab'[`j' + 1, 1] = `c'
    matrix `tab'[`j' + 1, 2] = 0
    if `s' < 0 {
        local ss_side `running' < `cutoff'
    }
    else {
        local ss_side `running' >= `cutoff'
    }
    capture noisily rdrobust `outcome' `running' if `touse' & `ss_side', c(`c') p(`p') kernel(`kernel') bwselect(`bwselect') `covopt' `vceopt' level(`level')
    if _rc == 0 {
        local ss_bc = e(tau_bc)
        local ss_rb = e(se_tau_rb)
        local ss_pr = 2 * normal(-abs(`ss_bc' / `ss_rb'))
        matrix `tab'[`j' + 1, 3] = `ss_bc'
        matrix `tab'[`j' + 1, 4] = `ss_rb'
        matrix `tab'[`j' + 1, 5] = `ss_pr'
        matrix `tab'[`j' + 1, 6] = `ss_bc' - `ss_crit' * `ss_rb'
        matrix `tab'[`j' + 1, 7] = `ss_bc' + `ss_crit' * `ss_rb'
        matrix `tab'[`j' + 1, 8] = e(N_h_l) + e(N_h_r)
        ss_res, step(placebo_cutoff) term(cutoff_`j') b(`ss_bc') se(`ss_rb') statistic(`=`ss_bc' / `ss_rb'') p(`ss_pr') lb(`=`ss_bc' - `ss_crit' * `ss_rb'') ub(`=`ss_bc' + `ss_crit' * `ss_rb'') n(`=e(N_h_l) + e(N_h_r)')
        if `ss_pr' < (100 - `level') / 100 {
            local ss_nsig = `ss_nsig' + 1
        }
    }
}
ss_res, step(placebo_cutoff) term(placebo_cutoffs_significant) b(`ss_nsig') n(`ss_nc')

display as text "SS_STEP 5: table and plot of the true and placebo estimates"
preserve
clear
quietly svmat double `tab', names(col)
sort cutoff
export delimited using "rd_placebo_cutoffs.csv", replace
capture noisily {
    twoway (rcap ci_lower ci_upper cutoff) (scatter estimate_bc cutoff if true_cutoff == 0, msymbol(circle_hollow)) (scatter estimate_bc cutoff if true_cutoff == 1, msymbol(diamond) msize(large)), yline(0, lpattern(dash)) xline(`cutoff', lpattern(dot)) xtitle("Cutoff of `running'") ytitle("RD estimate (robust bias-corrected)") legend(order(3 "True cutoff" 2 "Placebo cutoffs" 1 "`level'% CI")) title("Placebo cutoffs")
    graph export "rd_placebo_cutoffs.png", replace width(1600)
}
restore
