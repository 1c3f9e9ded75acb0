display as text "SS_STEP 1: options"
local ss_k : word count `variables'
local ss_row : word 1 of `variables'
local ss_col : word 2 of `variables'
{% if opt.include_missing %}
local ss_tabopt missing
local ss_conopt
{% else %}
local ss_tabopt
local ss_conopt nomiss
{% endif %}
foreach v of local variables {
    tempvar ss_tag
    quietly egen byte `ss_tag' = tag(`v')
    quietly count if `ss_tag'
    local ss_nd = r(N)
    drop `ss_tag'
    if `ss_nd' > `max_categories' {
        display as error "`v' has `ss_nd' distinct values (more than max_categories = `max_categories'): a frequency table needs a categorical variable; group it first or raise max_categories"
        error 134
    }
}
local ss_exopt
{% if opt.exact %}
local ss_exopt exact
{% endif %}

if `ss_k' == 1 {
    display as text "SS_STEP 2: one-way frequency table"
    tabulate `ss_row', `ss_tabopt'
    local ss_n = r(N)
    local ss_r = r(r)
    ss_res, step(frequency) term(categories) b(`ss_r') n(`ss_n')
    preserve
    contract `ss_row', freq(frequency) percent(percent) cpercent(cum_percent) `ss_conopt'
    export delimited using "frequency_table.csv", replace
    restore
}
else {
    display as text "SS_STEP 2: two-way table with chi-squared test"
    tabulate `ss_row' `ss_col', chi2 lrchi2 V `ss_tabopt' `ss_exopt'
    local ss_n = r(N)
    local ss_nr = r(r)
    local ss_nc = r(c)
    local ss_chi2 = r(chi2)
    local ss_p = r(p)
    local ss_lr = r(chi2_lr)
    local ss_plr = r(p_lr)
    local ss_v = r(CramersV)
    local ss_pex = .
{% if opt.exact %}
    local ss_pex = r(p_exact)
{% endif %}
    local ss_df = (`ss_nr' - 1) * (`ss_nc' - 1)
    ss_res, step(chi2) term(pearson_chi2) statistic(`ss_chi2') p(`ss_p') n(`ss_n')
    ss_res, step(chi2) term(lr_chi2) statistic(`ss_lr') p(`ss_plr') n(`ss_n')
    ss_res, step(chi2) term(cramers_v) b(`ss_v') n(`ss_n')
{% if opt.exact %}
    ss_res, step(chi2) term(fisher_exact) p(`ss_pex') n(`ss_n')
{% endif %}

    display as text "SS_STEP 3: cross-tabulation table"
    preserve
    contract `ss_row' `ss_col', freq(frequency) zero `ss_conopt'
    tempvar rt ct
    quietly summarize frequency
    local ss_tot = r(sum)
    quietly generate double pct_total = 100 * frequency / `ss_tot'
    quietly bysort `ss_row': egen double `rt' = total(frequency)
    quietly bysort `ss_col': egen double `ct' = total(frequency)
    quietly generate double pct_row = 100 * frequency / `rt'
    quietly generate double pct_col = 100 * frequency / `ct'
    drop `rt' `ct'
    sort `ss_row' `ss_col'
    export delimited using "frequency_table.csv", replace
    restore

    display as text "SS_STEP 4: test table"
    tempname ph
    tempfile tests
    postfile `ph' str16 test double(statistic df p_value n_obs) using "`tests'", replace
    post `ph' ("pearson_chi2") (`ss_chi2') (`ss_df') (`ss_p') (`ss_n')
    post `ph' ("lr_chi2") (`ss_lr') (`ss_df') (`ss_plr') (`ss_n')
    post `ph' ("cramers_v") (`ss_v') (.) (.) (`ss_n')
{% if opt.exact %}
    post `ph' ("fisher_exact") (.) (.) (`ss_pex') (`ss_n')
{% endif %}
    postclose `ph'
    preserve
    clear
    quietly append using "`tests'"
    export delimited using "chi2_test.csv", replace
    restore
}
