display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'

display as text "SS_STEP 2: linear panel model with panel-corrected standard errors"
xtpcse `depvar' `regressors' `controls' `ss_fe' `ss_if', correlation(`correlation'){% if opt.hetonly %} hetonly{% endif %} level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_r2 = e(r2)
local ss_chi2 = e(chi2)
local ss_pm = e(p)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    ss_coef "pcse" "`v'"
}
ss_res, step(model_fit) term(r2) b(`ss_r2') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')
{% if opt.correlation == "ar1" %}
capture noisily {
    local ss_rho = e(rho)
    ss_res, step(model_fit) term(common_ar1_rho) b(`ss_rho') n(`ss_n')
}
{% endif %}

display as text "SS_STEP 4: coefficient table"
preserve
clear
local ss_terms : rownames `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "pcse_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
