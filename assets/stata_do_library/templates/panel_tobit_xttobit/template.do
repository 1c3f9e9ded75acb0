display as text "SS_STEP 1: panel structure, censoring limits and variance estimator"
xtset `unit_id' `time'
{% if opt.censoring == "left" %}
local ss_lim ll(`lower')
local ss_ys ystar0(`lower', .)
{% elif opt.censoring == "right" %}
local ss_lim ul(`upper')
local ss_ys ystar0(., `upper')
{% else %}
if `lower' >= `upper' {
    display as error "the lower censoring limit must be below the upper limit"
    error 198
}
local ss_lim ll(`lower') ul(`upper')
local ss_ys ystar0(`lower', `upper')
{% endif %}
{% if opt.se == "bootstrap" %}
local ss_vceopt vce(bootstrap, reps(`reps') seed(`seed'))
display as text "standard errors: bootstrap over panel units, `reps' replications"
{% else %}
local ss_vceopt vce(oim)
display as text "standard errors: observed information (xttobit offers no sandwich estimator)"
{% endif %}

display as text "SS_STEP 2: random-effects tobit"
xttobit `depvar' `regressors' `controls' `ss_fe' `ss_if', `ss_lim' `ss_vceopt' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_rho = e(rho)
local ss_su = e(sigma_u)
local ss_se = e(sigma_e)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients, variance components and censoring counts"
foreach v of local regressors {
    capture noisily ss_coef "xttobit" "`v'"
}
ss_res, step(model_fit) term(sigma_u) b(`ss_su') n(`ss_n')
ss_res, step(model_fit) term(sigma_e) b(`ss_se') n(`ss_n')
ss_res, step(model_fit) term(rho_share_unit_variance) b(`ss_rho') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
{% if opt.censoring != "right" %}
quietly count if `insample' & `depvar' <= `lower'
ss_res, step(censoring) term(left_censored_obs) b(`=r(N)') n(`ss_n')
{% endif %}
{% if opt.censoring != "left" %}
quietly count if `insample' & `depvar' >= `upper'
ss_res, step(censoring) term(right_censored_obs) b(`=r(N)') n(`ss_n')
{% endif %}

display as text "SS_STEP 4: likelihood-ratio test against a pooled tobit"
capture noisily {
    quietly xttobit `depvar' `regressors' `controls' `ss_fe' `ss_if', `ss_lim' tobit
    local ss_chic = e(chi2_c)
    ss_res, step(lr_test_pooled) term(chibar2_01) statistic(`ss_chic') p(`=0.5 * chi2tail(1, `ss_chic')') n(`=e(N)')
}
estimates restore ss_m1

display as text "SS_STEP 5: average marginal effects on the expected censored outcome (unit effect at zero)"
capture noisily {
    margins, dydx(`regressors' `controls') predict(`ss_ys') level(`level')
    matrix `me' = r(table)'
    local ss_mterms : rownames `me'
    local ss_i = 0
    foreach t of local ss_mterms {
        local ss_i = `ss_i' + 1
        ss_res, step(marginal_effect) term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
    }
    preserve
    clear
    local ss_k = rowsof(`me')
    quietly set obs `ss_k'
    quietly generate str80 term = ""
    quietly svmat double `me', names(col)
    forvalues i = 1/`ss_k' {
        quietly replace term = "`: word `i' of `ss_mterms''" in `i'
    }
    export delimited using "panel_tobit_marginal_effects.csv", replace
    restore
}

display as text "SS_STEP 6: coefficient table"
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
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "panel_tobit_coefficients.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
