display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `running'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar cid
quietly egen long `cid' = group(`cluster') if `touse'
local vceopt vce(cluster `cid')
{% else %}
local vceopt vce(nn)
{% endif %}
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_ncov : word count `covariates'
tempname tab
matrix `tab' = J(`ss_ncov', 9, .)
matrix colnames `tab' = estimate_conventional se_conventional estimate_bc se_robust z_robust p_robust h_left h_right std_jump

display as text "SS_STEP 2: RD estimate of the jump in each predetermined covariate (rdrobust)"
* A covariate determined before treatment should not jump at the cutoff: significant jumps
* cast doubt on the design (sorting, or another policy at the same threshold).
local i = 0
local ss_nsig = 0
foreach v of local covariates {
    local i = `i' + 1
    capture noisily rdrobust `v' `running' if `touse', c(`cutoff') p(`p') kernel(`kernel') bwselect(`bwselect') `vceopt' level(`level')
    if _rc == 0 {
        local ss_bc = e(tau_bc)
        local ss_rb = e(se_tau_rb)
        local ss_pr = 2 * normal(-abs(`ss_bc' / `ss_rb'))
        quietly summarize `v' if `touse'
        local ss_sd = r(sd)
        matrix `tab'[`i', 1] = e(tau_cl)
        matrix `tab'[`i', 2] = e(se_tau_cl)
        matrix `tab'[`i', 3] = `ss_bc'
        matrix `tab'[`i', 4] = `ss_rb'
        matrix `tab'[`i', 5] = `ss_bc' / `ss_rb'
        matrix `tab'[`i', 6] = `ss_pr'
        matrix `tab'[`i', 7] = e(h_l)
        matrix `tab'[`i', 8] = e(h_r)
        matrix `tab'[`i', 9] = e(tau_cl) / `ss_sd'
        ss_res, step(covariate_jump) term(`v') b(`ss_bc') se(`ss_rb') statistic(`=`ss_bc' / `ss_rb'') p(`ss_pr') lb(`=`ss_bc' - `ss_crit' * `ss_rb'') ub(`=`ss_bc' + `ss_crit' * `ss_rb'') n(`=e(N_h_l) + e(N_h_r)')
        if `ss_pr' < (100 - `level') / 100 {
            local ss_nsig = `ss_nsig' + 1
        }
    }
}
ss_res, step(covariate_jump) term(covariates_with_significant_jump) b(`ss_nsig') n(`ss_ncov')

display as text "SS_STEP 3: balance table and standardized-jump plot"
preserve
clear
quietly svmat double `tab', names(col)
quietly generate str80 covariate = ""
forvalues j = 1/`ss_ncov' {
    quietly replace covariate = "`: word `j' of `covariates''" in `j'
}
order covariate
export delimited using "rd_covariate_balance.csv", replace
capture noisily {
    quietly generate int row = _n
    quietly generate double lo = (estimate_conventional - `ss_crit' * se_conventional) * std_jump / estimate_conventional
    quietly generate double hi = (estimate_conventional + `ss_crit' * se_conventional) * std_jump / estimate_conventional
    forvalues j = 1/`ss_ncov' {
        label define ss_covlbl `j' "`: word `j' of `covariates''", add
    }
    label values row ss_covlbl
    twoway (rcap lo hi row, horizontal) (scatter row std_jump), xline(0, lpattern(dash)) ylabel(1/`ss_ncov', valuelabel angle(0)) ytitle("") xtitle("Jump at the cutoff (in standard deviations of the covariate)") legend(off) title("Covariate continuity at the cutoff")
    graph export "rd_covariate_balance.png", replace width(1600)
}
restore
