display as text "SS_STEP 1: absorbed fixed effects and variance estimator"
local absorbvars
{% if has.unit %}
tempvar uid
quietly egen long `uid' = group(`unit')
local absorbvars `absorbvars' `uid'
{% endif %}
{% if has.time %}
tempvar tid
quietly egen long `tid' = group(`time')
local absorbvars `absorbvars' `tid'
{% endif %}
local absorbvars `absorbvars' `ss_absorb'
if "`absorbvars'" == "" {
    display as error "give a unit identifier, a time variable or fixed effects to absorb"
    error 198
}
{% if has.cluster %}
tempvar cid
quietly egen long `cid' = group(`cluster')
local clopt cluster(`cid')
local ss_clname `cluster'
{% else %}
{% if has.unit %}
local clopt cluster(`uid')
local ss_clname `unit'
{% else %}
local clopt robust
local ss_clname
{% endif %}
{% endif %}

display as text "SS_STEP 2: IV/2SLS absorbing high-dimensional fixed effects (ivreghdfe)"
ivreghdfe `outcome' `controls' (`endogenous' = `instruments') `ss_wt' `ss_if', absorb(`absorbvars') `clopt' first level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "iv_hdfe" "`endogenous'"
local ss_n = e(N)

display as text "SS_STEP 3: weak, under- and over-identification diagnostics"
ss_res, step(weak_identification) term(kleibergen_paap_rk_wald_F) statistic(`=e(widstat)') n(`ss_n')
ss_res, step(weak_identification) term(cragg_donald_wald_F) statistic(`=e(cdf)') n(`ss_n')
ss_res, step(underidentification) term(kleibergen_paap_rk_lm) statistic(`=e(idstat)') p(`=e(idp)') b(`=e(iddf)') n(`ss_n')
capture noisily ss_res, step(overidentification) term(hansen_j) statistic(`=e(j)') p(`=e(jp)') b(`=e(jdf)') n(`ss_n')
capture noisily ss_res, step(weak_iv_robust) term(anderson_rubin_F) statistic(`=e(arf)') p(`=e(arfp)') n(`ss_n')
preserve
clear
quietly set obs 1
quietly generate double kp_rk_wald_F = `=e(widstat)'
quietly generate double cd_wald_F = `=e(cdf)'
quietly generate double kp_lm = `=e(idstat)'
quietly generate double kp_lm_p = `=e(idp)'
quietly generate double hansen_j = `=e(j)'
quietly generate double hansen_j_p = `=e(jp)'
quietly generate double ar_F = `=e(arf)'
quietly generate double ar_p = `=e(arfp)'
quietly generate long n_obs = `ss_n'
export delimited using "ivreghdfe_diagnostics.csv", replace
restore

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
quietly drop if strpos(term, "__") > 0
export delimited using "ivreghdfe_coefficients.csv", replace
restore
display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
