display as text "SS_STEP 1: complete cases"
unab origvars : _all
tempvar touse idx
mark `touse'
markout `touse' `variables'
local k : word count `variables'
local m = min(`components', `k')

display as text "SS_STEP 2: principal component analysis (correlation matrix)"
pca `variables' if `touse'
tempname ev L
matrix `ev' = e(Ev)
matrix `L' = e(L)
local trace = 0
forvalues j = 1/`k' {
    local trace = `trace' + `ev'[1, `j']
}
forvalues j = 1/`k' {
    ss_res, step(pca_eigenvalue) term(comp`j') b(`=`ev'[1, `j']') statistic(`=`ev'[1, `j'] / `trace'') n(`=e(N)')
}
forvalues j = 1/`k' {
    ss_res, step(pca_loading_comp1) term(`: word `j' of `variables'') b(`=`L'[`j', 1]')
}
capture noisily {
    estat kmo
    ss_res, step(kmo) term(overall) b(`=r(kmo)')
}

display as text "SS_STEP 3: loadings table"
preserve
clear
quietly svmat double `L', names(comp)
generate str32 variable = ""
forvalues j = 1/`k' {
    quietly replace variable = "`: word `j' of `variables''" in `j'
}
order variable
export delimited using "pca_loadings.csv", replace
restore

display as text "SS_STEP 4: component scores and composite index"
local scores
forvalues j = 1/`m' {
    tempvar sc
    local scores `scores' `sc'
}
predict double `scores' if `touse', score
local evm = 0
forvalues j = 1/`m' {
    local evm = `evm' + `ev'[1, `j']
}
quietly generate double `idx' = 0 if `touse'
forvalues j = 1/`m' {
    local sc : word `j' of `scores'
    quietly replace `idx' = `idx' + (`ev'[1, `j'] / `evm') * `sc' if `touse'
}
quietly summarize `idx' if `touse'
ss_res, step(pca_index) term(sd) b(`=r(sd)') n(`=r(N)')

local iname pca_index
capture confirm new variable `iname'
if _rc {
    local iname ss_pca_index
}
preserve
quietly generate double `iname' = `idx'
keep `origvars' `iname'
label variable `iname' "PCA composite index (variance-weighted component scores)"
quietly compress
save "pca_index.dta", replace
restore

display as text "SS_STEP 5: scree plot"
capture noisily {
    screeplot, yline(1, lpattern(dash)) title("Scree plot")
    graph export "pca_scree.png", replace width(1600)
}
