display as text "SS_STEP 1: random seed for the bootstrap"
set seed `seed'

display as text "SS_STEP 2: quantile regression with bootstrap standard errors"
bsqreg `depvar' `regressors' `controls' `ss_fe' `ss_if', quantile(`quantile') reps(`reps') level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_pr2 = 1 - e(sum_adev) / e(sum_rdev)
local ss_reps = e(reps)

display as text "SS_STEP 3: key coefficients"
foreach v of local regressors {
    ss_coef "bsqreg" "`v'"
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_pr2') n(`ss_n') r2(`ss_pr2')
ss_res, step(model_fit) term(bootstrap_replications) b(`ss_reps') n(`ss_n')
ss_res, step(model_fit) term(quantile) b(`quantile') n(`ss_n')

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
export delimited using "bsqreg_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx) with the quantile"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
