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
teffects psmatch (`outcome') (`treatment' `covariates', logit) if `touse', `estimand' nneighbor(`neighbors') `calopt' level(`level')
tempname tbl
matrix `tbl' = r(table)

display as text "SS_STEP 3: treatment effect"
ss_res, step(teffects_`estimand') term(`treatment') b(`=`tbl'[1, 1]') se(`=`tbl'[2, 1]') statistic(`=`tbl'[3, 1]') p(`=`tbl'[4, 1]') lb(`=`tbl'[5, 1]') ub(`=`tbl'[6, 1]') n(`=e(N)')
preserve
clear
quietly set obs 1
generate str8 estimand = "`estimand'"
generate double effect = `tbl'[1, 1]
generate double se = `tbl'[2, 1]
generate double z = `tbl'[3, 1]
generate double pvalue = `tbl'[4, 1]
generate double ci_lower = `tbl'[5, 1]
generate double ci_upper = `tbl'[6, 1]
export delimited using "teffects_psmatch_effect.csv", replace
restore

display as text "SS_STEP 4: covariate balance (tebalance summarize)"
capture noisily {
    tebalance summarize
    tempname bal
    matrix `bal' = r(table)
    local rn : rownames `bal'
    local nr = rowsof(`bal')
    preserve
    clear
    quietly svmat double `bal', names(col)
    generate str32 variable = ""
    forvalues j = 1/`nr' {
        quietly replace variable = "`: word `j' of `rn''" in `j'
    }
    order variable
    export delimited using "teffects_balance.csv", replace
    restore
}
