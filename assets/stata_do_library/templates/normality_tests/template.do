display as text "SS_STEP 1: normality tests per variable"
tempname ph
tempfile nt
postfile `ph' str32 variable double(n skewness kurtosis sw_w sw_z sw_p sk_chi2 sk_p_skew sk_p_kurt sk_p jb jb_p) using "`nt'", replace
foreach v of varlist `variables' {
    quietly summarize `v', detail
    local n = r(N)
    local sk = r(skewness)
    local ku = r(kurtosis)
    local jb = `n' / 6 * ((`sk')^2 + ((`ku') - 3)^2 / 4)
    local pjb = chi2tail(2, `jb')

    display as text "Shapiro-Wilk test of `v'"
    local w = .
    local wz = .
    local pw = .
    capture noisily swilk `v'
    if _rc == 0 {
        local w = r(W)
        local wz = r(z)
        local pw = r(p)
    }

    display as text "skewness-kurtosis test of `v'"
    local skc = .
    local sps = .
    local spk = .
    local spc = .
    capture noisily sktest `v'
    if _rc == 0 {
        local skc = r(chi2)
        local sps = r(P_skew)
        local spk = r(P_kurt)
        local spc = r(P_chi2)
    }
    post `ph' ("`v'") (`n') (`sk') (`ku') (`w') (`wz') (`pw') (`skc') (`sps') (`spk') (`spc') (`jb') (`pjb')
    ss_res, step(shapiro_wilk) term(`v') statistic(`w') p(`pw') n(`n')
    ss_res, step(skewness_kurtosis) term(`v') statistic(`skc') p(`spc') n(`n')
    ss_res, step(jarque_bera) term(`v') statistic(`jb') p(`pjb') n(`n')
}
postclose `ph'

display as text "SS_STEP 2: export the normality table"
preserve
clear
quietly append using "`nt'"
export delimited using "normality_tests.csv", replace
capture noisily export excel using "normality_tests.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 3: normal Q-Q plot"
local ss_first : word 1 of `variables'
capture noisily qnorm `ss_first', name(ss_qq, replace)
capture noisily graph export "normality_qq.png", replace width(1600)
