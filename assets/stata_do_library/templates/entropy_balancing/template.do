display as text "SS_STEP 1: estimation sample"
tempvar touse ebw
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `covariates' `controls'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'
quietly count if `touse' & `treatment' == 1
local ss_n1 = r(N)
quietly count if `touse' & `treatment' == 0
local ss_n0 = r(N)
if `ss_n1' < 2 | `ss_n0' < 2 {
    display as error "both treated and control observations are needed (treated: `ss_n1', controls: `ss_n0')"
    error 2001
}
ss_res, step(sample) term(treated) b(`ss_n1') n(`ss_n1')
ss_res, step(sample) term(controls) b(`ss_n0') n(`ss_n0')

display as text "SS_STEP 2: entropy balancing of the controls to the treated moments (ebalance)"
ebalance `treatment' `covariates' if `touse', targets(`moments') generate(`ebw') maxiter(`maxiter') tolerance(`tolerance')
quietly summarize `ebw' if `touse' & `treatment' == 0
ss_res, step(weights) term(control_weight_mean) b(`=r(mean)') lb(`=r(min)') ub(`=r(max)') n(`=r(N)')

display as text "SS_STEP 3: covariate balance before and after reweighting"
tempfile bal
tempname ph
postfile `ph' str32 variable double(mean_treated mean_control_raw mean_control_weighted var_treated var_control_raw var_control_weighted std_diff_raw std_diff_weighted) using "`bal'", replace
foreach v of local covariates {
    quietly summarize `v' if `touse' & `treatment' == 1
    local mt = r(mean)
    local vt = r(Var)
    quietly summarize `v' if `touse' & `treatment' == 0
    local mc = r(mean)
    local vc = r(Var)
    quietly summarize `v' [aweight = `ebw'] if `touse' & `treatment' == 0
    local mw = r(mean)
    local vw = r(Var)
    local sdp = sqrt((`vt' + `vc') / 2)
    post `ph' ("`v'") (`mt') (`mc') (`mw') (`vt') (`vc') (`vw') ((`mt' - `mc') / `sdp') ((`mt' - `mw') / `sdp')
    ss_res, step(balance_std_diff_weighted) term(`v') b(`=(`mt' - `mw') / `sdp'') statistic(`=(`mt' - `mc') / `sdp'')
}
postclose `ph'
preserve
clear
quietly append using "`bal'"
export delimited using "ebalance_balance.csv", replace
restore

display as text "SS_STEP 4: unweighted and entropy-weighted regressions of the outcome on the treatment"
regress `outcome' `treatment' `controls' `ss_fe' if `touse', `ss_vce' level(`level')
estimates store ss_m0
ss_coef "unweighted" "`treatment'"
regress `outcome' `treatment' `controls' `ss_fe' [pweight = `ebw'] if `touse', `ss_vce' level(`level')
estimates store ss_m1
ss_coef "entropy_weighted" "`treatment'"
tempname tbl
matrix `tbl' = r(table)'
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
export delimited using "ebalance_regression.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m0 ss_m1, fe(`ss_fe_names') cluster(`clustvar')
