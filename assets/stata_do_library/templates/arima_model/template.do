display as text "SS_STEP 1: declare the time series"
tsset `time'

display as text "SS_STEP 2: ARIMA(p,d,q) estimation"
arima `outcome', arima(`p', `d', `q') level(`level')
tempname tbl
matrix `tbl' = r(table)'
local terms : rowfullnames `tbl'
local k : word count `terms'
forvalues i = 1/`k' {
    local nm : word `i' of `terms'
    ss_res, step(arima) term(`nm') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`=e(N)')
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
export delimited using "arima_coefficients.csv", replace
restore

display as text "SS_STEP 3: information criteria and residual white-noise test"
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
    wntestq `res'
    ss_res, step(ljung_box_q) term(residuals) statistic(`=r(stat)') p(`=r(p)')
}
capture noisily estat aroots

display as text "SS_STEP 4: out-of-sample forecast"
preserve
capture noisily {
    quietly summarize `time' if e(sample)
    local tlast = r(max)
    tsappend, add(`horizon')
    tempvar fc fmse
    predict double `fc', y dynamic(`=`tlast' + 1')
    keep `time' `outcome' `fc'
    rename `fc' forecast
    generate byte out_of_sample = `time' > `tlast'
    export delimited using "arima_forecast.csv", replace
    twoway (line `outcome' `time') (line forecast `time' if `time' >= `tlast', lpattern(dash)), xline(`tlast', lpattern(dot)) ytitle("`outcome'") legend(order(1 "Observed" 2 "Forecast")) title("ARIMA(`p',`d',`q') forecast")
    graph export "arima_forecast.png", replace width(1600)
}
restore
