display as text "SS_STEP 1: declare the time series"
tsset `time'
local ss_ar
if `ar_lags' > 0 {
    local ss_ar L(1/`ar_lags').`depvar'
}

display as text "SS_STEP 2: mean equation by OLS"
regress `depvar' `ss_ar' `regressors'
local ss_n = e(N)

display as text "SS_STEP 3: Engle's LM test for ARCH effects at lag orders 1 to `max_lag' (H0: no ARCH effects)"
estat archlm, lags(1/`max_lag')
tempname ss_a ss_d ss_p
matrix `ss_a' = r(arch)
matrix `ss_d' = r(df)
matrix `ss_p' = r(p)
local ss_wide = rowsof(`ss_a') == 1
tempname ph
tempfile ss_rows
postfile `ph' double lag double lm_chi2 double df double p_value str12 verdict_5pct using "`ss_rows'"
local ss_any = 0
forvalues l = 1/`max_lag' {
    local ss_r = cond(`ss_wide', 1, `l')
    local ss_c = cond(`ss_wide', `l', 1)
    local ss_stat = el(`ss_a', `ss_r', `ss_c')
    local ss_df = el(`ss_d', `ss_r', `ss_c')
    local ss_pv = el(`ss_p', `ss_r', `ss_c')
    local ss_ver = cond(`ss_pv' < 0.05, "arch_effects", "none")
    if `ss_pv' < 0.05 {
        local ss_any = 1
    }
    post `ph' (`l') (`ss_stat') (`ss_df') (`ss_pv') ("`ss_ver'")
    ss_res, step(arch_lm) term(lag_`l') statistic(`ss_stat') p(`ss_pv') n(`ss_n')
}
postclose `ph'
if `ss_any' {
    display as result "ARCH effects are present at some lag order (p < 0.05): model the volatility with a GARCH-type model"
}
else {
    display as result "no evidence of ARCH effects at the 5% level for lag orders 1 to `max_lag'"
}

display as text "SS_STEP 4: test table"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "arch_lm_test.csv", replace
restore
