display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'

display as text "SS_STEP 2: feasible GLS, panels(`panels') corr(`correlation')"
xtgls `depvar' `regressors' `controls' `ss_fe' `ss_if', panels(`panels') corr(`correlation') level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    ss_coef "fgls" "`v'"
}
ss_res, step(model_fit) term(wald_chi2) statistic(`ss_chi2') p(`ss_pm') n(`ss_n')
ss_res, step(model_fit) term(groups) b(`ss_ng') n(`ss_n')

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
export delimited using "fgls_coefficients.csv", replace
restore

display as text "SS_STEP 5: likelihood-ratio test of groupwise heteroskedasticity (iterated GLS, H0: homoskedastic panels)"
capture noisily {
    quietly xtgls `depvar' `regressors' `controls' `ss_fe' if `insample', igls panels(heteroskedastic)
    estimates store ss_het
    quietly xtgls `depvar' `regressors' `controls' `ss_fe' if `insample', igls panels(iid)
    estimates store ss_iid
    lrtest ss_het ss_iid, df(`=`ss_ng' - 1')
    ss_res, step(lr_heteroskedasticity) term(lr_chi2) statistic(`=r(chi2)') p(`=r(p)') n(`ss_n')
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
