display as text "SS_STEP 1: the two groups"
tempvar gid
egen `gid' = group(`group') if !missing(`outcome'), label
quietly summarize `gid'
if r(max) != 2 {
    display as error "the grouping variable must take exactly two values where the outcome is observed"
    error 420
}

display as text "SS_STEP 2: Wilcoxon rank-sum (Mann-Whitney) test"
ranksum `outcome', by(`gid')
local z = r(z)
local n1 = r(N_1)
local n2 = r(N_2)
local sobs = r(sum_obs)
local sexp = r(sum_exp)
local p = 2 * normal(-abs(`z'))
local u = (`sobs') - `n1' * (`n1' + 1) / 2
local porder = (`u') / (`n1' * `n2')
ss_res, step(ranksum) term(z) b(`porder') statistic(`z') p(`p') n(`=`n1' + `n2'')
tempname ph
tempfile rt
postfile `ph' str12 test double(rank_sum_obs rank_sum_exp u z p_value prob_group1_gt_group2 n_1 n_2) using "`rt'", replace
post `ph' ("rank_sum") (`sobs') (`sexp') (`u') (`z') (`p') (`porder') (`n1') (`n2')
postclose `ph'
preserve
clear
quietly append using "`rt'"
export delimited using "mann_whitney_test.csv", replace
restore

display as text "SS_STEP 3: group medians"
tempfile gs
postfile `ph' str8 position str244 group double(n median p25 p75 mean) using "`gs'", replace
mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid'"), (1 \ 2)), 1, 60)
forvalues g = 1/2 {
    quietly summarize `outcome' if `gid' == `g', detail
    local med = r(p50)
    local gn = r(N)
    post `ph' ("group`g'") ("") (r(N)) (r(p50)) (r(p25)) (r(p75)) (r(mean))
    ss_res, step(group_median) term(group`g') b(`med') n(`gn')
}
postclose `ph'
preserve
clear
quietly append using "`gs'"
mata: st_sstore(., "group", ss_glab)
export delimited using "mann_whitney_groups.csv", replace
restore
