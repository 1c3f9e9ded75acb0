display as text "SS_STEP 1: truncation limits and variance estimator"
local vceopt `ss_vce'
local ss_lo .
local ss_hi .
{% if opt.truncation == "lower" %}
local ss_lo `lower_limit'
{% endif %}
{% if opt.truncation == "both" %}
local ss_lo `lower_limit'
{% endif %}
{% if opt.truncation == "upper" %}
{% if has.upper_limit %}
local ss_hi `upper_limit'
{% else %}
display as error "upper truncation needs the parameter upper_limit (the truncation point)"
error 198
{% endif %}
{% endif %}
{% if opt.truncation == "both" %}
{% if has.upper_limit %}
local ss_hi `upper_limit'
{% else %}
display as error "upper truncation needs the parameter upper_limit (the truncation point)"
error 198
{% endif %}
{% endif %}
local limits
if `ss_lo' < . {
    local limits `limits' ll(`ss_lo')
}
if `ss_hi' < . {
    local limits `limits' ul(`ss_hi')
}
display as text "truncation limits: `limits'"

display as text "SS_STEP 2: truncated regression"
truncreg `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `limits' `vceopt' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_nbar = e(N_bf) - e(N)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
local ss_sigma = e(sigma)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    ss_coef "truncreg" "`v'"
}
ss_res, step(model_fit) term(wald_chi2) statistic(`ss_chi2') p(`ss_pm') n(`ss_n')
ss_res, step(model_fit) term(sigma) b(`ss_sigma') n(`ss_n')
ss_res, step(model_fit) term(obs_truncated) b(`ss_nbar') n(`ss_n')

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
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "truncreg_coefficients.csv", replace
restore

display as text "SS_STEP 5: marginal effects on the outcome inside the truncation range"
tempname me
capture noisily {
    margins, dydx(`regressors' `controls') predict(e(`ss_lo', `ss_hi')) level(`level')
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
            ss_res, step(marginal_effect_truncated) term(`ss_t') b(`=`me'[`i', 1]') se(`=`me'[`i', 2]') statistic(`=`me'[`i', 3]') p(`=`me'[`i', 4]') lb(`=`me'[`i', 5]') ub(`=`me'[`i', 6]') n(`ss_n')
        }
    }
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
    export delimited using "truncreg_marginal_effects.csv", replace
    restore
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
