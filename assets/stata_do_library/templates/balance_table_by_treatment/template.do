display as text "SS_STEP 1: treatment groups"
tabulate `treatment'
quietly levelsof `treatment', local(ss_levels)
local ss_nlev : word count `ss_levels'
if `ss_nlev' != 2 {
    display as error "the treatment variable must take exactly two values (it has `ss_nlev')"
    error 420
}
local ss_uopt
{% if opt.unequal %}
local ss_uopt unequal
{% endif %}

display as text "SS_STEP 2: covariate means by group and t tests"
tempname ph
tempfile bal
postfile `ph' str32 variable double(n_control mean_control sd_control n_treated mean_treated sd_treated difference std_difference t p_value) using "`bal'", replace
foreach v of varlist `variables' {
    capture noisily ttest `v', by(`treatment') `ss_uopt'
    if _rc {
        display as text "`v': t test not possible (no observations in one group?): skipped"
        continue
    }
    local n0 = r(N_1)
    local n1 = r(N_2)
    local m0 = r(mu_1)
    local m1 = r(mu_2)
    local s0 = r(sd_1)
    local s1 = r(sd_2)
    local t = -(r(t))
    local p = r(p)
    local se = r(se)
    local diff = (`m1') - (`m0')
    local sdiff = (`diff') / sqrt(((`s0')^2 + (`s1')^2) / 2)
    post `ph' ("`v'") (`n0') (`m0') (`s0') (`n1') (`m1') (`s1') (`diff') (`sdiff') (`t') (`p')
    ss_res, step(balance) term(`v') b(`diff') se(`se') statistic(`t') p(`p') n(`=`n0' + `n1'')
}
postclose `ph'
preserve
clear
quietly append using "`bal'"
export delimited using "balance_table.csv", replace
capture noisily export excel using "balance_table.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 3: joint test of all covariates"
capture noisily regress `treatment' `variables'
if _rc == 0 {
    local F = e(F)
    local dfm = e(df_m)
    local dfr = e(df_r)
    local n = e(N)
    local r2 = e(r2)
    local p = Ftail(`dfm', `dfr', `F')
    ss_res, step(joint_balance) term(f_test) statistic(`F') p(`p') n(`n') r2(`r2')
}
