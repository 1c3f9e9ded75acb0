display as text "SS_STEP 1: survival-time setup"
stset `duration', failure(`failure')
{% if has.group %}
tempvar gid
egen long `gid' = group(`group') if _st == 1, label
label variable `gid' "`group'"
{% endif %}

display as text "SS_STEP 2: median survival time"
stci
ss_res, step(median_survival) term(all) b(`=r(p50)') se(`=r(se)') lb(`=r(lb)') ub(`=r(ub)') n(`=r(N_sub)')
{% if has.group %}
quietly levelsof `gid', local(glist)
foreach g of local glist {
    quietly stci if `gid' == `g'
    ss_res, step(median_survival) term(group_`g') b(`=r(p50)') se(`=r(se)') lb(`=r(lb)') ub(`=r(ub)') n(`=r(N_sub)')
}
{% endif %}

display as text "SS_STEP 3: Kaplan-Meier survivor function table"
tempvar s slb sub
{% if has.group %}
sts generate `s' = s `slb' = lb(s) `sub' = ub(s), by(`gid')
{% else %}
sts generate `s' = s `slb' = lb(s) `sub' = ub(s)
{% endif %}
preserve
quietly keep if _st == 1
{% if has.group %}
keep _t `gid' `group' `s' `slb' `sub'
rename `gid' group_index
{% else %}
keep _t `s' `slb' `sub'
{% endif %}
rename _t time
rename `s' survival
rename `slb' ci_lower
rename `sub' ci_upper
quietly duplicates drop
{% if has.group %}
sort group_index time
{% else %}
sort time
{% endif %}
export delimited using "km_survival_table.csv", replace
restore

display as text "SS_STEP 4: Kaplan-Meier curves"
capture noisily {
{% if has.group %}
    sts graph, by(`gid') title("Kaplan-Meier survival estimates")
{% else %}
    sts graph, ci title("Kaplan-Meier survival estimate")
{% endif %}
    graph export "km_curves.png", replace width(1600)
}
{% if has.group %}

display as text "SS_STEP 5: equality of survivor functions (log-rank test)"
sts test `gid', logrank
ss_res, step(logrank_test) term(`group') statistic(`=r(chi2)') p(`=chi2tail(r(df), r(chi2))') n(`=r(df)')
capture noisily {
    sts test `gid', wilcoxon
    ss_res, step(wilcoxon_breslow_test) term(`group') statistic(`=r(chi2)') p(`=chi2tail(r(df), r(chi2))') n(`=r(df)')
}
{% endif %}
