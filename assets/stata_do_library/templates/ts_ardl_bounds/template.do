display as text "SS_STEP 1: declare the time series"
tsset `time'

display as text "SS_STEP 2: ARDL in error-correction form, lag orders chosen by `criterion' (at most `maxlags')"
ardl `depvar' `regressors', maxlags(`maxlags') `criterion' ec{% if opt.trend == "restricted" %} trendvar restricted{% endif %}{% if opt.trend == "unrestricted" %} trendvar{% endif %}

estimates store ss_m1
tempname tbl ss_lags
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
capture noisily {
    matrix `ss_lags' = e(lags)
    matrix list `ss_lags'
    local k = 0
    foreach v in `depvar' `regressors' {
        local k = `k' + 1
        ss_res, step(selected_lag_order) term(`v') b(`=el(`ss_lags', 1, `k')') n(`ss_n')
    }
}

display as text "SS_STEP 3: speed of adjustment (ADJ) and long-run coefficients (LR)"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_eq : word `i' of `ss_eqs'
    local ss_tm : word `i' of `ss_terms'
    if inlist("`ss_eq'", "ADJ", "LR") {
        local ss_step = cond("`ss_eq'" == "ADJ", "speed_of_adjustment", "long_run")
        ss_res, step(`ss_step') term(`ss_tm') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 4: Pesaran-Shin-Smith bounds test (H0: no level relationship)"
estat ectest
local ss_f = r(F_pss)
local ss_t = r(t_pss)
local ss_case = r(case)
tempname ss_cv
matrix `ss_cv' = r(cvmat)
ss_res, step(bounds_test) term(F_pss) statistic(`ss_f') n(`ss_n')
ss_res, step(bounds_test) term(t_pss) statistic(`ss_t') n(`ss_n')
ss_res, step(bounds_test) term(pss_case) b(`ss_case') n(`ss_n')
tempname ph
tempfile ss_rows
postfile `ph' str32 row str32 column double value using "`ss_rows'"
post `ph' ("F_pss") ("statistic") (`ss_f')
post `ph' ("t_pss") ("statistic") (`ss_t')
post `ph' ("case") ("pss_case") (`ss_case')
local ss_rn : rownames `ss_cv'
local ss_cn : colfullnames `ss_cv'
forvalues i = 1/`=rowsof(`ss_cv')' {
    forvalues j = 1/`=colsof(`ss_cv')' {
        post `ph' ("`: word `i' of `ss_rn''") ("`: word `j' of `ss_cn''") (`ss_cv'[`i', `j'])
    }
}
postclose `ph'
preserve
clear
quietly append using "`ss_rows'"
export delimited using "ardl_bounds_test.csv", replace
restore

display as text "SS_STEP 5: Breusch-Godfrey test of the residuals (H0: no serial correlation)"
capture noisily {
    estat bgodfrey, lags(1)
    tempname ss_bgc ss_bgp
    matrix `ss_bgc' = r(chi2)
    matrix `ss_bgp' = r(p)
    ss_res, step(breusch_godfrey) term(lag1) statistic(`=el(`ss_bgc', 1, 1)') p(`=el(`ss_bgp', 1, 1)') n(`ss_n')
}

display as text "SS_STEP 6: coefficient table"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 block = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace block = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "ardl_coefficients.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
