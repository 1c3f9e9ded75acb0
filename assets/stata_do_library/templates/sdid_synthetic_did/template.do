display as text "SS_STEP 1: balanced panel and treatment adoption"
tempvar uid touse nper
quietly egen long `uid' = group(`unit')
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `controls'
quietly levelsof `time' if `touse', local(ss_per)
local ss_T : word count `ss_per'
quietly bysort `uid': egen long `nper' = total(`touse')
quietly count if `touse' & `nper' < `ss_T'
if r(N) > 0 {
    display as text "note: sdid needs a balanced panel: `r(N)' rows of units observed in fewer than `ss_T' periods are dropped"
}
quietly replace `touse' = 0 if `nper' < `ss_T'
tempvar ever ss_ut
quietly bysort `uid': egen byte `ever' = max(`treatment' * `touse')
quietly egen byte `ss_ut' = tag(`uid') if `touse'
quietly count if `ss_ut' == 1 & `ever' == 1
local ss_ntr = r(N)
quietly count if `ss_ut' == 1 & `ever' == 0
local ss_nco = r(N)
ss_res, step(sample) term(treated_units) b(`ss_ntr')
ss_res, step(sample) term(control_units) b(`ss_nco')
if `ss_ntr' == 0 | `ss_nco' < 2 {
    display as error "synthetic DID needs at least one treated unit and two never-treated units in the balanced panel"
    error 2001
}
{% if has.controls %}
local covopt covariates(`controls', projected)
{% else %}
local covopt
{% endif %}

display as text "SS_STEP 2: synthetic difference-in-differences (sdid, `vce' inference)"
preserve
quietly keep if `touse'
sdid `outcome' `uid' `time' `treatment', vce(`vce') reps(`reps') seed(`=int(`seed')') method(sdid) `covopt' graph
capture noisily graph export "sdid_trends.png", replace width(1600)
local ss_att = e(ATT)
local ss_se = e(se)
local ss_crit = invnormal(1 - (100 - `level') / 200)
ss_res, step(sdid) term(att) b(`ss_att') se(`ss_se') statistic(`=`ss_att' / `ss_se'') p(`=2 * normal(-abs(`ss_att' / `ss_se'))') lb(`=`ss_att' - `ss_crit' * `ss_se'') ub(`=`ss_att' + `ss_crit' * `ss_se'') n(`=_N')
tempname res
matrix `res' = J(3, 6, .)
matrix colnames `res' = estimate se z pvalue ci_lower ci_upper
matrix `res'[1, 1] = `ss_att'
matrix `res'[1, 2] = `ss_se'
matrix `res'[1, 3] = `ss_att' / `ss_se'
matrix `res'[1, 4] = 2 * normal(-abs(`ss_att' / `ss_se'))
matrix `res'[1, 5] = `ss_att' - `ss_crit' * `ss_se'
matrix `res'[1, 6] = `ss_att' + `ss_crit' * `ss_se'

display as text "SS_STEP 3: the same data by plain DID and by synthetic control (comparison, no inference)"
local r = 1
foreach m in did sc {
    local r = `r' + 1
    capture noisily {
        sdid `outcome' `uid' `time' `treatment', vce(noinference) method(`m') `covopt'
        matrix `res'[`r', 1] = e(ATT)
        ss_res, step(comparison) term(att_`m') b(`=e(ATT)') n(`=_N')
    }
}
restore
preserve
clear
quietly svmat double `res', names(col)
quietly generate str12 method = ""
quietly replace method = "sdid" in 1
quietly replace method = "did" in 2
quietly replace method = "sc" in 3
order method
export delimited using "sdid_estimates.csv", replace
restore
