display as text "SS_STEP 1: variance estimator and inflation equation"
local vceopt `ss_vce'
{% if has.inflate_vars %}
local inflvars `inflate_vars'
{% else %}
local inflvars `regressors' `controls'
{% endif %}

display as text "SS_STEP 2: zero-inflated negative binomial model"
zinb `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', inflate(`inflvars') `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_nzero = e(N_zero)
local ss_ll = e(ll)
local ss_chi2 = e(chi2)
local ss_pm = e(p)

display as text "SS_STEP 3: key coefficients of the count equation and model fit"
foreach v of local regressors {
    capture noisily ss_coef "zinb" "`v'"
}
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(irr) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
ss_res, step(model_fit) term(wald_chi2) statistic(`ss_chi2') p(`ss_pm') n(`ss_n')
ss_res, step(model_fit) term(log_likelihood) b(`ss_ll') n(`ss_n')
ss_res, step(model_fit) term(zero_observations) b(`ss_nzero') n(`ss_n')
ss_res, step(dispersion) term(alpha) b(`=e(alpha)') n(`ss_n')

display as text "SS_STEP 4: coefficient table of both equations"
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
* incidence-rate ratios only for the count equation (named after the outcome); inflate-equation
* rows are logit coefficients and the dispersion rows are ancillary parameters, not IRRs.
quietly generate byte ss_count_eq = inlist(equation, "`depvar'", "_", "")
quietly generate double irr = exp(b) if ss_count_eq
quietly generate double irr_ll = exp(ll) if ss_count_eq
quietly generate double irr_ul = exp(ul) if ss_count_eq
drop ss_count_eq
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "zinb_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
