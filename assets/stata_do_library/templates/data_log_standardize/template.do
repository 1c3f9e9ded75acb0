display as text "SS_STEP 1: log transform and standardisation"
tempname ph
tempfile tsum
postfile `ph' str32 source str32 newvar str16 rule double(n_created n_left_missing mean sd) using "`tsum'", replace
foreach v of varlist `variables' {
    local base = substr("`v'", 1, 29)
    quietly count if !missing(`v')
    local nsrc = r(N)
{% if opt.transform == "log" or opt.transform == "both" %}
    local nv ln_`base'
    confirm new variable `nv'
{% if opt.nonpositive == "missing" %}
    quietly generate double `nv' = ln(`v') if `v' > 0 & !missing(`v')
    local rule log_positive_only
{% elif opt.nonpositive == "log1p" %}
    quietly generate double `nv' = ln(1 + `v') if `v' > -1 & !missing(`v')
    local rule log1p
{% else %}
    quietly summarize `v', meanonly
    local shift = r(min)
    quietly generate double `nv' = ln(`v' - `shift' + 1) if !missing(`v')
    local rule log_shift_min
{% endif %}
    label variable `nv' "natural log of `v' (`rule')"
    quietly summarize `nv'
    local nn = r(N)
    local mn = r(mean)
    local sd = r(sd)
    post `ph' ("`v'") ("`nv'") ("`rule'") (`nn') (`nsrc' - `nn') (`mn') (`sd')
    ss_res, step(log) term(`nv') b(`mn') statistic(`=`nsrc' - `nn'') n(`nn')
{% endif %}
{% if opt.transform == "zscore" or opt.transform == "both" %}
    local nv z_`base'
    confirm new variable `nv'
{% if has.group %}
    quietly bysort `group': egen double `nv' = std(`v')
    local rule zscore_within_group
    label variable `nv' "z-score of `v' within `group'"
{% else %}
    quietly egen double `nv' = std(`v')
    local rule zscore
    label variable `nv' "z-score of `v'"
{% endif %}
    quietly summarize `nv'
    local nn = r(N)
    local mn = r(mean)
    local sd = r(sd)
    post `ph' ("`v'") ("`nv'") ("`rule'") (`nn') (`nsrc' - `nn') (`mn') (`sd')
    ss_res, step(zscore) term(`nv') b(`mn') se(`sd') n(`nn')
{% endif %}
}
postclose `ph'

display as text "SS_STEP 2: summary of the new variables"
preserve
clear
quietly append using "`tsum'"
list, noobs abbreviate(16)
export delimited using "transform_summary.csv", replace
restore

display as text "SS_STEP 3: save the transformed dataset"
save "transformed_data.dta", replace
