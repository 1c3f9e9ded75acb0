display as text "SS_STEP 1: groups"
tempvar gid rk
egen `gid' = group(`group') if !missing(`outcome'), label
quietly summarize `gid'
local ss_ng = r(max)
if missing(`ss_ng') | `ss_ng' < 2 {
    display as error "at least two groups with observed outcomes are needed"
    error 2001
}

display as text "SS_STEP 2: Kruskal-Wallis rank test"
kwallis `outcome', by(`gid')
local chi2 = r(chi2)
local chi2a = r(chi2_adj)
local df = r(df)
local p = chi2tail(`df', `chi2')
local pa = chi2tail(`df', `chi2a')
quietly count if !missing(`gid')
local N = r(N)
ss_res, step(kruskal_wallis) term(chi2_ties_adjusted) statistic(`chi2a') p(`pa') n(`N')
ss_res, step(kruskal_wallis) term(chi2) statistic(`chi2') p(`p') n(`N')
tempname ph
tempfile kt
postfile `ph' str20 test double(chi2 df p_value n_obs) using "`kt'", replace
post `ph' ("kruskal_wallis") (`chi2') (`df') (`p') (`N')
post `ph' ("kruskal_wallis_ties") (`chi2a') (`df') (`pa') (`N')
postclose `ph'
preserve
clear
quietly append using "`kt'"
export delimited using "kruskal_wallis_test.csv", replace
restore

display as text "SS_STEP 3: group medians and mean ranks"
egen double `rk' = rank(`outcome') if !missing(`gid')
tempfile gs
postfile `ph' str244 group double(n median mean_rank) using "`gs'", replace
mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid'"), (1::`ss_ng')), 1, 60)
forvalues g = 1/`ss_ng' {
    quietly summarize `outcome' if `gid' == `g', detail
    local gn = r(N)
    local med = r(p50)
    quietly summarize `rk' if `gid' == `g'
    local mr = r(mean)
    post `ph' ("") (`gn') (`med') (`mr')
    ss_res, step(group_median) term(group`g') b(`med') statistic(`mr') n(`gn')
}
postclose `ph'
preserve
clear
quietly append using "`gs'"
mata: st_sstore(., "group", ss_glab)
export delimited using "kruskal_wallis_groups.csv", replace
restore
{% if opt.pairwise %}

display as text "SS_STEP 4: Bonferroni-adjusted pairwise rank-sum tests"
local ss_npairs = `ss_ng' * (`ss_ng' - 1) / 2
tempfile pairs
postfile `ph' str244 group_1 str244 group_2 double(z p_unadjusted p_bonferroni n_obs) using "`pairs'", replace
mata: ss_pairs = J(0, 2, "")
forvalues i = 1/`ss_ng' {
    forvalues j = 1/`ss_ng' {
        if `j' > `i' {
            mata: ss_pairs = ss_pairs \ (ss_glab[`i'], ss_glab[`j'])
            local zz = .
            local nn = .
            capture noisily ranksum `outcome' if inlist(`gid', `i', `j'), by(`gid')
            if _rc == 0 {
                local zz = r(z)
                local nn = r(N_1) + r(N_2)
            }
            local pp = 2 * normal(-abs(`zz'))
            local pb = cond(missing(`pp'), ., min(1, (`pp') * `ss_npairs'))
            post `ph' ("") ("") (`zz') (`pp') (`pb') (`nn')
            ss_res, step(pairwise_ranksum) term(g`i'_vs_g`j') statistic(`zz') p(`pb') n(`nn')
        }
    }
}
postclose `ph'
preserve
clear
quietly append using "`pairs'"
mata: st_sstore(., ("group_1", "group_2"), ss_pairs)
export delimited using "kruskal_wallis_pairwise.csv", replace
restore
{% endif %}
