display as text "SS_STEP 1: censoring limits and variance estimator"
local vceopt `ss_vce'
local ss_lo .
local ss_hi .
{% if opt.censoring == "lower" %}
local ss_lo `lower_limit'
{% endif %}
{% if opt.censoring == "both" %}
local ss_lo `lower_limit'
{% endif %}
{% if opt.censoring == "upper" %}
{% if has.upper_limit %}
local ss_hi `upper_limit'
{% else %}
quietly summarize `depvar'
local ss_hi = r(max)
{% endif %}
{% endif %}
{% if opt.censoring == "both" %}
{% if has.upper_limit %}
local ss_hi `upper_limit'
{% else %}
quietly summarize `depvar'
local ss_hi = r(max)
{% endif %}
{% endif %}
local limits
if `ss_lo' < . {
    local limits `limits' ll(`ss_lo')
}
if `ss_hi' < . {
    local limits `limits' ul(`ss_hi')
}
display as text "censoring limits: `limits'"

display as text "SS_STEP 2: tobit model"
tobit `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `limits' `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_nlc = e(N_lc)
local ss_nunc = e(N_unc)
local ss_nrc = e(N_rc)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
local ss_f = e(F)

display as text "SS_STEP 3: key coefficients and censoring counts"
foreach v of local regressors {
    ss_coef "tobit" "`v'"
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') n(`ss_n') r2(`ss_r2p')
ss_res, step(censoring) term(left_censored) b(`ss_nlc') n(`ss_n')
ss_res, step(censoring) term(uncensored) b(`ss_nunc') n(`ss_n')
ss_res, step(censoring) term(right_censored) b(`ss_nrc') n(`ss_n')

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
export delimited using "tobit_coefficients.csv", replace
restore

display as text "SS_STEP 5: marginal effects on the censored expected outcome"
tempname me
capture noisily {
    margins, dydx(`regressors' `controls') predict(ystar(`ss_lo', `ss_hi')) level(`level')
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
            ss_res, step(marginal_effect_ystar) term(`ss_t') b(`=`me'[`i', 1]') se(`=`me'[`i', 2]') statistic(`=`me'[`i', 3]') p(`=`me'[`i', 4]') lb(`=`me'[`i', 5]') ub(`=`me'[`i', 6]') n(`ss_n')
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
    export delimited using "tobit_marginal_effects.csv", replace
    restore
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
