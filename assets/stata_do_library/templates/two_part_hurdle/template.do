display as text "SS_STEP 1: outcome check and variance estimator"
capture assert `depvar' >= 0 if !missing(`depvar')
if _rc {
    display as error "a hurdle at zero needs a non-negative outcome: `depvar' has negative values"
    error 459
}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
quietly count if `depvar' == 0 & !missing(`depvar')
local ss_zeros = r(N)
quietly count if !missing(`depvar')
local ss_all = r(N)
if `ss_zeros' == 0 {
    display as error "`depvar' has no zeros: there is no participation hurdle to model"
    error 459
}

display as text "SS_STEP 2: Cragg hurdle model (participation probit and `amount_model' amount equation)"
churdle `amount_model' `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', select(`regressors' `controls' `exclusion' `ss_fe') ll(0) `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)

display as text "SS_STEP 3: coefficients of both equations and the share of zeros"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_t : word `i' of `ss_terms'
    local ss_e : word `i' of `ss_eqs'
    local ss_hit : list ss_t in regressors
    if `ss_hit' {
        ss_res, step(hurdle_`ss_e') term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
ss_res, step(sample) term(share_of_zeros) b(`=`ss_zeros' / `ss_all'') n(`ss_all')

display as text "SS_STEP 4: average marginal effects on the expected outcome"
capture noisily {
    margins, dydx(`regressors' `controls' `exclusion') level(`level')
    matrix `me' = r(table)'
    local ss_mterms : rownames `me'
    local ss_i = 0
    foreach t of local ss_mterms {
        local ss_i = `ss_i' + 1
        ss_res, step(marginal_effect) term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
    }
    preserve
    clear
    local ss_k = rowsof(`me')
    quietly set obs `ss_k'
    quietly generate str80 term = ""
    quietly svmat double `me', names(col)
    forvalues i = 1/`ss_k' {
        quietly replace term = "`: word `i' of `ss_mterms''" in `i'
    }
    export delimited using "hurdle_marginal_effects.csv", replace
    restore
}

display as text "SS_STEP 5: coefficient table"
preserve
clear
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
export delimited using "hurdle_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
