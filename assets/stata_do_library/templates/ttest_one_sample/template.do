display as text "SS_STEP 1: one-sample t test against `mu0'"
ttest `outcome' == `mu0', level(`level')
local n = r(N_1)
local m = r(mu_1)
local sd = r(sd_1)
local t = r(t)
local df = r(df_t)
local p = r(p)
local pl = r(p_l)
local pu = r(p_u)
local se = (`sd') / sqrt(max(`n', 1))
local crit = invttail(`df', (100 - `level') / 200)
local lb = (`m') - `crit' * (`se')
local ub = (`m') + `crit' * (`se')
ss_res, step(ttest) term(mean) b(`m') se(`se') statistic(`t') p(`p') lb(`lb') ub(`ub') n(`n')
tempname ph
tempfile ot
postfile `ph' str16 test double(hypothesised_mean mean sd se statistic df p_two_sided p_mean_lt p_mean_gt ci_lower ci_upper n_obs) using "`ot'", replace
post `ph' ("one_sample_t") (`mu0') (`m') (`sd') (`se') (`t') (`df') (`p') (`pl') (`pu') (`lb') (`ub') (`n')
{% if opt.signrank %}

display as text "SS_STEP 2: Wilcoxon signed-rank test"
capture noisily signrank `outcome' = `mu0'
if _rc == 0 {
    local z = r(z)
    local pz = 2 * normal(-abs(`z'))
    local nsr = r(N_pos) + r(N_neg) + r(N_tie)
    post `ph' ("signed_rank") (`mu0') (`m') (`sd') (.) (`z') (.) (`pz') (.) (.) (.) (.) (`nsr')
    ss_res, step(signrank) term(median) statistic(`z') p(`pz') n(`nsr')
}
{% endif %}
postclose `ph'
preserve
clear
quietly append using "`ot'"
export delimited using "ttest_one_sample.csv", replace
restore
