display as text "SS_STEP 1: panel structure and variance estimator"
xtset `unit_id' `time'
{% if has.clustvar %}
local vceopt vce(cluster `clustvar'){% if opt.cluster_nonest %} nonest dfadj{% endif %}
{% else %}
local vceopt vce(cluster `unit_id')
{% endif %}

display as text "SS_STEP 2: fixed-effects (within) regression"
xtreg `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', fe `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_r2w = e(r2_w)
local ss_r2b = e(r2_b)
local ss_r2o = e(r2_o)
local ss_rho = e(rho)
local ss_su = e(sigma_u)
local ss_se = e(sigma_e)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    ss_coef "fixed_effects" "`v'"
}
ss_res, step(model_fit) term(r2_within) b(`ss_r2w') n(`ss_n') r2(`ss_r2w')
ss_res, step(model_fit) term(r2_between) b(`ss_r2b') n(`ss_n')
ss_res, step(model_fit) term(r2_overall) b(`ss_r2o') n(`ss_n')
ss_res, step(model_fit) term(rho_share_unit_variance) b(`ss_rho') n(`ss_n')
ss_res, step(model_fit) term(sigma_u) b(`ss_su') n(`ss_n')
ss_res, step(model_fit) term(sigma_e) b(`ss_se') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')

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
export delimited using "panel_fe_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
{% if has.clustvar %}
local ss_clname `clustvar'
{% else %}
local ss_clname `unit_id'
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`unit_id' `ss_fe_names') cluster(`ss_clname')
