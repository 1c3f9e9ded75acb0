display as text "SS_STEP 1: OLS estimation"
regress `outcome' `regressors' `controls'
tempname T
matrix `T' = r(table)'
local ss_n = e(N)
foreach v of varlist `regressors' {
    capture noisily ss_coef "ols" "`v'"
}
tempname pc
tempfile coefs
postfile `pc' str64 term double(b se t p_value ci_lower ci_upper) using "`coefs'", replace
local terms : rownames `T'
local k : word count `terms'
forvalues i = 1/`k' {
    local tm : word `i' of `terms'
    post `pc' ("`tm'") (`T'[`i', 1]) (`T'[`i', 2]) (`T'[`i', 3]) (`T'[`i', 4]) (`T'[`i', 5]) (`T'[`i', 6])
}
postclose `pc'
tempname pd pv
tempfile diag vifs
postfile `pd' str24 test double(statistic df1 df2 p_value) using "`diag'", replace
postfile `pv' str32 variable double(vif tolerance) using "`vifs'", replace
local ss_F = e(F)
local ss_dfm = e(df_m)
local ss_dfr = e(df_r)
local ss_r2 = e(r2)
local ss_pF = Ftail(`ss_dfm', `ss_dfr', `ss_F')
post `pd' ("model_f") (`ss_F') (`ss_dfm') (`ss_dfr') (`ss_pF')
ss_res, step(ols) term(model_f) statistic(`ss_F') p(`ss_pF') n(`ss_n') r2(`ss_r2')

display as text "SS_STEP 2: variance inflation factors"
local ss_allx `regressors' `controls'
local ss_kx : word count `ss_allx'
capture noisily {
    estat vif
    forvalues i = 1/`ss_kx' {
        local vname`i' `r(name_`i')'
        local vval`i' = r(vif_`i')
    }
    forvalues i = 1/`ss_kx' {
        if "`vname`i''" != "" {
            post `pv' ("`vname`i''") (`vval`i'') (1 / `vval`i'')
            ss_res, step(vif) term(`vname`i'') b(`vval`i'') n(`ss_n')
        }
    }
}

display as text "SS_STEP 3: Breusch-Pagan test for heteroskedasticity"
capture noisily estat hettest
if _rc == 0 {
    local st = r(chi2)
    local df = r(df)
    local p = r(p)
    post `pd' ("breusch_pagan") (`st') (`df') (.) (`p')
    ss_res, step(hettest) term(breusch_pagan) statistic(`st') p(`p') n(`ss_n')
}

display as text "SS_STEP 4: Ramsey RESET test"
capture noisily estat ovtest
if _rc == 0 {
    local st = r(F)
    local df = r(df)
    local dfr = r(df_r)
    local p = r(p)
    post `pd' ("ramsey_reset") (`st') (`df') (`dfr') (`p')
    ss_res, step(ovtest) term(ramsey_reset) statistic(`st') p(`p') n(`ss_n')
}

display as text "SS_STEP 5: normality of the residuals"
capture noisily {
    tempvar resid
    predict double `resid' if e(sample), residuals
    swilk `resid'
    local st = r(W)
    local p = r(p)
    post `pd' ("shapiro_wilk_resid") (`st') (.) (.) (`p')
    ss_res, step(resid_normality) term(shapiro_wilk) statistic(`st') p(`p') n(`ss_n')
}
postclose `pd'
postclose `pv'

display as text "SS_STEP 6: residuals against fitted values"
capture noisily rvfplot, yline(0) name(ss_rvf, replace)
capture noisily graph export "residuals_vs_fitted.png", replace width(1600)

display as text "SS_STEP 7: export the tables"
preserve
clear
quietly append using "`coefs'"
export delimited using "ols_coefficients.csv", replace
clear
quietly append using "`diag'"
export delimited using "diagnostics.csv", replace
clear
quietly append using "`vifs'"
capture noisily export delimited using "vif.csv", replace
restore
