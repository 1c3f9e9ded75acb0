display as text "SS_STEP 1: declare the time series"
tsset `time'

display as text "SS_STEP 2: seasonal ARIMA(`p',`d',`q')(`sp',`sd',`sq')`season'"
arima `depvar' `regressors', arima(`p', `d', `q') sarima(`sp', `sd', `sq', `season') level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_terms : rowfullnames `tbl'
local ss_k : word count `ss_terms'
forvalues i = 1/`ss_k' {
    local ss_nm : word `i' of `ss_terms'
    ss_res, step(sarima) term(`ss_nm') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
}
preserve
clear
local ss_rn : rownames `tbl'
local ss_eqs : roweq `tbl'
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_rn''" in `i'
}
export delimited using "sarima_coefficients.csv", replace
restore

display as text "SS_STEP 3: information criteria and Ljung-Box test of the residuals"
capture noisily {
    estat ic
    tempname ic
    matrix `ic' = r(S)
    ss_res, step(information_criteria) term(aic) b(`=`ic'[1, 5]') n(`=`ic'[1, 1]')
    ss_res, step(information_criteria) term(bic) b(`=`ic'[1, 6]') n(`=`ic'[1, 1]')
}
capture noisily {
    tempvar res
    predict double `res', residuals
    wntestq `res', lags(`=min(2 * `season', floor(`ss_n' / 2) - 1)')
    ss_res, step(ljung_box_q) term(residuals) statistic(`=r(stat)') p(`=r(p)') n(`ss_n')
}

display as text "SS_STEP 4: dynamic forecast"
preserve
capture noisily {
    quietly summarize `time' if e(sample)
    local tlast = r(max)
    local tfirst = r(min)
{% if has.regressors %}
    * future values of the regressors are unknown: forecast dynamically over the last seasons of the sample
    local ss_start = max(`tfirst' + 2 * `season', `tlast' - `horizon' + 1)
{% else %}
    tsappend, add(`horizon')
    local ss_start = `tlast' + 1
{% endif %}
    tempvar fc
    predict double `fc', y dynamic(`ss_start')
    keep `time' `depvar' `fc'
    rename `fc' forecast
    generate byte out_of_sample = `time' > `tlast'
    generate byte dynamic_part = `time' >= `ss_start'
    export delimited using "sarima_forecast.csv", replace
    twoway (line `depvar' `time') (line forecast `time' if `time' >= `ss_start', lpattern(dash)), xline(`ss_start', lpattern(dot)) ytitle("`depvar'") legend(order(1 "Observed" 2 "Dynamic forecast")) title("SARIMA(`p',`d',`q')(`sp',`sd',`sq')`season' forecast")
    graph export "sarima_forecast.png", replace width(1600)
}
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
