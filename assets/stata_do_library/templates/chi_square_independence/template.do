display as text "SS_STEP 1: the two categorical variables"
local ss_row : word 1 of `variables'
local ss_col : word 2 of `variables'
local ss_exopt
{% if opt.exact %}
local ss_exopt exact
{% endif %}

display as text "SS_STEP 2: chi-squared test of independence"
tabulate `ss_row' `ss_col', chi2 lrchi2 V expected `ss_exopt'
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

display as text "SS_STEP 3: observed and expected counts per cell"
preserve
contract `ss_row' `ss_col', freq(observed) zero nomiss
tempvar rt ct
quietly summarize observed
local ss_tot = r(sum)
quietly bysort `ss_row': egen double `rt' = total(observed)
quietly bysort `ss_col': egen double `ct' = total(observed)
quietly generate double expected = `rt' * `ct' / `ss_tot'
quietly generate double std_residual = (observed - expected) / sqrt(expected)
drop `rt' `ct'
sort `ss_row' `ss_col'
quietly count if expected < 5
local ss_small = r(N)
local ss_cells = _N
export delimited using "chi2_cells.csv", replace
restore
ss_res, step(chi2) term(cells_expected_below_5) b(`ss_small') statistic(`ss_cells') n(`ss_n')
