display as text "SS_STEP 1: complete cases"
unab origvars : _all
tempvar touse idx
mark `touse'
markout `touse' `variables'
local k : word count `variables'

display as text "SS_STEP 2: factor analysis"
factor `variables' if `touse', `method' factors(`factors')
local nf = e(f)
if `nf' < 1 {
    display as error "no factor was retained; try another method or fewer factors"
    error 2000
}
capture noisily {
    estat kmo
    ss_res, step(kmo) term(overall) b(`=r(kmo)')
}

display as text "SS_STEP 3: rotation"
tempname L rev
if `nf' > 1 {
    rotate, `rotation'
    matrix `L' = e(r_L)
    matrix `rev' = e(r_Ev)
}
else {
    display as text "a single factor was retained: there is nothing to rotate"
    matrix `L' = e(L)
    matrix `rev' = e(Ev)
}
local evsum = 0
forvalues j = 1/`nf' {
    local evsum = `evsum' + `rev'[1, `j']
}
forvalues j = 1/`nf' {
    ss_res, step(rotated_factor_variance) term(factor`j') b(`=`rev'[1, `j']') statistic(`=`rev'[1, `j'] / `evsum'') n(`=e(N)')
}
preserve
clear
quietly svmat double `L', names(factor)
generate str32 variable = ""
forvalues j = 1/`k' {
    quietly replace variable = "`: word `j' of `variables''" in `j'
}
order variable
export delimited using "factor_loadings.csv", replace
restore

display as text "SS_STEP 4: factor scores and composite index"
local scores
forvalues j = 1/`nf' {
    tempvar sc
    local scores `scores' `sc'
}
predict double `scores' if `touse'
quietly generate double `idx' = 0 if `touse'
forvalues j = 1/`nf' {
    local sc : word `j' of `scores'
    quietly replace `idx' = `idx' + (`rev'[1, `j'] / `evsum') * `sc' if `touse'
}
quietly summarize `idx' if `touse'
ss_res, step(factor_index) term(sd) b(`=r(sd)') n(`=r(N)')

local iname factor_index
capture confirm new variable `iname'
if _rc {
    local iname ss_factor_index
}
preserve
quietly generate double `iname' = `idx'
keep `origvars' `iname'
label variable `iname' "Factor composite index (variance-weighted rotated factor scores)"
quietly compress
save "factor_index.dta", replace
restore

display as text "SS_STEP 5: scree plot"
capture noisily {
    screeplot, yline(1, lpattern(dash)) title("Scree plot")
    graph export "factor_scree.png", replace width(1600)
}
