display as text "SS_STEP 1: estimation sample and reproducible sort order"
tempvar touse order
mark `touse'
markout `touse' `treatment' `covariates'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'
set seed `=int(`seed')'
quietly generate double `order' = runiform()
sort `order'

display as text "SS_STEP 2: propensity score matching"
psmatch2 `treatment' `covariates' if `touse', logit neighbor(`neighbors') caliper(`caliper') common ties

display as text "SS_STEP 3: standardised bias before and after matching"
local nv : word count `covariates'
tempname bal
matrix `bal' = J(`nv', 7, .)
matrix colnames `bal' = mean_treated_before mean_control_before bias_before mean_treated_after mean_control_after bias_after bias_reduction
matrix rownames `bal' = `covariates'
forvalues j = 1/`nv' {
    local v : word `j' of `covariates'
    quietly summarize `v' if `touse' & `treatment' == 1
    local mt = r(mean)
    local vt = r(Var)
    quietly summarize `v' if `touse' & `treatment' == 0
    local mc = r(mean)
    local sd = sqrt((`vt' + r(Var)) / 2)
    quietly summarize `v' if `touse' & _treated == 1 & _support == 1
    local mta = r(mean)
    quietly summarize `v' [aweight = _weight] if `touse' & _treated == 0 & _weight < .
    local mca = r(mean)
    local bb = 100 * (`mt' - `mc') / `sd'
    local ba = 100 * (`mta' - `mca') / `sd'
    matrix `bal'[`j', 1] = `mt'
    matrix `bal'[`j', 2] = `mc'
    matrix `bal'[`j', 3] = `bb'
    matrix `bal'[`j', 4] = `mta'
    matrix `bal'[`j', 5] = `mca'
    matrix `bal'[`j', 6] = `ba'
    matrix `bal'[`j', 7] = 100 * (abs(`bb') - abs(`ba')) / abs(`bb')
    ss_res, step(std_bias_before) term(`v') b(`bb')
    ss_res, step(std_bias_after) term(`v') b(`ba')
}

display as text "SS_STEP 4: balance table"
preserve
clear
quietly svmat double `bal', names(col)
generate str32 variable = ""
forvalues j = 1/`nv' {
    quietly replace variable = "`: word `j' of `covariates''" in `j'
}
order variable
export delimited using "psm_balance_table.csv", replace
restore

display as text "SS_STEP 5: pstest summary (mean and median bias, pseudo R2)"
capture noisily {
    pstest `covariates', both
    tempname mbb mba r2b r2a cpb cpa
    scalar `mbb' = r(meanbiasbef)
    scalar `mba' = r(meanbiasaft)
    scalar `r2b' = r(r2bef)
    scalar `r2a' = r(r2aft)
    scalar `cpb' = r(chiprobbef)
    scalar `cpa' = r(chiprobaft)
    ss_res, step(pstest) term(mean_bias_before) b(`=`mbb'')
    ss_res, step(pstest) term(mean_bias_after) b(`=`mba'')
    ss_res, step(pstest) term(pseudo_r2_before) b(`=`r2b'') p(`=`cpb'')
    ss_res, step(pstest) term(pseudo_r2_after) b(`=`r2a'') p(`=`cpa'')
}
