display as text "SS_STEP 1: panel structure and relative time"
tempvar uid touse rel
egen long `uid' = group(`unit')
xtset `uid'
mark `touse' `ss_if'
markout `touse' `outcome' `uid' `time' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar cid
egen long `cid' = group(`cluster') if `touse'
local vceopt vce(cluster `cid'){% if opt.cluster_nonest %} nonest dfadj{% endif %}
{% else %}
local vceopt vce(cluster `uid')
{% endif %}
* The first-treatment period may be coded on every row of a unit or only on some rows (for
* example only on the adoption row): each unit gets its earliest non-missing value.
tempvar ss_tt ss_ttmax tid
quietly bysort `uid': egen double `ss_tt' = min(`treat_time')
quietly by `uid': egen double `ss_ttmax' = max(`treat_time')
quietly count if `ss_tt' != `ss_ttmax' & !missing(`ss_tt')
if r(N) > 0 {
    display as text "note: the first-treatment period varies within some units (`r(N)' rows); each unit uses its earliest value"
}
quietly count if missing(`treat_time') & !missing(`ss_tt')
if r(N) > 0 {
    display as text "note: `r(N)' rows with a missing first-treatment period take their unit's value"
}
display as text "units with no first-treatment period on any row are treated as never treated"
quietly generate double `rel' = `time' - `ss_tt'
quietly egen long `tid' = group(`time')
quietly replace `rel' = -`leads' if `rel' < -`leads'
quietly replace `rel' = `lags' if `rel' > `lags' & !missing(`rel')

display as text "SS_STEP 2: event-time indicators (period -1 omitted; end points binned)"
local evvars
local evks
local prevars
forvalues k = -`leads'/`lags' {
    if `k' != -1 {
        tempvar ev
        quietly generate byte `ev' = (`rel' == `k')
        local evvars `evvars' `ev'
        local evks `evks' `k'
        if `k' < -1 {
            local prevars `prevars' `ev'
        }
    }
}

display as text "SS_STEP 3: event-study regression with unit and time fixed effects"
xtreg `outcome' `evvars' `controls' i.`tid' `ss_fe' `ss_wt' if `touse', fe `vceopt' level(`level')
estimates store ss_m1
tempname crit pre_F pre_p pre_df pre_n
scalar `crit' = cond(e(df_r) < ., invttail(e(df_r), (100 - `level') / 200), invnormal(1 - (100 - `level') / 200))
scalar `pre_F' = .
scalar `pre_p' = .
scalar `pre_df' = .
scalar `pre_n' = e(N)
if "`prevars'" != "" {
    capture noisily test `prevars'
    if _rc == 0 {
        scalar `pre_F' = r(F)
        scalar `pre_p' = r(p)
        scalar `pre_df' = r(df)
    }
}

display as text "SS_STEP 4: event-time coefficients"
local nk : word count `evks'
tempname es b se
matrix `es' = J(`nk' + 1, 4, .)
matrix colnames `es' = event_time coef ci_lower ci_upper
forvalues j = 1/`nk' {
    local k : word `j' of `evks'
    local v : word `j' of `evvars'
    scalar `b' = _b[`v']
    scalar `se' = _se[`v']
    matrix `es'[`j', 1] = `k'
    matrix `es'[`j', 2] = `b'
    matrix `es'[`j', 3] = `b' - `crit' * `se'
    matrix `es'[`j', 4] = `b' + `crit' * `se'
    local lbl = cond(`k' < 0, "lead" + string(abs(`k')), "lag" + string(`k'))
    ss_res, step(event_study) term(`lbl') b(`=`b'') se(`=`se'') statistic(`=`b' / `se'') p(`=cond(e(df_r) < ., 2 * ttail(e(df_r), abs(`b' / `se')), 2 * normal(-abs(`b' / `se')))') lb(`=`b' - `crit' * `se'') ub(`=`b' + `crit' * `se'') n(`=e(N)')
}
matrix `es'[`nk' + 1, 1] = -1
matrix `es'[`nk' + 1, 2] = 0
matrix `es'[`nk' + 1, 3] = 0
matrix `es'[`nk' + 1, 4] = 0

display as text "SS_STEP 5: joint pre-trend test (all leads = 0)"
ss_res, step(pretrend_test) term(leads_joint_F) statistic(`=`pre_F'') p(`=`pre_p'') n(`=`pre_n'')
ss_res, step(pretrend_test) term(leads_joint_df) b(`=`pre_df'') n(`=`pre_n'')

display as text "SS_STEP 6: coefficient table and event-study plot"
preserve
clear
quietly svmat double `es', names(col)
sort event_time
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "event_study_coefficients.csv", replace
capture noisily twoway (rcap ci_lower ci_upper event_time) (connected coef event_time), yline(0, lpattern(dash)) xline(-0.5, lpattern(dot)) xtitle("Periods relative to treatment") ytitle("Effect on `outcome'") legend(order(2 "Estimate" 1 "`level'% CI")) title("Event study")
capture noisily graph export "event_study_plot.png", replace width(1600)
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
{% if has.cluster %}
local ss_clname `cluster'
{% else %}
local ss_clname `unit'
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
