display as text "SS_STEP 1: variance estimator"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
{% if opt.margins_at == "means" %}
local atopt atmeans
{% else %}
local atopt
{% endif %}

display as text "SS_STEP 2: logit model"
logit `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    capture noisily ss_coef "logit" "`v'"
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')

display as text "SS_STEP 4: odds ratios of the key regressors"
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(odds_ratio) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}

display as text "SS_STEP 5: marginal effects dy/dx"
margins, dydx(`regressors' `controls') `atopt' level(`level')
matrix `me' = r(table)'
local ss_rterms : rownames `me'
local ss_reqs : roweq `me'
forvalues i = 1/`=rowsof(`me')' {
    local ss_eq : word `i' of `ss_reqs'
    local ss_t : word `i' of `ss_rterms'
    if "`ss_eq'" != "_" {
        local ss_t = "`ss_eq'" + ":" + "`ss_t'"
    }
    if `me'[`i', 2] < . & `me'[`i', 2] > 0 {
        ss_res, step(marginal_effect) term(`ss_t') b(`=`me'[`i', 1]') se(`=`me'[`i', 2]') statistic(`=`me'[`i', 3]') p(`=`me'[`i', 4]') lb(`=`me'[`i', 5]') ub(`=`me'[`i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 6: coefficient and marginal-effect tables"
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
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "logit_coefficients.csv", replace
restore
preserve
clear
local ss_terms : rownames `me'
local ss_eqs : roweq `me'
local ss_k = rowsof(`me')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `me', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "logit_marginal_effects.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
