display as text "SS_STEP 1: groups"
tempvar touse g
mark `touse' `ss_if'
markout `touse' `outcome' `time'
markout `touse' `group', strok
quietly egen long `g' = group(`group') if `touse', label
quietly summarize `g', meanonly
local ng = r(max)
if `ng' > `max_groups' {
    display as error "`group' has `ng' groups, more than max_groups (`max_groups')"
    error 134
}
display as text "groups: `ng'"

display as text "SS_STEP 2: statistic per group and period"
{% if has.policy_period %}
forvalues k = 1/`ng' {
    quietly summarize `outcome' if `touse' & `g' == `k' & `time' < `policy_period'
    local m0 = r(mean)
    local n0 = r(N)
    quietly summarize `outcome' if `touse' & `g' == `k' & `time' >= `policy_period'
    local m1 = r(mean)
    local n1 = r(N)
    ss_res, step(before_policy) term(group_`k') b(`m0') n(`n0')
    ss_res, step(after_policy) term(group_`k') b(`m1') n(`n1')
    ss_res, step(change_at_policy) term(group_`k') b(`=`m1' - `m0'') n(`=`n0' + `n1'')
}
{% else %}
forvalues k = 1/`ng' {
    quietly summarize `outcome' if `touse' & `g' == `k'
    ss_res, step(group_mean) term(group_`k') b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')
}
{% endif %}
preserve
quietly keep if `touse'
keep `g' `time' `outcome'
{% if opt.stat == "median" %}
collapse (median) stat=`outcome' (sd) sd=`outcome' (count) n=`outcome', by(`g' `time')
{% else %}
collapse (mean) stat=`outcome' (sd) sd=`outcome' (count) n=`outcome', by(`g' `time')
{% endif %}
quietly generate double se = sd / sqrt(n)
local crit = invnormal(1 - (100 - `level') / 200)
quietly generate double lb = stat - `crit' * se
quietly generate double ub = stat + `crit' * se
rename `g' group_id
decode group_id, generate(group_label)
sort group_id `time'
export delimited using "trends_by_group.csv", replace

display as text "SS_STEP 3: trend chart"
capture noisily {
    separate stat, by(group_id) generate(ss_line) sequential
    local plots
{% if opt.ci %}
    forvalues k = 1/`ng' {
        local plots `plots' (rarea lb ub `time' if group_id == `k', color(gs14) lwidth(none))
    }
{% endif %}
    local plots `plots' (line ss_line* `time', sort)
{% if has.policy_period %}
    twoway `plots', xline(`policy_period', lpattern(dash)) ytitle("`outcome'") xtitle("`time'") title("Trends by `group'")
{% else %}
    twoway `plots', ytitle("`outcome'") xtitle("`time'") title("Trends by `group'")
{% endif %}
    graph export "trends_by_group.png", replace width(1600)
}
restore
