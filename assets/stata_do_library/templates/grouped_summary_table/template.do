display as text "SS_STEP 1: groups"
tempvar gid
egen `gid' = group(`group'), label
quietly summarize `gid'
local ss_ng = r(max)
if missing(`ss_ng') {
    display as error "the grouping variable has no non-missing values"
    error 2000
}
if `ss_ng' > 500 {
    display as error "the grouping variable has `ss_ng' groups; at most 500 are supported"
    error 134
}
tabulate `gid'

display as text "SS_STEP 2: statistics by group"
tempname ph
tempfile gstats
postfile `ph' str244 group str32 variable double(n mean sd min p25 median p75 max) using "`gstats'", replace
mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid'"), (1::`ss_ng')), 1, 60) \ "(all)"
mata: ss_rows = J(0, 1, "")
foreach v of varlist `variables' {
    mata: ss_rows = ss_rows \ ss_glab
    forvalues g = 1/`ss_ng' {
        quietly summarize `v' if `gid' == `g', detail
        post `ph' ("") ("`v'") (r(N)) (r(mean)) (r(sd)) (r(min)) (r(p25)) (r(p50)) (r(p75)) (r(max))
    }
    quietly summarize `v' if !missing(`gid'), detail
    local n = r(N)
    local mean = r(mean)
    post `ph' ("") ("`v'") (r(N)) (r(mean)) (r(sd)) (r(min)) (r(p25)) (r(p50)) (r(p75)) (r(max))
    ss_res, step(pooled_mean) term(`v') b(`mean') n(`n')
}
postclose `ph'
preserve
clear
quietly append using "`gstats'"
mata: st_sstore(., "group", ss_rows)
export delimited using "grouped_summary.csv", replace
capture noisily export excel using "grouped_summary.xlsx", firstrow(variables) replace
restore
{% if opt.test %}

display as text "SS_STEP 3: one-way ANOVA F test of equal means"
foreach v of varlist `variables' {
    capture noisily oneway `v' `gid'
    if _rc == 0 {
        local F = r(F)
        local dfm = r(df_m)
        local dfr = r(df_r)
        local n = r(N)
        local p = Ftail(`dfm', `dfr', `F')
        ss_res, step(anova_f) term(`v') statistic(`F') p(`p') n(`n')
    }
}
{% endif %}
