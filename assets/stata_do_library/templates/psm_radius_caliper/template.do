display as text "SS_STEP 1: estimation sample and reproducible sort order"
tempvar touse order
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `covariates'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'
set seed `=int(`seed')'
quietly generate double `order' = runiform()
sort `order'

display as text "SS_STEP 2: bootstrap standard error of the ATT (radius (caliper) matching)"
* psmatch2's own standard error treats the matching weights as fixed; for radius (caliper) matching the
* bootstrap over the whole procedure (score estimation and matching) is the usual inference.
bootstrap att = r(att), reps(`reps') seed(`=int(`seed')') level(`level') nodots: psmatch2 `treatment' `covariates' if `touse', outcome(`outcome') logit radius caliper(`caliper') common
tempname bt bci
matrix `bt' = r(table)
capture matrix `bci' = e(ci_percentile)
if _rc {
    matrix `bci' = J(2, 1, .)
}
local ss_bse = `bt'[2, 1]

display as text "SS_STEP 3: radius (caliper) matching on the full sample (common support)"
psmatch2 `treatment' `covariates' if `touse', outcome(`outcome') logit radius caliper(`caliper') common
tempname att seatt
scalar `att' = r(att)
scalar `seatt' = r(seatt)
local ss_crit = invnormal(1 - (100 - `level') / 200)
ss_res, step(psm_att_bootstrap) term(`outcome') b(`=`att'') se(`ss_bse') statistic(`=`att' / `ss_bse'') p(`=2 * normal(-abs(`att' / `ss_bse'))') lb(`=`bci'[1, 1]') ub(`=`bci'[2, 1]')
ss_res, step(psm_att_analytic) term(`outcome') b(`=`att'') se(`=`seatt'') statistic(`=`att' / `seatt'') p(`=2 * normal(-abs(`att' / `seatt'))') lb(`=`att' - `ss_crit' * `seatt'') ub(`=`att' + `ss_crit' * `seatt'')
quietly count if _treated == 1 & _support == 1 & `touse'
local n_on = r(N)
quietly count if _treated == 1 & _support == 0 & `touse'
local n_off = r(N)
quietly count if _treated == 0 & _weight < . & _weight > 0 & `touse'
local n_used = r(N)
ss_res, step(common_support) term(treated_on_support) b(`n_on') n(`n_on')
ss_res, step(common_support) term(treated_off_support) b(`n_off') n(`n_off')
ss_res, step(common_support) term(controls_used) b(`n_used') n(`n_used')

display as text "SS_STEP 4: covariate balance before and after matching (standardised bias)"
tempfile bal
tempname ph
postfile `ph' str32 variable double(mean_treated mean_control_raw mean_control_matched std_bias_raw std_bias_matched bias_reduction_pct) using "`bal'", replace
foreach v of local covariates {
    quietly summarize `v' if `touse' & `treatment' == 1
    local mt = r(mean)
    local vt = r(Var)
    quietly summarize `v' if `touse' & `treatment' == 0
    local mc = r(mean)
    local sdp = sqrt((`vt' + r(Var)) / 2)
    quietly summarize `v' if `touse' & _treated == 1 & _support == 1
    local mta = r(mean)
    quietly summarize `v' [aweight = _weight] if `touse' & _treated == 0 & _weight < . & _weight > 0
    local mca = r(mean)
    local sb0 = 100 * (`mt' - `mc') / `sdp'
    local sb1 = 100 * (`mta' - `mca') / `sdp'
    post `ph' ("`v'") (`mta') (`mc') (`mca') (`sb0') (`sb1') (100 * (abs(`sb0') - abs(`sb1')) / abs(`sb0'))
    ss_res, step(balance_std_bias_matched) term(`v') b(`sb1') statistic(`sb0')
}
postclose `ph'
preserve
clear
quietly append using "`bal'"
export delimited using "psm_radius_balance.csv", replace
restore
capture noisily {
    pstest `covariates', both
    ss_res, step(pstest) term(mean_bias_before) b(`=r(meanbiasbef)')
    ss_res, step(pstest) term(mean_bias_after) b(`=r(meanbiasaft)')
}

display as text "SS_STEP 5: result table"
preserve
clear
quietly set obs 1
generate str32 estimand = "ATT"
generate double att = `att'
generate double se_bootstrap = `ss_bse'
generate double ci_lower_bootstrap = `bci'[1, 1]
generate double ci_upper_bootstrap = `bci'[2, 1]
generate double se_analytic = `seatt'
generate double z_bootstrap = att / se_bootstrap
generate double pvalue_bootstrap = 2 * normal(-abs(z_bootstrap))
generate long treated_on_support = `n_on'
generate long treated_off_support = `n_off'
generate long controls_used = `n_used'
generate long bootstrap_reps = `reps'
export delimited using "psm_radius_att.csv", replace
restore

display as text "SS_STEP 6: propensity score overlap graph"
capture noisily psgraph
capture noisily graph export "psm_radius_overlap.png", replace width(1600)
