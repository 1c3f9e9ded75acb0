display as text "SS_STEP 1: declare the time series and lag-order selection"
tsset `time'
capture noisily varsoc `variables', maxlag(`=`lags' + 2')

display as text "SS_STEP 2: vector autoregression"
var `variables', lags(1/`lags') level(`level')
quietly ereturn display, level(`level')
tempname tbl
matrix `tbl' = r(table)'

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in b se z pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace z = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
export delimited using "var_coefficients.csv", replace
restore

display as text "SS_STEP 3: Granger causality Wald tests"
local nv : word count `variables'
tempname G
matrix `G' = J(`nv' * (`nv' - 1), 3, .)
matrix colnames `G' = chi2 df pvalue
local row = 0
local glabels
foreach y of varlist `variables' {
    foreach x of varlist `variables' {
        if "`x'" != "`y'" {
            quietly test [`y']L.`x'
            forvalues l = 2/`lags' {
                quietly test [`y']L`l'.`x', accumulate
            }
            local row = `row' + 1
            matrix `G'[`row', 1] = r(chi2)
            matrix `G'[`row', 2] = r(df)
            matrix `G'[`row', 3] = r(p)
            local glabels `glabels' `x'|`y'
            ss_res, step(granger_`y') term(`x') statistic(`=r(chi2)') p(`=r(p)') n(`=e(N)')
        }
    }
}
capture noisily vargranger
preserve
clear
quietly svmat double `G', names(col)
generate str32 excluded = ""
generate str32 equation = ""
forvalues i = 1/`row' {
    local lab : word `i' of `glabels'
    quietly replace excluded = substr("`lab'", 1, strpos("`lab'", "|") - 1) in `i'
    quietly replace equation = substr("`lab'", strpos("`lab'", "|") + 1, .) in `i'
}
order equation excluded
export delimited using "var_granger.csv", replace
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

display as text "SS_STEP 5: orthogonalised impulse responses"
capture noisily {
    irf create ss_irf, set(var_irf_results, replace) step(`steps')
    irf graph oirf, irf(ss_irf)
    graph export "var_irf.png", replace width(1600)
}
