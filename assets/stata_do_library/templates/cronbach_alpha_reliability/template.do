display as text "SS_STEP 1: complete cases"
tempvar touse
mark `touse'
markout `touse' `items'
quietly count if `touse'
local ss_n = r(N)
local ss_k : word count `items'
{% if opt.scale == "standardized" %}
local ss_std std
{% else %}
local ss_std
{% endif %}

display as text "SS_STEP 2: Cronbach's alpha of the scale (items as coded, no automatic reversal)"
alpha `items' if `touse', asis `ss_std'
local ss_alpha = r(alpha)
ss_res, step(reliability) term(cronbach_alpha) b(`ss_alpha') n(`ss_n')
ss_res, step(reliability) term(items) b(`ss_k') n(`ss_n')
if `ss_alpha' >= 0.7 {
    display as result "alpha = " %5.3f `ss_alpha' ": acceptable internal consistency (>= 0.7)"
}
else {
    display as result "alpha = " %5.3f `ss_alpha' ": below the conventional 0.7"
}

display as text "SS_STEP 3: alpha if each item is dropped, and item-rest correlations"
tempname ph
tempfile ss_items
postfile `ph' str32 item double(alpha_if_dropped item_rest_corr) using "`ss_items'", replace
foreach v of local items {
    local ss_rest : list items - v
    local ss_ad = .
    local ss_nrest : word count `ss_rest'
    if `ss_nrest' >= 2 {
        quietly alpha `ss_rest' if `touse', asis `ss_std'
        local ss_ad = r(alpha)
    }
    tempvar ss_sum
    quietly egen double `ss_sum' = rowtotal(`ss_rest') if `touse'
    quietly correlate `v' `ss_sum' if `touse'
    local ss_r = r(rho)
    drop `ss_sum'
    post `ph' ("`v'") (`ss_ad') (`ss_r')
    ss_res, step(alpha_if_dropped) term(`v') b(`ss_ad') statistic(`ss_r') n(`ss_n')
}
postclose `ph'
preserve
clear
quietly append using "`ss_items'"
export delimited using "alpha_items.csv", replace
restore
