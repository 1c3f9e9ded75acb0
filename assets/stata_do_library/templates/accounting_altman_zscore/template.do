display as text "SS_STEP 1: the ratios"
foreach nv in altman_x1 altman_x2 altman_x3 altman_x4 altman_x5 altman_z altman_zone {
    confirm new variable `nv'
}
tempvar ta tl
quietly generate double `ta' = `total_assets' if `total_assets' > 0
quietly generate double `tl' = `total_liabilities' if `total_liabilities' > 0
quietly count if missing(`ta') | missing(`tl')
display as text "rows with missing or non-positive total assets or liabilities (no score): `r(N)'"
quietly generate double altman_x1 = `wc' / `ta'
quietly generate double altman_x2 = `re' / `ta'
quietly generate double altman_x3 = `ebit' / `ta'
quietly generate double altman_x4 = `equity' / `tl'
label variable altman_x1 "working capital / total assets"
label variable altman_x2 "retained earnings / total assets"
label variable altman_x3 "EBIT / total assets"
label variable altman_x4 "equity / total liabilities"

display as text "SS_STEP 2: the score"
{% if opt.version == "non_manufacturing" %}
quietly generate double altman_x5 = .
quietly generate double altman_z = 6.56 * altman_x1 + 3.26 * altman_x2 + 6.72 * altman_x3 + 1.05 * altman_x4
local lo 1.1
local hi 2.6
local which Z double prime (non-manufacturing)
{% else %}
{% if has.sales %}
quietly generate double altman_x5 = `sales' / `ta'
label variable altman_x5 "sales / total assets"
{% if opt.version == "original" %}
quietly generate double altman_z = 1.2 * altman_x1 + 1.4 * altman_x2 + 3.3 * altman_x3 + 0.6 * altman_x4 + 1.0 * altman_x5
local lo 1.81
local hi 2.99
local which Z (original)
{% else %}
quietly generate double altman_z = 0.717 * altman_x1 + 0.847 * altman_x2 + 3.107 * altman_x3 + 0.42 * altman_x4 + 0.998 * altman_x5
local lo 1.23
local hi 2.9
local which Z prime (private firms)
{% endif %}
{% else %}
display as error "the original Z and Z' need sales; choose version non_manufacturing (Z'') when sales are not available"
error 198
{% endif %}
{% endif %}
label variable altman_z "Altman `which'"
quietly generate byte altman_zone = cond(altman_z < `lo', 1, cond(altman_z <= `hi', 2, 3)) if !missing(altman_z)
label define altman_zone_lbl 1 "distress" 2 "grey" 3 "safe", replace
label values altman_zone altman_zone_lbl
tabulate altman_zone

display as text "SS_STEP 3: summary"
quietly summarize altman_z, detail
local n = r(N)
if `n' == 0 {
    display as error "no observation has every input of the score"
    error 2000
}
local mz = r(mean)
local sz = r(sd)
local p25 = r(p25)
local p50 = r(p50)
local p75 = r(p75)
ss_res, step(altman_z) term(mean_z) b(`mz') se(`=`sz' / sqrt(`n')') n(`n')
ss_res, step(altman_z) term(median_z) b(`p50') n(`n')
tempname ph
tempfile zsum
postfile `ph' str12 zone double(count share lower_cutoff upper_cutoff mean_z sd_z p25 median p75) using "`zsum'", replace
forvalues k = 1/3 {
    quietly count if altman_zone == `k'
    local nk = r(N)
    local zname : word `k' of distress grey safe
    post `ph' ("`zname'") (`nk') (`nk' / `n') (cond(`k' == 1, ., cond(`k' == 2, `lo', `hi'))) (cond(`k' == 1, `lo', cond(`k' == 2, `hi', .))) (`mz') (`sz') (`p25') (`p50') (`p75')
    ss_res, step(altman_zone) term(`zname') b(`=`nk' / `n'') n(`nk')
}
postclose `ph'
preserve
clear
quietly append using "`zsum'"
list, noobs
export delimited using "zscore_summary.csv", replace
restore
save "zscore_data.dta", replace
