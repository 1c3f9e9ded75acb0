display as text "SS_STEP 1: sample and the periods to compare"
tempvar touse
mark `touse'
markout `touse' `variable' `time'
quietly levelsof `time' if `touse', local(ss_all)
local ss_nt : word count `ss_all'
if `ss_nt' < 2 {
    display as error "at least two periods with data are needed (found `ss_nt')"
    error 2001
}
local ss_k = min(`nperiods', `ss_nt')
local ss_sel
forvalues j = 1/`ss_k' {
    local ss_pos = 1 + round((`j' - 1) * (`ss_nt' - 1) / (`ss_k' - 1))
    local ss_sel `ss_sel' `: word `ss_pos' of `ss_all''
}
display as text "periods shown: `ss_sel'"

display as text "SS_STEP 2: distribution statistics and kernel bandwidth by period"
tempfile rows
tempname ph
postfile `ph' double(period n mean sd cv p10 p50 p90 skewness kurtosis bandwidth) using "`rows'", replace
foreach t of local ss_all {
    quietly summarize `variable' if `touse' & `time' == `t', detail
    local ss_m = r(mean)
    local ss_sd = r(sd)
    local ss_nn = r(N)
    local ss_p10 = r(p10)
    local ss_p50 = r(p50)
    local ss_p90 = r(p90)
    local ss_sk = r(skewness)
    local ss_ku = r(kurtosis)
    local ss_bw = .
    if `ss_nn' >= 2 {
        quietly kdensity `variable' if `touse' & `time' == `t', kernel(`kernel') nograph
        local ss_bw = r(bwidth)
    }
    post `ph' (`t') (`ss_nn') (`ss_m') (`ss_sd') (`ss_sd' / `ss_m') (`ss_p10') (`ss_p50') (`ss_p90') (`ss_sk') (`ss_ku') (`ss_bw')
    ss_res, step(distribution_by_period) term(`t') b(`ss_m') se(`ss_sd') statistic(`ss_sk') lb(`ss_p10') ub(`ss_p90') n(`ss_nn')
}
postclose `ph'
preserve
clear
quietly append using "`rows'"
export delimited using "kernel_density_stats.csv", replace
restore

display as text "SS_STEP 3: overlaid kernel density curves of the selected periods"
local ss_plots
local ss_order
local j = 0
foreach t of local ss_sel {
    local j = `j' + 1
    local ss_plots `ss_plots' (kdensity `variable' if `touse' & `time' == `t', kernel(`kernel'))
    local ss_order `ss_order' `j' "`t'"
}
capture noisily {
    twoway `ss_plots', legend(order(`ss_order')) ytitle("Density") xtitle("`variable'") title("Kernel density by period")
    graph export "kernel_density_dynamics.png", replace width(1600)
}
