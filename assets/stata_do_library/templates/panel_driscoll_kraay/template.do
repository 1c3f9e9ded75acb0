display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'

display as text "SS_STEP 2: `model' regression with Driscoll-Kraay standard errors"
xtscc `depvar' `regressors' `controls' `ss_fe' `ss_if', `model'{% if has.lags %} lag(`lags'){% endif %} level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_lag = e(lag)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients"
foreach v of local regressors {
    ss_coef "driscoll_kraay" "`v'"
}
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
ss_res, step(model_fit) term(max_lag_autocorrelation) b(`ss_lag') n(`ss_n')

display as text "SS_STEP 4: coefficient table"
preserve
clear
local ss_terms : rownames `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
quietly drop if strpos(term, "__") > 0
export delimited using "driscoll_kraay_coefficients.csv", replace
restore

display as text "SS_STEP 5: the same model with unit-clustered standard errors, for comparison"
capture noisily {
{% if opt.model == "pooled" %}
    regress `depvar' `regressors' `controls' `ss_fe' if `insample', vce(cluster `unit_id') level(`level')
{% else %}
    xtreg `depvar' `regressors' `controls' `ss_fe' if `insample', `model' vce(cluster `unit_id') level(`level')
{% endif %}
    estimates store ss_m2
    foreach v of local regressors {
        ss_coef "cluster_unit" "`v'"
    }
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx): Driscoll-Kraay, then unit-clustered"
local ss_models ss_m1
capture estimates describe ss_m2
if _rc == 0 {
    local ss_models ss_m1 ss_m2
}
{% if opt.model == "fe" %}
capture noisily ss_pubtable `ss_models', fe(`unit_id' `ss_fe_names')
{% else %}
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names')
{% endif %}
