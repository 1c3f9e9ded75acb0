display as text "SS_STEP 1: time structure, number of thresholds and variance estimator"
tsset `time'
{% if opt.n_thresholds == "optimal" %}
local thropt optthresh(3)
{% else %}
local thropt nthresholds(`n_thresholds')
{% endif %}
local vceopt
if `robust_se' == 1 {
    local vceopt vce(robust)
}

display as text "SS_STEP 2: threshold regression"
threshold `depvar' `controls' `ss_if', threshvar(`threshvar') regionvars(`regressors') `thropt' trim(`trim') `vceopt' level(`level')
estimates store ss_m1
tempname tbl thr
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_nth = e(nthresholds)
local ss_ssr = e(ssr)
local ss_bic = e(bic)
local ss_aic = e(aic)
matrix `thr' = e(thresholds)

display as text "SS_STEP 3: region-specific coefficients and fit"
local ss_rterms : rownames `tbl'
local ss_reqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_eq : word `i' of `ss_reqs'
    local ss_t : word `i' of `ss_rterms'
    if "`ss_eq'" != "_" {
        local ss_t = "`ss_eq'" + ":" + "`ss_t'"
    }
    if `tbl'[`i', 2] < . & `tbl'[`i', 2] > 0 {
        ss_res, step(threshold) term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
ss_res, step(model_fit) term(n_thresholds) b(`ss_nth') n(`ss_n')
ss_res, step(model_fit) term(ssr) b(`ss_ssr') n(`ss_n')
ss_res, step(model_fit) term(bic) b(`ss_bic') n(`ss_n')
ss_res, step(model_fit) term(aic) b(`ss_aic') n(`ss_n')

display as text "SS_STEP 4: estimated thresholds"
* e(thresholds) is a row vector that brackets the K estimated thresholds with the lower and
* upper boundary sentinels (K + 2 columns); the thresholds are columns 2 .. K + 1.
local ss_first = 1 + (colsof(`thr') == `ss_nth' + 2)
if `ss_nth' == 0 {
    display as text "the information criterion selected no threshold (a linear model)"
    ss_res, step(threshold_estimate) term(none_selected) b(0) n(`ss_n')
}
forvalues k = 1/`ss_nth' {
    local ss_th`k' = `thr'[1, `ss_first' + `k' - 1]
    ss_res, step(threshold_estimate) term(threshold_`k') b(`ss_th`k'') n(`ss_n')
}

display as text "SS_STEP 5: coefficient and threshold tables"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "threshold_coefficients.csv", replace
restore
preserve
clear
quietly set obs `ss_nth'
quietly generate int threshold_k = _n
quietly generate double value = .
forvalues k = 1/`ss_nth' {
    quietly replace value = `ss_th`k'' in `k'
}
export delimited using "threshold_estimates.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx): coefficients by regime"
capture noisily ss_pubtable ss_m1
