display as text "SS_STEP 1: the paired measurements"
local ss_a : word 1 of `variables'
local ss_b : word 2 of `variables'
tempvar d
quietly generate double `d' = `ss_a' - `ss_b'
quietly summarize `d'
local md = r(mean)
local sdd = r(sd)

display as text "SS_STEP 2: paired t test"
ttest `ss_a' == `ss_b', level(`level')
local n = r(N_1)
local m1 = r(mu_1)
local m2 = r(mu_2)
local t = r(t)
local df = r(df_t)
local p = r(p)
local se = (`sdd') / sqrt(max(`n', 1))
local crit = invttail(`df', (100 - `level') / 200)
local lb = (`md') - `crit' * (`se')
local ub = (`md') + `crit' * (`se')
ss_res, step(paired_ttest) term(`ss_a'-`ss_b') b(`md') se(`se') statistic(`t') p(`p') lb(`lb') ub(`ub') n(`n')
tempname ph
tempfile pt
postfile `ph' str16 test double(mean_1 mean_2 mean_difference sd_difference se statistic df p_value ci_lower ci_upper n_obs) using "`pt'", replace
post `ph' ("paired_t") (`m1') (`m2') (`md') (`sdd') (`se') (`t') (`df') (`p') (`lb') (`ub') (`n')
{% if opt.signrank %}

display as text "SS_STEP 3: Wilcoxon signed-rank test"
capture noisily signrank `ss_a' = `ss_b'
if _rc == 0 {
    local z = r(z)
    local pz = 2 * normal(-abs(`z'))
    local nsr = r(N_pos) + r(N_neg) + r(N_tie)
    post `ph' ("signed_rank") (`m1') (`m2') (`md') (`sdd') (.) (`z') (.) (`pz') (.) (.) (`nsr')
    ss_res, step(signrank) term(`ss_a'-`ss_b') statistic(`z') p(`pz') n(`nsr')
}
{% endif %}
postclose `ph'
preserve
clear
quietly append using "`pt'"
export delimited using "paired_test.csv", replace
restore
