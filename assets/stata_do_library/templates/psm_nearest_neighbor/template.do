display as text "SS_STEP 1: estimation sample and reproducible sort order"
tempvar touse order
mark `touse'
markout `touse' `outcome' `treatment' `covariates'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'
set seed `=int(`seed')'
quietly generate double `order' = runiform()
sort `order'

display as text "SS_STEP 2: logit propensity score and nearest-neighbour matching with caliper"
psmatch2 `treatment' `covariates' if `touse', outcome(`outcome') logit neighbor(`neighbors') caliper(`caliper') common ties
tempname att seatt
scalar `att' = r(att)
scalar `seatt' = r(seatt)

display as text "SS_STEP 3: average treatment effect on the treated"
ss_res, step(psm_att) term(`outcome') b(`=`att'') se(`=`seatt'') statistic(`=`att' / `seatt'') p(`=2 * normal(-abs(`att' / `seatt'))') lb(`=`att' - invnormal(0.975) * `seatt'') ub(`=`att' + invnormal(0.975) * `seatt'')
quietly count if _treated == 1 & _support == 1 & `touse'
local n_on = r(N)
quietly count if _treated == 1 & _support == 0 & `touse'
local n_off = r(N)
quietly count if _treated == 0 & _weight < . & `touse'
local n_used = r(N)
ss_res, step(common_support) term(treated_on_support) b(`n_on') n(`n_on')
ss_res, step(common_support) term(treated_off_support) b(`n_off') n(`n_off')
ss_res, step(common_support) term(controls_used) b(`n_used') n(`n_used')

display as text "SS_STEP 4: result table"
preserve
clear
quietly set obs 1
generate str32 estimand = "ATT"
generate double att = `att'
generate double se = `seatt'
generate double z = `att' / `seatt'
generate double pvalue = 2 * normal(-abs(z))
generate long treated_on_support = `n_on'
generate long treated_off_support = `n_off'
generate long controls_used = `n_used'
export delimited using "psm_att.csv", replace
restore

display as text "SS_STEP 5: propensity score overlap graph"
capture noisily psgraph
capture noisily graph export "psm_pscore_overlap.png", replace width(1600)
