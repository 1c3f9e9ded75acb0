display as text "SS_STEP 1: the two groups"
tempvar gid
egen `gid' = group(`group') if !missing(`outcome'), label
quietly summarize `gid'
if r(max) != 2 {
    display as error "the grouping variable must take exactly two values where the outcome is observed"
    error 420
}
mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid'"), (1 \ 2)), 1, 60) \ "group1 - group2"
local ss_vopt
{% if opt.variance == "unequal" %}
local ss_vopt unequal
{% endif %}
{% if opt.variance == "welch" %}
local ss_vopt unequal welch
{% endif %}

display as text "SS_STEP 2: two-sample t test"
ttest `outcome', by(`gid') `ss_vopt' level(`level')
local n1 = r(N_1)
local n2 = r(N_2)
local m1 = r(mu_1)
local m2 = r(mu_2)
local s1 = r(sd_1)
local s2 = r(sd_2)
local t = r(t)
local df = r(df_t)
local p = r(p)
local pl = r(p_l)
local pu = r(p_u)
local se = r(se)
local diff = (`m1') - (`m2')
if missing(`se') & !missing(`t') & `t' != 0 {
    local se = (`diff') / (`t')
}
local crit = invttail(`df', (100 - `level') / 200)
local lb = (`diff') - `crit' * (`se')
local ub = (`diff') + `crit' * (`se')
local sp = sqrt(((`n1' - 1) * (`s1')^2 + (`n2' - 1) * (`s2')^2) / (`n1' + `n2' - 2))
local d = (`diff') / (`sp')
ss_res, step(ttest) term(difference) b(`diff') se(`se') statistic(`t') p(`p') lb(`lb') ub(`ub') n(`=`n1' + `n2'')
ss_res, step(ttest) term(cohens_d) b(`d') n(`=`n1' + `n2'')

display as text "SS_STEP 3: results table"
tempname ph
tempfile tt
postfile `ph' str12 row str244 group double(n mean sd se ci_lower ci_upper t df p_two_sided p_diff_lt0 p_diff_gt0 cohens_d) using "`tt'", replace
forvalues g = 1/2 {
    local nn = `n`g''
    local gse = (`s`g'') / sqrt(max(`nn', 1))
    local gcrit = invttail(max(`nn' - 1, 1), (100 - `level') / 200)
    post `ph' ("group`g'") ("") (`nn') (`m`g'') (`s`g'') (`gse') ((`m`g'') - `gcrit' * (`gse')) ((`m`g'') + `gcrit' * (`gse')) (.) (.) (.) (.) (.) (.)
}
post `ph' ("difference") ("") (`n1' + `n2') (`diff') (.) (`se') (`lb') (`ub') (`t') (`df') (`p') (`pl') (`pu') (`d')
postclose `ph'
preserve
clear
quietly append using "`tt'"
mata: st_sstore(., "group", ss_glab)
export delimited using "ttest_results.csv", replace
restore
