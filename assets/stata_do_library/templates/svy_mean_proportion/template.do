display as text "SS_STEP 1: survey design (svyset)"
{% if has.psu %}
local ss_psu `psu'
{% else %}
local ss_psu _n
{% endif %}
{% if has.strata %}
svyset `ss_psu' [pweight = `weight'], strata(`strata') singleunit(`singleunit')
{% else %}
svyset `ss_psu' [pweight = `weight'], singleunit(`singleunit')
{% endif %}
capture assert `weight' >= 0 if !missing(`weight')
if _rc {
    display as error "the sampling weight `weight' has negative values"
    error 402
}
tempvar subpop
mark `subpop' `ss_if'
{% if has.group %}
tempvar gid
quietly egen long `gid' = group(`group')
quietly summarize `gid'
local ss_ng = r(max)
if `ss_ng' < 2 | `ss_ng' > 50 {
    display as error "the group variable must have between 2 and 50 groups (found `ss_ng')"
    error 2000
}
{% endif %}

display as text "SS_STEP 2: design-based means (svy: mean)"
tempfile rows
tempname ph tbl
postfile `ph' str32 variable long group_index double(category estimate se ci_lower ci_upper n_obs) using "`rows'", replace
foreach v of varlist `variables' {
    svy, subpop(`subpop'): mean `v', level(`level')
    matrix `tbl' = r(table)
    ss_res, step(svy_mean) term(`v') b(`=`tbl'[1, 1]') se(`=`tbl'[2, 1]') lb(`=`tbl'[5, 1]') ub(`=`tbl'[6, 1]') n(`=e(N_sub)')
    post `ph' ("`v'") (0) (.) (`tbl'[1, 1]) (`tbl'[2, 1]) (`tbl'[5, 1]) (`tbl'[6, 1]) (e(N_sub))
{% if has.group %}
    forvalues g = 1/`ss_ng' {
        tempvar sub
        quietly generate byte `sub' = `subpop' & `gid' == `g'
        svy, subpop(`sub'): mean `v', level(`level')
        matrix `tbl' = r(table)
        ss_res, step(svy_mean_by_group) term(`v'@group`g') b(`=`tbl'[1, 1]') se(`=`tbl'[2, 1]') lb(`=`tbl'[5, 1]') ub(`=`tbl'[6, 1]') n(`=e(N_sub)')
        post `ph' ("`v'") (`g') (.) (`tbl'[1, 1]) (`tbl'[2, 1]) (`tbl'[5, 1]) (`tbl'[6, 1]) (e(N_sub))
        drop `sub'
    }
    display as text "design-based test of equal means of `v' across groups"
    quietly svy, subpop(`subpop'): regress `v' i.`gid'
    quietly testparm i.`gid'
    ss_res, step(svy_mean_equality) term(`v') statistic(`=r(F)') p(`=r(p)')
{% endif %}
}

{% if has.categories %}
display as text "SS_STEP 3: design-based proportions (means of category indicators) and the Rao-Scott test"
foreach c of varlist `categories' {
    quietly levelsof `c' if `subpop', local(ss_clist)
    local ss_nc : word count `ss_clist'
    if `ss_nc' > 50 {
        display as error "`c' has `ss_nc' categories; a proportion table takes at most 50"
        error 134
    }
    foreach k of local ss_clist {
        tempvar isk
        quietly generate byte `isk' = (`c' == `k') if !missing(`c')
        quietly svy, subpop(`subpop'): mean `isk', level(`level')
        matrix `tbl' = r(table)
        ss_res, step(svy_proportion) term(`c'=`k') b(`=`tbl'[1, 1]') se(`=`tbl'[2, 1]') lb(`=`tbl'[5, 1]') ub(`=`tbl'[6, 1]') n(`=e(N_sub)')
        post `ph' ("`c'") (0) (`k') (`tbl'[1, 1]) (`tbl'[2, 1]) (`tbl'[5, 1]) (`tbl'[6, 1]) (e(N_sub))
{% if has.group %}
        forvalues g = 1/`ss_ng' {
            tempvar sub
            quietly generate byte `sub' = `subpop' & `gid' == `g'
            quietly svy, subpop(`sub'): mean `isk', level(`level')
            matrix `tbl' = r(table)
            post `ph' ("`c'") (`g') (`k') (`tbl'[1, 1]) (`tbl'[2, 1]) (`tbl'[5, 1]) (`tbl'[6, 1]) (e(N_sub))
            drop `sub'
        }
{% endif %}
        drop `isk'
    }
{% if has.group %}
    display as text "Rao-Scott design-based test of independence of `c' and the groups"
    svy, subpop(`subpop'): tabulate `c' `gid', column
    ss_res, step(svy_tabulate_rao_scott) term(`c') statistic(`=e(F_Pear)') p(`=e(p_Pear)')
{% endif %}
}
{% endif %}

display as text "SS_STEP 4: table of estimates (group_index 0 is the whole sample)"
postclose `ph'
{% if has.group %}
preserve
quietly keep if !missing(`gid')
contract `gid' `group'
drop _freq
rename `gid' group_index
rename `group' group_value
tempfile groups
quietly save "`groups'"
restore
{% endif %}
preserve
clear
quietly append using "`rows'"
{% if has.group %}
quietly merge m:1 group_index using "`groups'", keep(master match) nogenerate
sort variable group_index category
{% endif %}
export delimited using "svy_estimates.csv", replace
restore
