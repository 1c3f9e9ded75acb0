display as text "SS_STEP 1: groups"
tempvar gid
egen `gid' = group(`group') if !missing(`outcome'), label
quietly summarize `gid'
local ss_ng = r(max)
if missing(`ss_ng') | `ss_ng' < 2 {
    display as error "at least two groups with observed outcomes are needed"
    error 2001
}

display as text "SS_STEP 2: one-way ANOVA"
anova `outcome' `gid'
local F = e(F)
local dfm = e(df_m)
local dfr = e(df_r)
local N = e(N)
local r2 = e(r2)
local mss = e(mss)
local rss = e(rss)
local mse = (`rss') / `dfr'
local p = Ftail(`dfm', `dfr', `F')
ss_res, step(anova) term(F) statistic(`F') p(`p') n(`N') r2(`r2')
tempname ph
tempfile at
postfile `ph' str8 source double(ss df ms F p_value) using "`at'", replace
post `ph' ("between") (`mss') (`dfm') ((`mss') / `dfm') (`F') (`p')
post `ph' ("within") (`rss') (`dfr') (`mse') (.) (.)
post `ph' ("total") ((`mss') + (`rss')) (`dfm' + `dfr') (((`mss') + (`rss')) / (`dfm' + `dfr')) (.) (.)
postclose `ph'
preserve
clear
quietly append using "`at'"
export delimited using "anova_table.csv", replace
restore

display as text "SS_STEP 3: group means and Bartlett's test"
capture noisily oneway `outcome' `gid', tabulate
if _rc == 0 {
    local bart = r(chi2bart)
    local dfb = r(df_bart)
    local pb = chi2tail(`dfb', `bart')
    ss_res, step(bartlett) term(equal_variances) statistic(`bart') p(`pb') n(`N')
}
tempname gm
matrix `gm' = J(`ss_ng', 3, .)
tempfile means
postfile `ph' str244 group double(n mean sd) using "`means'", replace
mata: ss_glab = usubstr(st_vlmap(st_varvaluelabel("`gid'"), (1::`ss_ng')), 1, 60)
forvalues g = 1/`ss_ng' {
    quietly summarize `outcome' if `gid' == `g'
    matrix `gm'[`g', 1] = r(N)
    matrix `gm'[`g', 2] = r(mean)
    matrix `gm'[`g', 3] = r(sd)
    post `ph' ("") (`gm'[`g', 1]) (`gm'[`g', 2]) (`gm'[`g', 3])
}
postclose `ph'
preserve
clear
quietly append using "`means'"
mata: st_sstore(., "group", ss_glab)
export delimited using "anova_group_means.csv", replace
restore
{% if opt.bonferroni %}

display as text "SS_STEP 4: Bonferroni-adjusted pairwise comparisons"
local ss_npairs = `ss_ng' * (`ss_ng' - 1) / 2
tempfile pairs
postfile `ph' str244 group_1 str244 group_2 double(difference se t p_unadjusted p_bonferroni) using "`pairs'", replace
mata: ss_pairs = J(0, 2, "")
forvalues i = 1/`ss_ng' {
    forvalues j = 1/`ss_ng' {
        if `j' > `i' {
            mata: ss_pairs = ss_pairs \ (ss_glab[`j'], ss_glab[`i'])
            local dd = `gm'[`j', 2] - `gm'[`i', 2]
            local sed = sqrt((`mse') * (1 / `gm'[`i', 1] + 1 / `gm'[`j', 1]))
            local tt = (`dd') / (`sed')
            local pp = 2 * ttail(`dfr', abs(`tt'))
            local pb = min(1, (`pp') * `ss_npairs')
            post `ph' ("") ("") (`dd') (`sed') (`tt') (`pp') (`pb')
            ss_res, step(bonferroni) term(g`j'_vs_g`i') b(`dd') se(`sed') statistic(`tt') p(`pb')
        }
    }
}
postclose `ph'
preserve
clear
quietly append using "`pairs'"
mata: st_sstore(., ("group_1", "group_2"), ss_pairs)
export delimited using "anova_pairwise.csv", replace
restore
{% endif %}
