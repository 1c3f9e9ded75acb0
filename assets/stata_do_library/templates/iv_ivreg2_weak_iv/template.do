display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `endogenous' `instruments' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
{% endif %}
quietly count if `touse'
display as text "observations: " r(N)

display as text "SS_STEP 2: IV estimation with weak-instrument diagnostics (ivreg2)"
{% if has.cluster %}
tempvar cid
egen long `cid' = group(`cluster') if `touse'
local vceopt cluster(`cid')
{% else %}
local vceopt robust
{% endif %}
ivreg2 `outcome' `controls' `ss_fe' (`endogenous' = `instruments') `ss_wt' if `touse', `vceopt' endog(`endogenous') level(`level')
estimates store ss_m1
tempname kp cd idst idp jst jp arf arfp est estp
scalar `kp' = e(widstat)
scalar `cd' = e(cdf)
scalar `idst' = e(idstat)
scalar `idp' = e(idp)
scalar `jst' = e(j)
scalar `jp' = e(jp)
scalar `arf' = e(arf)
scalar `arfp' = e(arfp)
scalar `est' = e(estat)
scalar `estp' = e(estatp)
ss_coef "iv_ivreg2" "`endogenous'"
quietly ereturn display, level(`level')
tempname tbl
matrix `tbl' = r(table)'

display as text "SS_STEP 3: identification and weak-instrument statistics"
ss_res, step(weak_iv) term(kleibergen_paap_rk_wald_F) statistic(`=`kp'')
ss_res, step(weak_iv) term(cragg_donald_wald_F) statistic(`=`cd'')
ss_res, step(underidentification) term(kleibergen_paap_rk_lm) statistic(`=`idst'') p(`=`idp'')
ss_res, step(overidentification) term(hansen_j) statistic(`=`jst'') p(`=`jp'')
ss_res, step(weak_iv_robust_inference) term(anderson_rubin_F) statistic(`=`arf'') p(`=`arfp'')
ss_res, step(endogeneity_test) term(`endogenous') statistic(`=`est'') p(`=`estp'')
display as text "rule of thumb: an effective first-stage F below 10 signals weak instruments"

display as text "SS_STEP 4: tables"
preserve
clear
quietly set obs 6
generate str40 statistic = ""
generate double value = .
generate double p_value = .
quietly replace statistic = "kleibergen_paap_rk_wald_F" in 1
quietly replace value = `kp' in 1
quietly replace statistic = "cragg_donald_wald_F" in 2
quietly replace value = `cd' in 2
quietly replace statistic = "kleibergen_paap_rk_lm_underid" in 3
quietly replace value = `idst' in 3
quietly replace p_value = `idp' in 3
quietly replace statistic = "hansen_j_overid" in 4
quietly replace value = `jst' in 4
quietly replace p_value = `jp' in 4
quietly replace statistic = "anderson_rubin_F" in 5
quietly replace value = `arf' in 5
quietly replace p_value = `arfp' in 5
quietly replace statistic = "endogeneity_C_statistic" in 6
quietly replace value = `est' in 6
quietly replace p_value = `estp' in 6
export delimited using "iv_weak_instrument_tests.csv", replace
restore

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace t = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "iv_ivreg2_table.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx) with the weak-IV F statistics"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`cluster')
