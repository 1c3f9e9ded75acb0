display as text "SS_STEP 1: declare the time series and lag-order criteria"
tsset `time'
capture noisily varsoc `variables', maxlag(`=`lags' + 2')

display as text "SS_STEP 2: vector autoregression"
var `variables', lags(1/`lags') level(`level')
local ss_n = e(N)

display as text "SS_STEP 3: block exclusion (Granger) Wald tests per equation"
tempname ph
tempfile ss_rows
postfile `ph' str32 equation str32 excluded double chi2 double df double p_value using "`ss_rows'"
foreach y of varlist `variables' {
    local ss_others
    foreach x of varlist `variables' {
        if "`x'" != "`y'" {
            local ss_others `ss_others' `x'
            quietly test [`y']L.`x'
            forvalues l = 2/`lags' {
                quietly test [`y']L`l'.`x', accumulate
            }
            local ss_c = r(chi2)
            local ss_d = r(df)
            local ss_p = r(p)
            post `ph' ("`y'") ("`x'") (`ss_c') (`ss_d') (`ss_p')
            ss_res, step(granger_`y') term(`x') statistic(`ss_c') p(`ss_p') n(`ss_n')
        }
    }
    local ss_first = 1
    foreach x of local ss_others {
        forvalues l = 1/`lags' {
            if `ss_first' {
                quietly test [`y']L`l'.`x'
                local ss_first = 0
            }
            else {
                quietly test [`y']L`l'.`x', accumulate
            }
        }
    }
    local ss_c = r(chi2)
    local ss_d = r(df)
    local ss_p = r(p)
    post `ph' ("`y'") ("ALL") (`ss_c') (`ss_d') (`ss_p')
    ss_res, step(granger_`y') term(ALL) statistic(`ss_c') p(`ss_p') n(`ss_n')
}
postclose `ph'
capture noisily vargranger
preserve
clear
quietly append using "`ss_rows'"
export delimited using "var_granger_blocks.csv", replace
restore

display as text "SS_STEP 4: stability"
capture noisily {
    varstable
    tempname mod
    matrix `mod' = r(Modulus)
    local maxmod = 0
    forvalues i = 1/`=max(rowsof(`mod'), colsof(`mod'))' {
        local maxmod = max(`maxmod', el(`mod', cond(rowsof(`mod') > 1, `i', 1), cond(rowsof(`mod') > 1, 1, `i')))
    }
    ss_res, step(stability) term(max_eigenvalue_modulus) b(`maxmod')
}

display as text "SS_STEP 5: forecast-error variance decomposition (Cholesky order: `variables')"
irf create ss_fevd, set(var_fevd_results, replace) step(`steps')
irf table fevd, irf(ss_fevd) noci
preserve
clear
quietly append using "var_fevd_results.irf"
quietly keep if irfname == "ss_fevd"
keep response impulse step fevd
quietly drop if step == 0
sort response impulse step
* the irf file is in memory now: the series names are values of response and impulse
foreach y of local variables {
    foreach x of local variables {
        quietly summarize fevd if response == "`y'" & impulse == "`x'" & step == `steps', meanonly
        ss_res, step(fevd_`y') term(`x'_at_`steps') b(`r(mean)')
    }
}
export delimited using "var_fevd.csv", replace
capture noisily {
    graph bar (mean) fevd if step == `steps', over(impulse) over(response) asyvars stack ytitle("share of forecast-error variance at horizon `steps'") title("Variance decomposition")
    graph export "var_fevd.png", replace width(1600)
}
restore
