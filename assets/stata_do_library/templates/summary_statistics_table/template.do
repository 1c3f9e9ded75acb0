display as text "SS_STEP 1: summary statistics"
tempname ph
tempfile stats
postfile `ph' str32 variable str244 label double(n mean sd min p25 median p75 max) using "`stats'", replace
mata: ss_labels = J(0, 1, "")
foreach v of varlist `variables' {
    quietly summarize `v', detail
    local n = r(N)
    local mean = r(mean)
    local sd = r(sd)
    local min = r(min)
    local p25 = r(p25)
    local p50 = r(p50)
    local p75 = r(p75)
    local max = r(max)
    mata: ss_labels = ss_labels \ usubstr(st_varlabel("`v'"), 1, 60)
    post `ph' ("`v'") ("") (`n') (`mean') (`sd') (`min') (`p25') (`p50') (`p75') (`max')
    local sem = cond(`n' > 1, (`sd') / sqrt(max(`n', 1)), .)
    ss_res, step(summary) term(`v') b(`mean') se(`sem') n(`n')
}
postclose `ph'

display as text "SS_STEP 2: export the table"
preserve
clear
quietly append using "`stats'"
mata: st_sstore(., "label", ss_labels)
list, noobs abbreviate(16)
export delimited using "summary_statistics.csv", replace
capture noisily export excel using "summary_statistics.xlsx", firstrow(variables) replace
restore
