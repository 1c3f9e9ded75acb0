display as text "SS_STEP 1: OLS estimation"
regress `outcome' `regressors' `controls'
tempname T
matrix `T' = r(table)'
local ss_n = e(N)
foreach v of varlist `regressors' {
    capture noisily ss_coef "ols" "`v'"
}
preserve
clear
local terms : rownames `T'
local k : word count `terms'
quietly set obs `k'
quietly generate str64 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `T'[`i', 1] in `i'
    quietly replace se = `T'[`i', 2] in `i'
    quietly replace t = `T'[`i', 3] in `i'
    quietly replace pvalue = `T'[`i', 4] in `i'
    quietly replace ll = `T'[`i', 5] in `i'
    quietly replace ul = `T'[`i', 6] in `i'
}
export delimited using "ols_coefficients.csv", replace
restore
tempname pd pv
tempfile diag vifs
postfile `pd' str24 test double(statistic df1 df2 p_value) using "`diag'", replace
postfile `pv' str32 variable double(vif tolerance) using "`vifs'", replace

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
preserve
clear
quietly append using "`diag'"
export delimited using "diagnostics.csv", replace
clear
quietly append using "`vifs'"
capture noisily export delimited using "vif.csv", replace
restore

display as text "SS_STEP 6: residuals against fitted values"
capture noisily rvfplot, yline(0) name(ss_rvf, replace)
capture noisily graph export "residuals_vs_fitted.png", replace width(1600)
