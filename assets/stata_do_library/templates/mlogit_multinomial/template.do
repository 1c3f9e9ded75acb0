display as text "SS_STEP 1: variance estimator and base outcome"
local vceopt `ss_vce'
{% if has.base_outcome %}
local baseopt baseoutcome(`base_outcome')
{% else %}
local baseopt
{% endif %}

display as text "SS_STEP 2: multinomial logit model"
mlogit `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `vceopt' `baseopt' level(`level')
estimates store ss_m1
tempname tbl me one rw
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)
local ss_base = e(baseout)
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: coefficients per outcome and model fit"
forvalues i = 1/`=rowsof(`tbl')' {
    matrix `rw' = `tbl'[`i', 1...]
    local ss_eq : roweq `rw'
    local ss_t : rownames `rw'
    if `"`ss_eq'"' != "_" {
        local ss_t = `"`ss_eq'"' + ":" + "`ss_t'"
    }
    local ss_isfe 0
    foreach f of local ss_absorb {
        if strpos("`ss_t'", "`f'") > 0 {
            local ss_isfe 1
        }
    }
    if `tbl'[`i', 2] < . & `tbl'[`i', 2] > 0 & !`ss_isfe' {
        ss_res, step(mlogit) term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')
ss_res, step(model_fit) term(base_outcome) b(`ss_base') n(`ss_n')

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

display as text "SS_STEP 5: coefficient (relative-risk ratio) and marginal-effect tables"
preserve
clear
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    matrix `rw' = `tbl'[`i', 1...]
    quietly replace equation = `"`: roweq `rw''"' in `i'
    quietly replace term = "`: rownames `rw''" in `i'
}
quietly generate double rrr = exp(b)
quietly generate double rrr_ll = exp(ll)
quietly generate double rrr_ul = exp(ul)
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "mlogit_coefficients.csv", replace
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
export delimited using "mlogit_marginal_effects.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
