display as text "SS_STEP 1: estimation sample and random-effects structure"
tempvar touse
mark `touse' `ss_if'
markout `touse' `depvar' `regressors' `controls' `group'
local ss_lvl "`group':"
{% if opt.random_slope %}
local ss_s1 : word 1 of `regressors'
local ss_re `ss_s1', covariance(`covariance')
display as text "random intercept and random slope of `ss_s1' across `group'"
{% else %}
local ss_re ,
display as text "random intercept across `group'"
{% endif %}
{% if opt.robust %}
local ss_est mle vce(robust)
display as text "cluster-robust standard errors by `group' (maximum likelihood)"
{% else %}
local ss_est `estimator'
{% endif %}

display as text "SS_STEP 2: empty model and intraclass correlation"
capture noisily {
    mixed `depvar' if `touse' || `group':, `estimator'
    local ss_vu = exp(2 * _b[lns1_1_1:_cons])
    local ss_ve = exp(2 * _b[lnsig_e:_cons])
    ss_res, step(empty_model) term(icc) b(`=`ss_vu' / (`ss_vu' + `ss_ve')') n(`=e(N)')
    ss_res, step(empty_model) term(between_variance) b(`ss_vu') n(`=e(N)')
    ss_res, step(empty_model) term(within_variance) b(`ss_ve') n(`=e(N)')
    estat icc
}

display as text "SS_STEP 3: multilevel model"
mixed `depvar' `regressors' `controls' `ss_fe' if `touse' || `ss_lvl' `ss_re' `ss_est' level(`level')
estimates store ss_m1
tempname tbl vc ng
matrix `tbl' = r(table)'
local ss_n = e(N)
matrix `ng' = e(N_g)
local ss_ng = `ng'[1, 1]
local ss_chic = e(chi2_c)
local ss_pc = e(p_c)

display as text "SS_STEP 4: fixed effects, variance components and the test against a single-level model"
foreach v of local regressors {
    capture noisily ss_coef "mixed" "`v'"
}
capture noisily ss_res, step(lr_test_vs_single_level) term(chi2) statistic(`ss_chic') p(`ss_pc') n(`ss_n')
local ss_names : colfullnames e(b)
local ss_vcn
foreach c of local ss_names {
    local ss_eq = substr("`c'", 1, strpos("`c'", ":") - 1)
    if substr("`ss_eq'", 1, 3) == "lns" | "`ss_eq'" == "lnsig_e" {
        local ss_sd = exp(_b[`c'])
        matrix `vc' = nullmat(`vc') \ (`ss_sd', `ss_sd'^2)
        local ss_vcn `ss_vcn' `ss_eq'
        ss_res, step(variance_components) term(sd_`ss_eq') b(`ss_sd') n(`ss_n')
    }
    if substr("`ss_eq'", 1, 3) == "atr" {
        local ss_r = tanh(_b[`c'])
        matrix `vc' = nullmat(`vc') \ (`ss_r', .)
        local ss_vcn `ss_vcn' corr_`ss_eq'
        ss_res, step(variance_components) term(corr_`ss_eq') b(`ss_r') n(`ss_n')
    }
}

display as text "SS_STEP 5: coefficient and variance-component tables"
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
export delimited using "mixed_coefficients.csv", replace
clear
local ss_k = rowsof(`vc')
quietly set obs `ss_k'
quietly generate str80 component = ""
quietly svmat double `vc', names(ss_c)
rename (ss_c1 ss_c2) (sd_or_corr variance)
forvalues i = 1/`ss_k' {
    quietly replace component = "`: word `i' of `ss_vcn''" in `i'
}
export delimited using "mixed_variance_components.csv", replace
restore
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
