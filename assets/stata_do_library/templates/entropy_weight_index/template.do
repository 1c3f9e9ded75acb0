display as text "SS_STEP 1: complete cases and indicator ranges"
unab origvars : _all
tempvar touse idx
mark `touse'
markout `touse' `variables'
quietly count if `touse'
local n = r(N)
if `n' < 2 {
    display as error "at least two complete observations are needed"
    error 2001
}
local k : word count `variables'
foreach v of varlist `variables' {
    quietly summarize `v' if `touse'
    if r(max) == r(min) {
        display as error "indicator `v' is constant in the sample; drop it from the index"
        error 459
    }
}

display as text "SS_STEP 2: min-max normalisation (negative indicators reversed)"
local ss_negs `negative_indicators'
local ss_vars `variables'
local ss_notin : list ss_negs - ss_vars
if "`ss_notin'" != "" {
    display as error "negative indicators that are not among the index indicators: `ss_notin'"
    error 198
}
local zlist
foreach v of varlist `variables' {
    tempvar z
    local ss_isneg : list v in ss_negs
{% if opt.direction == "negative" %}
    local ss_isneg = 1
{% endif %}
    quietly summarize `v' if `touse'
    if `ss_isneg' {
        quietly generate double `z' = (r(max) - `v') / (r(max) - r(min)) if `touse'
        display as text "`v': negative indicator (smaller is better)"
    }
    else {
        quietly generate double `z' = (`v' - r(min)) / (r(max) - r(min)) if `touse'
    }
    local zlist `zlist' `z'
}

display as text "SS_STEP 3: proportions, entropy, divergence and weights"
tempname W
matrix `W' = J(`k', 3, .)
matrix colnames `W' = entropy divergence weight
local j = 0
local dsum = 0
foreach z of local zlist {
    local j = `j' + 1
    tempvar p plp
    quietly summarize `z' if `touse'
    quietly generate double `p' = `z' / r(sum) if `touse'
    quietly generate double `plp' = cond(`p' > 0, `p' * ln(`p'), 0) if `touse'
    quietly summarize `plp' if `touse'
    matrix `W'[`j', 1] = -r(sum) / ln(`n')
    matrix `W'[`j', 2] = 1 - `W'[`j', 1]
    local dsum = `dsum' + `W'[`j', 2]
}
quietly generate double `idx' = 0 if `touse'
forvalues j = 1/`k' {
    matrix `W'[`j', 3] = `W'[`j', 2] / `dsum'
    local v : word `j' of `variables'
    local z : word `j' of `zlist'
    quietly replace `idx' = `idx' + `W'[`j', 3] * `z' if `touse'
    ss_res, step(entropy_weight) term(`v') b(`=`W'[`j', 3]') statistic(`=`W'[`j', 1]') n(`n')
}
quietly summarize `idx' if `touse'
ss_res, step(entropy_index) term(mean) b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') lb(`=r(min)') ub(`=r(max)') n(`=r(N)')

display as text "SS_STEP 4: weights table"
preserve
clear
quietly svmat double `W', names(col)
generate str32 indicator = ""
forvalues j = 1/`k' {
    quietly replace indicator = "`: word `j' of `variables''" in `j'
}
order indicator
export delimited using "entropy_weights.csv", replace
restore

display as text "SS_STEP 5: dataset with the composite index (0-1 scale)"

local iname entropy_index
capture confirm new variable `iname'
if _rc {
    local iname ss_entropy_index
}
preserve
quietly generate double `iname' = `idx'
keep `origvars' `iname'
label variable `iname' "Entropy-weight composite index (0-1)"
quietly compress
save "entropy_index.dta", replace
restore
