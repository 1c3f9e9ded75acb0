display as text "SS_STEP 1: declare the time series and lag-order selection"
tsset `time'
capture noisily varsoc `variables', maxlag(`=`lags' + 2')
local nv : word count `variables'
local r = min(`rank', `nv' - 1)

display as text "SS_STEP 2: Johansen cointegration rank tests (vecrank)"
vecrank `variables', lags(`lags') trend(`trend') max ic
tempname tr mx lam
preserve
capture noisily {
    matrix `tr' = e(trace)
    matrix `mx' = e(max)
    matrix `lam' = e(lambda)
    local nr = max(rowsof(`tr'), colsof(`tr'))
    * eigenvalue r belongs to the row of rank r; a vector without the rank-0 slot is shifted by one
    local loff = `nr' - max(rowsof(`lam'), colsof(`lam'))
    clear
    quietly set obs `nr'
    generate int rank = _n - 1
    generate double trace_statistic = .
    generate double max_eigen_statistic = .
    generate double eigenvalue = .
    forvalues i = 1/`nr' {
        quietly replace trace_statistic = el(`tr', cond(rowsof(`tr') > 1, `i', 1), cond(rowsof(`tr') > 1, 1, `i')) in `i'
        quietly replace max_eigen_statistic = el(`mx', cond(rowsof(`mx') > 1, `i', 1), cond(rowsof(`mx') > 1, 1, `i')) in `i'
        quietly replace eigenvalue = el(`lam', cond(rowsof(`lam') > 1, `i' - `loff', 1), cond(rowsof(`lam') > 1, 1, `i' - `loff')) in `i'
        ss_res, step(johansen_trace) term(rank_le_`=`i' - 1') statistic(`=trace_statistic[`i']')
        ss_res, step(johansen_max_eigen) term(rank_eq_`=`i' - 1') statistic(`=max_eigen_statistic[`i']')
    }
    export delimited using "cointegration_rank_tests.csv", replace
}
restore

display as text "SS_STEP 3: vector error-correction model"
vec `variables', lags(`lags') trend(`trend') rank(`r') level(`level')
quietly ereturn display, level(`level')
tempname tbl beta vbeta
matrix `tbl' = r(table)'
capture noisily {
    matrix `beta' = e(beta)
    matrix `vbeta' = e(V_beta)
    local bnames : colfullnames `beta'
    local nb : word count `bnames'
    forvalues j = 1/`nb' {
        local nm : word `j' of `bnames'
        ss_res, step(cointegrating_vector) term(`nm') b(`=`beta'[1, `j']') se(`=sqrt(`vbeta'[`j', `j'])') n(`=e(N)')
    }
}
local terms : rowfullnames `tbl'
local k : word count `terms'
forvalues i = 1/`k' {
    local nm : word `i' of `terms'
    if strpos("`nm'", "L._ce") {
        ss_res, step(adjustment) term(`nm') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`=e(N)')
    }
}

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
export delimited using "vec_coefficients.csv", replace
restore
