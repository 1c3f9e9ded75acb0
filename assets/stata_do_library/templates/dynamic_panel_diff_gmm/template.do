display as text "SS_STEP 1: panel structure and estimator options"
xtset `unit_id' `time'
{% if opt.gmm_step == "twostep" %}
local stepopt twostep
{% else %}
local stepopt
{% endif %}
{% if opt.time_dummies %}
* period dummies (common shocks); the first periods are absorbed by the constant and by the
* observations lost to differencing and lags, so dummies start at period rank lags + 3.
tempvar ss_trank
quietly egen long `ss_trank' = group(`time')
quietly summarize `ss_trank', meanonly
local ss_tmax = r(max)
local ss_td
forvalues k = `=`lags' + 3'/`ss_tmax' {
    confirm new variable ss_td_`k'
    quietly generate byte ss_td_`k' = (`ss_trank' == `k') if !missing(`ss_trank')
    local ss_td `ss_td' ss_td_`k'
}
display as text "period dummies: `ss_td'"
{% else %}
local ss_td
{% endif %}
{% if opt.regressor_type == "exogenous" %}
local ss_xrhs `regressors'
local ss_xopt
{% endif %}
{% if opt.regressor_type == "predetermined" %}
local ss_xrhs
local ss_xopt pre(`regressors')
{% endif %}
{% if opt.regressor_type == "endogenous" %}
local ss_xrhs
local ss_xopt endogenous(`regressors')
{% endif %}
{% if has.maxldep %}
local maxopt maxldep(`maxldep')
{% else %}
local maxopt
{% endif %}

display as text "SS_STEP 2: difference GMM (Arellano-Bond)"
xtabond `depvar' `ss_xrhs' `controls' `ss_td' `ss_if', lags(`lags') `ss_xopt' `maxopt' `stepopt' vce(robust) artests(2) level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_ninst = e(zrank)
local ss_ar1 = e(arm1)
local ss_ar2 = e(arm2)

display as text "SS_STEP 3: key coefficients, serial-correlation tests and instrument count"
ss_coef "diff_gmm" "L.`depvar'"
foreach v of local regressors {
    ss_coef "diff_gmm" "`v'"
}
ss_res, step(arellano_bond) term(ar1) statistic(`ss_ar1') p(`=2 * normal(-abs(`ss_ar1'))') n(`ss_n')
ss_res, step(arellano_bond) term(ar2) statistic(`ss_ar2') p(`=2 * normal(-abs(`ss_ar2'))') n(`ss_n')
ss_res, step(model_fit) term(instruments) b(`ss_ninst') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
capture noisily estat abond

display as text "SS_STEP 4: coefficient table"
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
export delimited using "diff_gmm_coefficients.csv", replace
restore

display as text "SS_STEP 5: Sargan test of overidentifying restrictions (non-robust estimates)"
capture noisily {
    quietly xtabond `depvar' `regressors' `controls', lags(`lags') `maxopt' `stepopt'
    estat sargan
    tempname ss_eb ss_ev
    matrix `ss_eb' = e(b)
    matrix `ss_ev' = e(V)
    local ss_sdf = e(zrank) - (colsof(`ss_eb') - diag0cnt(`ss_ev'))
    local ss_sc = e(sargan)
    local ss_sp = chi2tail(`ss_sdf', `ss_sc')
    ss_res, step(sargan) term(overidentification) statistic(`ss_sc') p(`ss_sp') n(`ss_n')
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
