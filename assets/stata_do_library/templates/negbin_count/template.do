display as text "SS_STEP 1: variance estimator"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: negative binomial regression"
nbreg `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_alpha = e(alpha)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients, incidence-rate ratios and dispersion"
foreach v of local regressors {
    capture noisily ss_coef "nbreg" "`v'"
}
local ss_crit = invnormal(1 - (100 - `level') / 200)
foreach v of local regressors {
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(irr) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
    }
}
ss_res, step(dispersion) term(alpha) b(`ss_alpha') n(`ss_n') r2(`ss_r2p')

display as text "SS_STEP 4: coefficient table with incidence-rate ratios"
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
export delimited using "nbreg_coefficients.csv", replace
restore

display as text "SS_STEP 5: likelihood-ratio test of alpha = 0 (Poisson against negative binomial)"
capture noisily {
    quietly nbreg `depvar' `regressors' `controls' if `insample'
    local ss_lr = e(chi2_c)
    ss_res, step(alpha_test) term(lr_alpha_zero) b(`=e(alpha)') statistic(`ss_lr') p(`=0.5 * chi2tail(1, `ss_lr')') n(`ss_n')
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
