display as text "SS_STEP 1: panel structure and instrument sets"
xtset `unit_id' `time'
local ss_lags laglimits(2 `max_lag')
if `collapse_iv' == 1 {
    local ss_lags `ss_lags' collapse
}
local ss_plags laglimits(1 `max_lag')
if `collapse_iv' == 1 {
    local ss_plags `ss_plags' collapse
}
{% if opt.regressor_type == "exogenous" %}
local xinst iv(`regressors')
{% endif %}
{% if opt.regressor_type == "predetermined" %}
local xinst gmm(`regressors', `ss_plags')
{% endif %}
{% if opt.regressor_type == "endogenous" %}
local xinst gmm(`regressors', `ss_lags')
{% endif %}
{% if has.controls %}
local cinst iv(`controls')
{% else %}
local cinst
{% endif %}
{% if opt.time_dummies %}
* period dummies (common shocks); the first periods are absorbed by the constant and by the
* observations lost to differencing and lags, so dummies start at period rank 3.
tempvar ss_trank
quietly egen long `ss_trank' = group(`time')
quietly summarize `ss_trank', meanonly
local ss_tmax = r(max)
local ss_td
forvalues k = `=3'/`ss_tmax' {
    confirm new variable ss_td_`k'
    quietly generate byte ss_td_`k' = (`ss_trank' == `k') if !missing(`ss_trank')
    local ss_td `ss_td' ss_td_`k'
}
display as text "period dummies: `ss_td'"
local ss_tdinst iv(`ss_td', equation(level))
{% else %}
local ss_td
local ss_tdinst
{% endif %}
{% if opt.gmm_step == "twostep" %}
local stepopt twostep
{% else %}
local stepopt
{% endif %}

display as text "SS_STEP 2: system GMM (Blundell-Bond)"
xtabond2 `depvar' L.`depvar' `regressors' `controls' `ss_td' `ss_if', gmm(`depvar', `ss_lags') `xinst' `cinst' `ss_tdinst' `stepopt' robust level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_j = e(j)
local ss_ar1 = e(ar1)
local ss_ar1p = e(ar1p)
local ss_ar2 = e(ar2)
local ss_ar2p = e(ar2p)
local ss_hansen = e(hansen)
local ss_hansenp = e(hansenp)
local ss_sargan = e(sargan)
local ss_sarganp = e(sarganp)

display as text "SS_STEP 3: key coefficients and specification tests"
ss_coef "system_gmm" "L.`depvar'"
foreach v of local regressors {
    ss_coef "system_gmm" "`v'"
}
ss_res, step(arellano_bond) term(ar1) statistic(`ss_ar1') p(`ss_ar1p') n(`ss_n')
ss_res, step(arellano_bond) term(ar2) statistic(`ss_ar2') p(`ss_ar2p') n(`ss_n')
ss_res, step(overidentification) term(hansen) statistic(`ss_hansen') p(`ss_hansenp') n(`ss_n')
ss_res, step(overidentification) term(sargan) statistic(`ss_sargan') p(`ss_sarganp') n(`ss_n')
ss_res, step(model_fit) term(instruments) b(`ss_j') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
if `ss_j' > `ss_ng' {
    display as error "warning: more instruments (`ss_j') than groups (`ss_ng'); consider collapsing or a smaller max_lag"
}

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
export delimited using "system_gmm_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
