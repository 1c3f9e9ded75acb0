display as text "SS_STEP 1: variance estimator"
local vceopt `ss_vce'

display as text "SS_STEP 2: ordered oprobit model"
oprobit `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `vceopt' level(`level')
estimates store ss_m1
tempname tbl me one
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    capture noisily ss_coef "oprobit" "`v'"
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')

display as text "SS_STEP 4: marginal effects on the probability of each outcome"
quietly levelsof `depvar' if `insample', local(ss_levels)
local ss_j 0
foreach lv of local ss_levels {
    local ss_j = `ss_j' + 1
    margins, dydx(`regressors' `controls') predict(outcome(`lv')) level(`level')
    matrix `one' = r(table)'
    matrix `one' = (`one'[1..., 1..6], J(rowsof(`one'), 1, `lv'))
    matrix colnames `one' = b se z pvalue ll ul outcome
    matrix `me' = nullmat(`me') \ `one'
    local ss_rterms : rownames `one'
    local ss_reqs : roweq `one'
    forvalues i = 1/`=rowsof(`one')' {
        local ss_eq : word `i' of `ss_reqs'
        local ss_t : word `i' of `ss_rterms'
        if "`ss_eq'" != "_" {
            local ss_t = "`ss_eq'" + ":" + "`ss_t'"
        }
        if `one'[`i', 2] < . & `one'[`i', 2] > 0 {
            ss_res, step(margins_outcome_`ss_j') term(`ss_t') b(`=`one'[`i', 1]') se(`=`one'[`i', 2]') statistic(`=`one'[`i', 3]') p(`=`one'[`i', 4]') lb(`=`one'[`i', 5]') ub(`=`one'[`i', 6]') n(`ss_n')
        }
    }
}

display as text "SS_STEP 5: coefficient and marginal-effect tables"
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
export delimited using "oprobit_coefficients.csv", replace
restore
preserve
clear
local ss_terms : rownames `me'
local ss_eqs : roweq `me'
local ss_k = rowsof(`me')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `me', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "oprobit_marginal_effects.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
