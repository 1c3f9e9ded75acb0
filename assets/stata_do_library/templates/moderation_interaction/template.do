display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `moderator' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
local vceopt vce(cluster `cluster')
{% else %}
local vceopt vce(robust)
{% endif %}

display as text "SS_STEP 2: regression with the treatment x moderator interaction"
regress `outcome' c.`treatment'##c.`moderator' `controls' `ss_fe' `ss_wt' if `touse', `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "interaction" "c.`treatment'#c.`moderator'"
ss_coef "treatment_main" "`treatment'"
ss_coef "moderator_main" "`moderator'"

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace t = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "moderation_table.csv", replace
restore

display as text "SS_STEP 3: simple slopes of the treatment at moderator values"
{% if opt.at_values == "percentiles" %}
quietly _pctile `moderator' if e(sample), percentiles(25 50 75)
local lo = r(r1)
local mid = r(r2)
local hi = r(r3)
local atlabels p25 p50 p75
{% else %}
quietly summarize `moderator' if e(sample)
local lo = r(mean) - r(sd)
local mid = r(mean)
local hi = r(mean) + r(sd)
local atlabels mean_minus_sd mean mean_plus_sd
{% endif %}
margins, dydx(`treatment') at(`moderator' = (`lo' `mid' `hi')) level(`level')
tempname mt
matrix `mt' = r(table)
preserve
clear
quietly set obs 3
generate str16 at = ""
generate double moderator_value = .
foreach stat in slope se z pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues j = 1/3 {
    local lab : word `j' of `atlabels'
    local val : word `j' of `lo' `mid' `hi'
    quietly replace at = "`lab'" in `j'
    quietly replace moderator_value = `val' in `j'
    quietly replace slope = `mt'[1, `j'] in `j'
    quietly replace se = `mt'[2, `j'] in `j'
    quietly replace z = `mt'[3, `j'] in `j'
    quietly replace pvalue = `mt'[4, `j'] in `j'
    quietly replace ll = `mt'[5, `j'] in `j'
    quietly replace ul = `mt'[6, `j'] in `j'
    ss_res, step(simple_slope) term(`lab') b(`=`mt'[1, `j']') se(`=`mt'[2, `j']') statistic(`=`mt'[3, `j']') p(`=`mt'[4, `j']') lb(`=`mt'[5, `j']') ub(`=`mt'[6, `j']')
}
export delimited using "moderation_simple_slopes.csv", replace
restore

display as text "SS_STEP 4: plot of the treatment effect across moderator values"
capture noisily {
    quietly margins, dydx(`treatment') at(`moderator' = (`lo' `mid' `hi')) level(`level')
    marginsplot, yline(0, lpattern(dash)) title("Effect of `treatment' by `moderator'")
    graph export "moderation_margins_plot.png", replace width(1600)
}

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`cluster')
