display as text "SS_STEP 1: absorbed effects and variance estimator"
{% if has.clustvar or has.cluster2 %}
local vceopt `ss_vce'
display as text "standard errors clustered by `clustvar' `cluster2'"
{% else %}
local vceopt vce(cluster `unit_id')
{% endif %}
{% if opt.absorb == "unit_time" %}
local absorbvars `unit_id' `time'
{% else %}
local absorbvars `unit_id'
{% endif %}

display as text "SS_STEP 2: regression absorbing high-dimensional fixed effects"
reghdfe `depvar' `regressors' `controls' `ss_wt' `ss_if', absorb(`absorbvars' `ss_absorb') `vceopt' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2 = e(r2)
local ss_r2w = e(r2_within)
local ss_single = e(num_singletons)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    ss_coef "reghdfe" "`v'"
}
ss_res, step(model_fit) term(r2) b(`ss_r2') n(`ss_n') r2(`ss_r2')
ss_res, step(model_fit) term(r2_within) b(`ss_r2w') n(`ss_n') r2(`ss_r2w')
ss_res, step(model_fit) term(singletons_dropped) b(`ss_single') n(`ss_n')

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
export delimited using "reghdfe_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
{% if has.clustvar or has.cluster2 %}
local ss_clname `clustvar' `cluster2'
{% else %}
local ss_clname `unit_id'
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`absorbvars' `ss_fe_names') cluster(`ss_clname')
