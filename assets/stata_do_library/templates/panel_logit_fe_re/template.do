display as text "SS_STEP 1: panel structure and variance estimator"
xtset `unit_id' `time'
{% if has.clustvar %}
local ss_cl `clustvar'
{% else %}
local ss_cl `unit_id'
{% endif %}
display as text "standard errors clustered by `ss_cl'"
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_models
local ss_mods
tempname tbl_fe tbl_re all

{% if opt.model != "re" %}
display as text "SS_STEP 2: fixed-effects logit (conditional maximum likelihood within the unit)"
clogit `depvar' `regressors' `controls' `ss_fe' `ss_if', group(`unit_id') vce(cluster `ss_cl') level(`level')
estimates store ss_m_fe
local ss_models `ss_models' ss_m_fe
matrix `tbl_fe' = r(table)'
matrix `all' = nullmat(`all') \ `tbl_fe'
local ss_mods `ss_mods' `: display _dup(`=rowsof(`tbl_fe')') "fe "'
local ss_n_fe = e(N)
local ss_drop_fe = e(N_drop)
local ss_gdrop_fe = e(N_group_drop)
foreach v of local regressors {
    capture noisily ss_coef "logit_fe" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(odds_ratio_fe) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n_fe')
    }
}
capture noisily ss_res, step(model_fit_fe) term(obs_dropped_no_within_variation) b(`ss_drop_fe') n(`ss_n_fe')
capture noisily ss_res, step(model_fit_fe) term(units_dropped_no_within_variation) b(`ss_gdrop_fe') n(`ss_n_fe')
{% endif %}

{% if opt.model != "fe" %}
display as text "SS_STEP 3: random-effects logit"
xtlogit `depvar' `regressors' `controls' `ss_fe' `ss_if', re vce(cluster `ss_cl') level(`level')
estimates store ss_m_re
local ss_models `ss_models' ss_m_re
matrix `tbl_re' = r(table)'
matrix `all' = nullmat(`all') \ `tbl_re'
local ss_mods `ss_mods' `: display _dup(`=rowsof(`tbl_re')') "re "'
local ss_n_re = e(N)
local ss_rho = e(rho)
local ss_sigu = e(sigma_u)
local ss_ng_re = e(N_g)
foreach v of local regressors {
    capture noisily ss_coef "logit_re" "`v'"
    capture noisily {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        ss_res, step(odds_ratio_re) term(`v') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n_re')
    }
}
ss_res, step(model_fit_re) term(rho_share_unit_variance) b(`ss_rho') n(`ss_n_re')
ss_res, step(model_fit_re) term(sigma_u) b(`ss_sigu') n(`ss_n_re')
ss_res, step(model_fit_re) term(groups) b(`ss_ng_re') n(`ss_n_re')
display as text "likelihood-ratio test of rho = 0 (random effects vs pooled logit), conventional standard errors"
capture noisily {
    quietly xtlogit `depvar' `regressors' `controls' `ss_fe' `ss_if', re
    local ss_chic = e(chi2_c)
    ss_res, step(lr_test_rho) term(chibar2_01) statistic(`ss_chic') p(`=0.5 * chi2tail(1, `ss_chic')') n(`=e(N)')
}
{% endif %}

{% if opt.model == "both" %}
display as text "SS_STEP 4: Hausman test, fixed vs random effects (conventional standard errors)"
capture noisily {
    quietly xtlogit `depvar' `regressors' `controls' `ss_fe' `ss_if', fe
    estimates store ss_h_fe
    quietly xtlogit `depvar' `regressors' `controls' `ss_fe' `ss_if', re
    estimates store ss_h_re
    hausman ss_h_fe ss_h_re
    local ss_hchi = r(chi2)
    local ss_hdf = r(df)
    local ss_hp = r(p)
    ss_res, step(hausman) term(fe_vs_re) statistic(`ss_hchi') p(`ss_hp') n(`ss_hdf')
}
{% endif %}

display as text "SS_STEP 5: coefficient table with odds ratios"
preserve
clear
local ss_terms : rownames `all'
local ss_eqs : roweq `all'
local ss_k = rowsof(`all')
quietly set obs `ss_k'
quietly generate str8 model = ""
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `all', names(col)
forvalues i = 1/`ss_k' {
    quietly replace model = "`: word `i' of `ss_mods''" in `i'
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
quietly generate byte ss_main = inlist(equation, "`depvar'", "_", "")
quietly generate double odds_ratio = exp(b) if ss_main
quietly generate double or_ll = exp(ll) if ss_main
quietly generate double or_ul = exp(ul) if ss_main
drop ss_main
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "panel_logit_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
{% if opt.model == "fe" %}
capture noisily ss_pubtable `ss_models', fe(`unit_id' `ss_fe_names') cluster(`ss_cl')
{% else %}
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`ss_cl')
{% endif %}
