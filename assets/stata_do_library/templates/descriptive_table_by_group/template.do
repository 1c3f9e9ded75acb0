display as text "SS_STEP 1: groups"
tempvar g
quietly egen long `g' = group(`group'), label
quietly summarize `g', meanonly
local ng = r(max)
if `ng' < 2 {
    display as error "`group' has fewer than two groups"
    error 2000
}
if `ng' > `max_groups' {
    display as error "`group' has `ng' groups, more than max_groups (`max_groups')"
    error 134
}
preserve
quietly keep if !missing(`g')
keep `g'
contract `g'
rename `g' group_index
decode group_index, generate(group_label)
rename _freq n_rows
quietly generate str4 column = "g" + string(group_index)
order column group_index group_label n_rows
list, noobs
export delimited using "group_key.csv", replace
restore

display as text "SS_STEP 2: mean (sd) and N by group, and the difference test"
tempname ph
tempfile tab
local pcols
forvalues k = 1/`ng' {
    local pcols `pcols' str40 g`k' double n`k'
}
postfile `ph' str32 variable `pcols' double(difference statistic p_value) str4 stars str24 test using "`tab'", replace
foreach v of varlist `variables' {
    local vals
    forvalues k = 1/`ng' {
        quietly summarize `v' if `g' == `k'
        local mk = r(mean)
        local sk = r(sd)
        local nk = r(N)
        if `k' == 1 {
            local mfirst = `mk'
        }
        if `k' == `ng' {
            local mlast = `mk'
        }
        local cell = strtrim(string(`mk', "%12.3f")) + " (" + strtrim(string(`sk', "%12.3f")) + ")"
        local vals `vals' ("`cell'") (`nk')
        ss_res, step(group_mean) term(`v'_g`k') b(`mk') se(`=`sk' / sqrt(`nk')') n(`nk')
    }
    local st .
    local pv .
{% if opt.test == "parametric" %}
    if `ng' == 2 {
        local tn t test
        capture quietly ttest `v', by(`g')
        if _rc == 0 {
            local st = r(t)
            local pv = r(p)
        }
    }
    else {
        local tn ANOVA F
        capture quietly oneway `v' `g'
        if _rc == 0 {
            local st = r(F)
            local pv = Ftail(r(df_m), r(df_r), r(F))
        }
    }
{% else %}
    if `ng' == 2 {
        local tn rank-sum z
        capture quietly ranksum `v', by(`g')
        if _rc == 0 {
            local st = r(z)
            local pv = 2 * normal(-abs(r(z)))
        }
    }
    else {
        local tn Kruskal-Wallis chi2
        capture quietly kwallis `v', by(`g')
        if _rc == 0 {
            local st = r(chi2_adj)
            local pv = chi2tail(r(df), r(chi2_adj))
        }
    }
{% endif %}
    local diff = `mlast' - `mfirst'
    local stars = cond(`pv' < 0.01, "***", cond(`pv' < 0.05, "**", cond(`pv' < 0.1, "*", "")))
    post `ph' ("`v'") `vals' (`diff') (`st') (`pv') ("`stars'") ("`tn'")
    ss_res, step(difference_test) term(`v') b(`diff') statistic(`st') p(`pv')
}
postclose `ph'

display as text "SS_STEP 3: export the table"
preserve
clear
quietly append using "`tab'"
list, noobs abbreviate(12)
export delimited using "table_by_group.csv", replace
capture noisily export excel using "table_by_group.xlsx", firstrow(variables) replace
capture noisily {
    putdocx clear
    putdocx begin
    putdocx table ss_grp = data(_all), varnames
    putdocx paragraph
    putdocx text ("Mean (sd) by group; columns g1, g2, ... as listed in group_key.csv; * p<0.1, ** p<0.05, *** p<0.01")
    putdocx save "table_by_group.docx", replace
}
restore
