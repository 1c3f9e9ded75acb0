display as text "SS_STEP 1: groups and variance estimator"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
tempvar ss_g
quietly egen long `ss_g' = group(`group')
quietly count `ss_if'
local ss_rows = r(N)

display as text "SS_STEP 2: conditional logit within groups"
clogit `depvar' `regressors' `controls' `ss_if', group(`ss_g') `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
local ss_drop = e(N_drop)
local ss_gdrop = e(N_group_drop)
tempvar insample ss_tag
quietly generate byte `insample' = e(sample)
quietly egen byte `ss_tag' = tag(`ss_g') if `insample'
quietly count if `ss_tag' == 1
local ss_ng = r(N)

display as text "SS_STEP 3: key coefficients, odds ratios and model fit"
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily ss_coef "clogit" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(odds_ratio) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')
ss_res, step(model_fit) term(groups_used) b(`ss_ng') n(`ss_n')
capture noisily ss_res, step(model_fit) term(groups_dropped_no_outcome_variation) b(`ss_gdrop') n(`ss_n')
capture noisily ss_res, step(model_fit) term(obs_dropped_no_outcome_variation) b(`ss_drop') n(`ss_n')

display as text "SS_STEP 4: coefficient table with odds ratios"
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
quietly generate double odds_ratio = exp(b)
quietly generate double or_ll = exp(ll)
quietly generate double or_ul = exp(ul)
export delimited using "clogit_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`group') cluster(`clustvar')
