display as text "SS_STEP 1: check the percentiles and build the cells"
if `lower' >= `upper' {
    display as error "the lower percentile must be below the upper percentile"
    error 198
}
tempvar cell
{% if has.group %}
quietly egen long `cell' = group(`group' `time')
display as text "cells: `group' x `time'"
{% else %}
quietly egen long `cell' = group(`time')
display as text "cells: `time'"
{% endif %}

display as text "SS_STEP 2: winsorise within each cell at the `lower'th and `upper'th percentiles"
tempname ph
tempfile wsum
postfile `ph' str32 variable str32 newvar double(n n_below n_above cells_winsorised cells_too_small mean_before mean_after) using "`wsum'", replace
foreach v of varlist `variables' {
    tempvar lo hi nc ctag
    quietly bysort `cell': egen long `nc' = count(`v')
    quietly by `cell': egen double `lo' = pctile(`v'), p(`lower')
    quietly by `cell': egen double `hi' = pctile(`v'), p(`upper')
    quietly replace `lo' = . if `nc' < `min_cell'
    quietly replace `hi' = . if `nc' < `min_cell'
    quietly egen byte `ctag' = tag(`cell') if !missing(`cell')
    quietly count if `ctag' == 1 & `nc' >= `min_cell' & `nc' > 0
    local cw = r(N)
    quietly count if `ctag' == 1 & `nc' < `min_cell' & `nc' > 0
    local cs = r(N)
    quietly summarize `v'
    local n = r(N)
    local mb = r(mean)
{% if opt.in_place %}
    local ss_t `v'
    local st : type `v'
    if inlist("`st'", "byte", "int", "long") {
        quietly recast double `v'
    }
{% else %}
    local ss_t = substr("`v'", 1, 29) + "_wy"
    confirm new variable `ss_t'
    quietly generate double `ss_t' = `v'
    label variable `ss_t' "`v' winsorised within `time' cells"
{% endif %}
    quietly count if `ss_t' < `lo' & !missing(`ss_t', `lo')
    local nlo = r(N)
    quietly count if `ss_t' > `hi' & !missing(`ss_t', `hi')
    local nhi = r(N)
    quietly replace `ss_t' = `lo' if `ss_t' < `lo' & !missing(`ss_t', `lo')
    quietly replace `ss_t' = `hi' if `ss_t' > `hi' & !missing(`ss_t', `hi')
    quietly summarize `ss_t'
    local ma = r(mean)
    post `ph' ("`v'") ("`ss_t'") (`n') (`nlo') (`nhi') (`cw') (`cs') (`mb') (`ma')
    ss_res, step(winsorize_by_cell) term(`v') b(`ma') statistic(`=`nlo' + `nhi'') n(`n')
    drop `lo' `hi' `nc' `ctag'
}
postclose `ph'

display as text "SS_STEP 3: summary"
preserve
clear
quietly append using "`wsum'"
list, noobs abbreviate(16)
export delimited using "winsorize_by_year_summary.csv", replace
restore

display as text "SS_STEP 4: save the dataset"
drop `cell'
save "winsorized_by_year_data.dta", replace
