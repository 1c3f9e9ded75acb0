display as text "SS_STEP 1: check the percentile cutoffs"
if `lower' >= `upper' {
    display as error "the lower percentile must be below the upper percentile"
    error 198
}
tempname ph lo hi
tempfile wsum
postfile `ph' str32 variable double(n p_lower p_upper n_below n_above mean_before sd_before min_before max_before mean_after sd_after min_after max_after) using "`wsum'", replace

local ss_newvars
display as text "SS_STEP 2: winsorise at the `lower'th and `upper'th percentiles"
foreach v of varlist `variables' {
    quietly summarize `v'
    local n = r(N)
    local mb = r(mean)
    local sb = r(sd)
    local minb = r(min)
    local maxb = r(max)
    if `n' == 0 {
        display as text "`v' has no non-missing values: left unchanged"
        post `ph' ("`v'") (0) (.) (.) (0) (0) (.) (.) (.) (.) (.) (.) (.) (.)
        continue
    }
    quietly _pctile `v', percentiles(`lower' `upper')
    scalar `lo' = r(r1)
    scalar `hi' = r(r2)
    quietly count if `v' < `lo' & !missing(`v')
    local nlo = r(N)
    quietly count if `v' > `hi' & !missing(`v')
    local nhi = r(N)
{% if opt.in_place %}
    local ss_t `v'
    local st : type `v'
    if inlist("`st'", "byte", "int", "long") {
        quietly recast double `v'
    }
{% else %}
    local ss_t = substr("`v'", 1, 30) + "_w"
    confirm new variable `ss_t'
    quietly generate double `ss_t' = `v'
    label variable `ss_t' "winsorised copy of `v'"
    local ss_newvars `ss_newvars' `ss_t'
{% endif %}
    quietly replace `ss_t' = `lo' if `ss_t' < `lo' & !missing(`ss_t')
    quietly replace `ss_t' = `hi' if `ss_t' > `hi' & !missing(`ss_t')
    quietly summarize `ss_t'
    local ma = r(mean)
    local sa = r(sd)
    local mina = r(min)
    local maxa = r(max)
    local cut_lo = `lo'
    local cut_hi = `hi'
    post `ph' ("`v'") (`n') (`cut_lo') (`cut_hi') (`nlo') (`nhi') (`mb') (`sb') (`minb') (`maxb') (`ma') (`sa') (`mina') (`maxa')
    ss_res, step(winsorize) term(`v') b(`ma') statistic(`=`nlo' + `nhi'') lb(`cut_lo') ub(`cut_hi') n(`n')
}
postclose `ph'

display as text "SS_STEP 3: before/after summary"
preserve
clear
quietly append using "`wsum'"
export delimited using "winsorize_summary.csv", replace
capture noisily export excel using "winsorize_summary.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 4: save the winsorised dataset"
{% if not opt.in_place %}
display as text "winsorised copies: `ss_newvars' (originals kept)"
{% endif %}
save "winsorized_data.dta", replace
