display as text "SS_STEP 1: random-effects structure and variance estimator"
local ss_lvl "`group':"
{% if opt.random_slope %}
local ss_s1 : word 1 of `regressors'
local ss_re `ss_s1', covariance(unstructured)
display as text "random intercept and random slope of `ss_s1' across `group'"
{% else %}
local ss_re ,
display as text "random intercept across `group'"
{% endif %}
{% if opt.robust %}
local ss_vceopt vce(robust)
display as text "cluster-robust standard errors by `group'"
{% else %}
local ss_vceopt
{% endif %}

display as text "SS_STEP 2: multilevel logit"
melogit `depvar' `regressors' `controls' `ss_fe' `ss_if' || `ss_lvl' `ss_re' `ss_vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_chic = e(chi2_c)
local ss_pc = e(p_c)

display as text "SS_STEP 3: key coefficients, odds ratios and the test against a single-level logit"
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily ss_coef "melogit" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(odds_ratio) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
capture noisily ss_res, step(lr_test_vs_logit) term(chi2) statistic(`ss_chic') p(`ss_pc') n(`ss_n')

display as text "SS_STEP 4: intraclass correlation on the latent scale (random-intercept models)"
capture noisily {
    estat icc
    ss_res, step(icc) term(`group') b(`=r(icc2)') se(`=r(se2)') n(`ss_n')
}

display as text "SS_STEP 5: coefficient table with odds ratios"
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
quietly generate byte ss_main = equation == "`depvar'"
quietly generate double odds_ratio = exp(b) if ss_main
quietly generate double or_ll = exp(ll) if ss_main
quietly generate double or_ul = exp(ul) if ss_main
drop ss_main
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "melogit_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
