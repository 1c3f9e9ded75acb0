display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `covariates'
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

display as text "SS_STEP 2: inverse-probability-weighted regression adjustment (teffects ipwra)"
* An observation whose propensity score falls below the overlap tolerance makes teffects stop
* with r(459) and flag it in osample(); those observations are excluded, counted in the
* results, and the model is estimated on the rest (at most five rounds, since the scores move).
local ss_excluded = 0
local ss_round = 1
tempvar ss_viol
capture noisily teffects ipwra (`outcome' `covariates', `omodel') (`treatment' `covariates', `tmodel') if `touse', `estimand' `ss_vce' pstolerance(`pstolerance') osample(`ss_viol') level(`level')
local ss_rc = _rc
while `ss_rc' == 459 & `ss_round' <= 5 {
    capture confirm variable `ss_viol'
    if _rc {
        display as error "teffects stopped with r(459) without flagging observations"
        error 459
    }
    quietly count if `ss_viol' == 1 & `touse'
    if r(N) == 0 {
        display as error "teffects stopped with r(459) but flagged no observation"
        error 459
    }
    local ss_excluded = `ss_excluded' + r(N)
    display as text "round `ss_round': `r(N)' observation(s) violate the overlap assumption; excluded and re-estimated"
    quietly replace `touse' = 0 if `ss_viol' == 1
    drop `ss_viol'
    local ss_round = `ss_round' + 1
    capture noisily teffects ipwra (`outcome' `covariates', `omodel') (`treatment' `covariates', `tmodel') if `touse', `estimand' `ss_vce' pstolerance(`pstolerance') osample(`ss_viol') level(`level')
    local ss_rc = _rc
}
if `ss_rc' != 0 {
    error `ss_rc'
}
estimates store ss_m1
ss_res, step(sample) term(excluded_overlap_violations) b(`ss_excluded') n(`=e(N)')

display as text "SS_STEP 3: treatment effect and potential-outcome means"
tempname eb ev crit
matrix `eb' = e(b)
matrix `ev' = e(V)
scalar `crit' = invnormal(1 - (100 - `level') / 200)
local ss_nobs = e(N)
local ss_k = e(k_levels)
local ss_names : colfullnames `eb'
tempfile rows
tempname ph
postfile `ph' str80 term double(estimate se z pvalue ci_lower ci_upper) using "`rows'", replace
forvalues j = 1/`ss_k' {
    local ss_term : word `j' of `ss_names'
    local ss_b = `eb'[1, `j']
    local ss_s = sqrt(`ev'[`j', `j'])
    local ss_z = `ss_b' / `ss_s'
    ss_res, step(teffects_ipwra_`estimand') term(`ss_term') b(`ss_b') se(`ss_s') statistic(`ss_z') p(`=2 * normal(-abs(`ss_z'))') lb(`=`ss_b' - `crit' * `ss_s'') ub(`=`ss_b' + `crit' * `ss_s'') n(`ss_nobs')
    post `ph' ("`ss_term'") (`ss_b') (`ss_s') (`ss_z') (2 * normal(-abs(`ss_z'))) (`ss_b' - `crit' * `ss_s') (`ss_b' + `crit' * `ss_s')
}
postclose `ph'
preserve
clear
quietly append using "`rows'"
generate str8 estimand = "`estimand'"
order estimand
export delimited using "teffects_ipwra_effect.csv", replace
restore

display as text "SS_STEP 4: covariate balance after weighting (tebalance summarize)"
preserve
capture noisily {
    tebalance summarize
    tempname bal
    matrix `bal' = r(table)
    local rn : rownames `bal'
    local nr = rowsof(`bal')
    local nc = colsof(`bal')
    clear
    quietly svmat double `bal', names(stat)
    if `nc' == 4 {
        rename (stat1 stat2 stat3 stat4) (std_diff_raw std_diff_weighted var_ratio_raw var_ratio_weighted)
    }
    generate str32 variable = ""
    forvalues j = 1/`nr' {
        quietly replace variable = "`: word `j' of `rn''" in `j'
    }
    order variable
    export delimited using "teffects_ipwra_balance.csv", replace
}
restore

display as text "SS_STEP 5: overlap plot of the estimated propensity scores"
capture noisily {
    quietly estimates restore ss_m1
    teffects overlap
    graph export "teffects_ipwra_overlap.png", replace width(1600)
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, cluster(`clustvar')
