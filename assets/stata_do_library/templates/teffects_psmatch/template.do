display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse'
markout `touse' `outcome' `treatment' `covariates'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'

display as text "SS_STEP 2: propensity score matching (teffects psmatch)"
{% if has.caliper %}
local calopt caliper(`caliper')
{% else %}
local calopt
{% endif %}
* An observation without a match inside the caliper, or with a propensity score below the
* tolerance, makes teffects stop with r(459) and flag it in osample(); those observations are
* then excluded, counted in the results, and the model is estimated on the rest.
* (Excluding them changes the estimated scores, so this repeats, at most five rounds.)
local ss_excluded = 0
local ss_round = 1
tempvar ss_viol
capture noisily teffects psmatch (`outcome') (`treatment' `covariates', logit) if `touse', `estimand' nneighbor(`neighbors') `calopt' pstolerance(`pstolerance') osample(`ss_viol') level(`level')
local ss_rc = _rc
while `ss_rc' == 459 & `ss_round' <= 5 {
    capture confirm variable `ss_viol'
    if _rc {
        display as error "teffects psmatch stopped with r(459) without flagging observations"
        error 459
    }
    quietly count if `ss_viol' == 1 & `touse'
    if r(N) == 0 {
        display as error "teffects psmatch stopped with r(459) but flagged no observation"
        error 459
    }
    local ss_excluded = `ss_excluded' + r(N)
    display as text "round `ss_round': `r(N)' observation(s) violate overlap or have no match within the caliper; excluded and re-estimated"
    quietly replace `touse' = 0 if `ss_viol' == 1
    drop `ss_viol'
    local ss_round = `ss_round' + 1
    capture noisily teffects psmatch (`outcome') (`treatment' `covariates', logit) if `touse', `estimand' nneighbor(`neighbors') `calopt' pstolerance(`pstolerance') osample(`ss_viol') level(`level')
    local ss_rc = _rc
}
if `ss_rc' != 0 {
    error `ss_rc'
}
ss_res, step(sample) term(excluded_no_match_or_overlap) b(`ss_excluded') n(`=e(N)')
tempname eb ev te tse tz tp crit nobs
matrix `eb' = e(b)
matrix `ev' = e(V)
scalar `te' = `eb'[1, 1]
scalar `tse' = sqrt(`ev'[1, 1])
scalar `tz' = `te' / `tse'
scalar `tp' = 2 * normal(-abs(`tz'))
scalar `crit' = invnormal(1 - (100 - `level') / 200)
scalar `nobs' = e(N)

display as text "SS_STEP 3: treatment effect"
ss_res, step(teffects_`estimand') term(`treatment') b(`=`te'') se(`=`tse'') statistic(`=`tz'') p(`=`tp'') lb(`=`te' - `crit' * `tse'') ub(`=`te' + `crit' * `tse'') n(`=`nobs'')
preserve
clear
quietly set obs 1
generate str8 estimand = "`estimand'"
generate double effect = `te'
generate double se = `tse'
generate double z = `tz'
generate double pvalue = `tp'
generate double ci_lower = `te' - `crit' * `tse'
generate double ci_upper = `te' + `crit' * `tse'
export delimited using "teffects_psmatch_effect.csv", replace
restore

display as text "SS_STEP 4: covariate balance (tebalance summarize)"
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
        rename (stat1 stat2 stat3 stat4) (std_diff_raw std_diff_matched var_ratio_raw var_ratio_matched)
    }
    generate str32 variable = ""
    forvalues j = 1/`nr' {
        quietly replace variable = "`: word `j' of `rn''" in `j'
    }
    order variable
    export delimited using "teffects_balance.csv", replace
}
restore
