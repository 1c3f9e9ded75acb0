display as text "SS_STEP 1: panel identifiers, cohorts and relative time"
tempvar uid tid gvar
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
* The first-treatment period may be coded on every row of a unit or only on some rows: each
* unit gets its earliest non-missing value; units without one are never treated.
quietly bysort `uid': egen double `gvar' = min(`treat_time')
quietly count if missing(`gvar')
local ss_nnever = r(N)
quietly summarize `time', meanonly
local ss_tmin = r(min)
quietly count if !missing(`gvar') & `gvar' <= `ss_tmin'
if r(N) > 0 {
    display as text "note: `r(N)' rows belong to units treated in or before the first period (always treated): they serve in no comparison"
}
tempvar ss_ut
quietly egen byte `ss_ut' = tag(`uid')
quietly count if `ss_ut' & missing(`gvar')
ss_res, step(cohorts) term(never_treated_units) b(`r(N)')
quietly count if `ss_ut' & !missing(`gvar')
ss_res, step(cohorts) term(ever_treated_units) b(`r(N)')
{% if has.cluster %}
local vceopt `ss_vce'
{% else %}
local vceopt vce(cluster `uid')
{% endif %}
{% if has.controls %}
local covopt covariates(`controls')
{% else %}
local covopt
{% endif %}
tempvar rel ctrl
quietly generate double `rel' = `time' - `gvar'
quietly replace `rel' = -`leads' if `rel' < -`leads'
quietly replace `rel' = `lags' if `rel' > `lags' & !missing(`rel')
* control cohort: the never treated; without any, the last-treated cohort (its treated periods dropped)
quietly generate byte `ctrl' = missing(`gvar')
local ss_keep
if `ss_nnever' == 0 {
    quietly summarize `gvar', meanonly
    local ss_last = r(max)
    quietly replace `ctrl' = (`gvar' == `ss_last')
    local ss_keep & `time' < `ss_last'
    display as text "no never-treated unit: the last-treated cohort (`ss_last') is the control cohort, periods from `ss_last' on are dropped"
}

display as text "SS_STEP 2: relative-time indicators (period -1 omitted, end points binned)"
local evvars
local evks
local ss_nlead = 0
forvalues k = -`leads'/`lags' {
    if `k' != -1 {
        tempvar ev
        quietly generate byte `ev' = (`rel' == `k') & !`ctrl'
        local evvars `evvars' `ev'
        local evks `evks' `k'
        if `k' < -1 {
            local ss_nlead = `ss_nlead' + 1
        }
    }
}

display as text "SS_STEP 3: Sun-Abraham interaction-weighted event study (eventstudyinteract)"
eventstudyinteract `outcome' `evvars' `ss_if' `ss_keep', cohort(`gvar') control_cohort(`ctrl') `covopt' absorb(`uid' `tid' `ss_absorb') `vceopt'
tempname B V
matrix `B' = e(b_iw)
matrix `V' = e(V_iw)
local ss_n = e(N)

display as text "SS_STEP 4: IW estimates by relative period"
local nk : word count `evks'
tempname es
matrix `es' = J(`nk' + 1, 5, .)
matrix colnames `es' = event_time estimate se ci_lower ci_upper
local ss_crit = invnormal(1 - (100 - `level') / 200)
forvalues j = 1/`nk' {
    local k : word `j' of `evks'
    local ss_b = `B'[1, `j']
    local ss_s = sqrt(`V'[`j', `j'])
    matrix `es'[`j', 1] = `k'
    matrix `es'[`j', 2] = `ss_b'
    matrix `es'[`j', 3] = `ss_s'
    matrix `es'[`j', 4] = `ss_b' - `ss_crit' * `ss_s'
    matrix `es'[`j', 5] = `ss_b' + `ss_crit' * `ss_s'
    local lbl = cond(`k' < 0, "lead" + string(abs(`k')), "lag" + string(`k'))
    ss_res, step(sun_abraham) term(`lbl') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
}
matrix `es'[`nk' + 1, 1] = -1
matrix `es'[`nk' + 1, 2] = 0
matrix `es'[`nk' + 1, 3] = 0
matrix `es'[`nk' + 1, 4] = 0
matrix `es'[`nk' + 1, 5] = 0

display as text "SS_STEP 5: joint pre-trend test (all leads = 0, Wald on the IW estimates)"
if `ss_nlead' > 0 {
    capture noisily {
        tempname bp vp w
        matrix `bp' = `B'[1, 1..`ss_nlead']
        matrix `vp' = `V'[1..`ss_nlead', 1..`ss_nlead']
        matrix `w' = `bp' * invsym(`vp') * `bp''
        ss_res, step(pretrend_test) term(leads_joint_chi2) statistic(`=`w'[1, 1]') p(`=chi2tail(`ss_nlead', `w'[1, 1])') b(`ss_nlead') n(`ss_n')
    }
}

display as text "SS_STEP 6: event-study table and plot"
preserve
clear
quietly svmat double `es', names(col)
sort event_time
export delimited using "sun_abraham_event_study.csv", replace
capture noisily {
    twoway (rcap ci_lower ci_upper event_time) (connected estimate event_time), yline(0, lpattern(dash)) xline(-0.5, lpattern(dot)) xtitle("Periods relative to treatment") ytitle("Effect on `outcome'") legend(order(2 "IW estimate" 1 "`level'% CI")) title("Sun-Abraham event study")
    graph export "sun_abraham_event_study.png", replace width(1600)
}
restore
