display as text "SS_STEP 1: count the categories of each variable"
foreach v of varlist `variables' {
    quietly tabulate `v'
    local nl = r(r)
    if `nl' > `max_levels' {
        display as error "`v' has `nl' categories, more than the limit of `max_levels'"
        error 134
    }
    if `nl' < 2 {
        display as error "`v' has fewer than two categories: no dummy to make"
        error 2000
    }
}

display as text "SS_STEP 2: one 0/1 dummy per category"
tempname ph
tempfile dmap
postfile `ph' str32 source str32 dummy double count byte dropped_base using "`dmap'", replace
mata: ss_cats = J(0, 1, "")
foreach v of varlist `variables' {
    local stub = substr("`v'", 1, 26) + "_d"
    quietly tabulate `v'
    local nl = r(r)
    forvalues k = 1/`nl' {
        confirm new variable `stub'`k'
    }
    quietly tabulate `v', generate(`stub')
    local basek 0
{% if opt.base == "first" %}
    local basek 1
{% elif opt.base == "most_frequent" %}
    local best -1
    forvalues k = 1/`nl' {
        quietly count if `stub'`k' == 1
        if r(N) > `best' {
            local best = r(N)
            local basek `k'
        }
    }
{% endif %}
    forvalues k = 1/`nl' {
        mata: ss_cats = ss_cats \ usubstr(st_varlabel("`stub'`k'"), 1, 200)
        quietly count if `stub'`k' == 1
        local nk = r(N)
        post `ph' ("`v'") ("`stub'`k'") (`nk') (`k' == `basek')
        ss_res, step(dummy) term(`stub'`k') b(`nk') n(`nk')
    }
    if `basek' > 0 {
        display as text "base category of `v' left out: `stub'`basek'"
        drop `stub'`basek'
    }
}
postclose `ph'

display as text "SS_STEP 3: dummy map"
preserve
clear
quietly append using "`dmap'"
quietly generate str244 category = ""
mata: st_sstore(., "category", ss_cats)
order source dummy category
list, noobs abbreviate(16)
export delimited using "dummies_map.csv", replace
restore

display as text "SS_STEP 4: save the dataset with the dummies"
save "dummies_data.dta", replace
