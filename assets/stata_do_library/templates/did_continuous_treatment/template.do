display as text "SS_STEP 1: panel identifiers and treatment intensity"
tempvar uid tid
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
{% if has.cluster %}
local vceopt `ss_vce'
local ss_clname `cluster'
{% else %}
local vceopt vce(cluster `uid')
local ss_clname `unit'
{% endif %}
{% if has.post %}
local dterm c.`intensity'#c.`post'
display as text "treatment term: intensity `intensity' x post-period `post'"
{% else %}
local dterm `intensity'
display as text "treatment term: intensity `intensity' as it varies over units and periods"
{% endif %}
quietly summarize `intensity' `ss_if'
local ss_sd = r(sd)
ss_res, step(intensity) term(mean) b(`=r(mean)') se(`ss_sd') lb(`=r(min)') ub(`=r(max)') n(`=r(N)')

display as text "SS_STEP 2: intensity DID with unit and time fixed effects"
reghdfe `outcome' `dterm' `controls' `ss_wt' `ss_if', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
estimates store ss_m1
local ss_b = _b[`dterm']
local ss_s = _se[`dterm']
local ss_n = e(N)
ss_coef "intensity_did" "`dterm'"
ss_res, step(intensity_did) term(effect_of_one_sd) b(`=`ss_b' * `ss_sd'') se(`=`ss_s' * `ss_sd'') n(`ss_n')
tempvar insample
quietly generate byte `insample' = e(sample)
{% if has.post %}
{% if opt.dynamic %}

display as text "SS_STEP 3: dose-response event study (intensity x each period, last pre-period omitted)"
quietly summarize `tid' if `insample' & `post' == 0, meanonly
if r(N) > 0 {
    local ss_base = r(max)
    quietly levelsof `tid' if `insample', local(ss_levels)
    capture noisily reghdfe `outcome' ib`ss_base'.`tid'#c.`intensity' `controls' `ss_wt' if `insample', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
    if _rc == 0 {
        local ss_nl : word count `ss_levels'
        tempname dyn
        matrix `dyn' = J(`ss_nl', 5, .)
        matrix colnames `dyn' = period estimate se ci_lower ci_upper
        local ss_crit = invttail(e(df_r), (100 - `level') / 200)
        local i = 0
        foreach k of local ss_levels {
            local i = `i' + 1
            quietly summarize `time' if `tid' == `k', meanonly
            matrix `dyn'[`i', 1] = r(min)
            if `k' == `ss_base' {
                matrix `dyn'[`i', 2] = 0
                matrix `dyn'[`i', 3] = 0
                matrix `dyn'[`i', 4] = 0
                matrix `dyn'[`i', 5] = 0
            }
            else {
                capture local ss_bk = _b[`k'.`tid'#c.`intensity']
                if _rc == 0 {
                    local ss_sk = _se[`k'.`tid'#c.`intensity']
                    matrix `dyn'[`i', 2] = `ss_bk'
                    matrix `dyn'[`i', 3] = `ss_sk'
                    matrix `dyn'[`i', 4] = `ss_bk' - `ss_crit' * `ss_sk'
                    matrix `dyn'[`i', 5] = `ss_bk' + `ss_crit' * `ss_sk'
                    ss_res, step(dose_response_dynamic) term(period_`i') b(`ss_bk') se(`ss_sk') lb(`=`ss_bk' - `ss_crit' * `ss_sk'') ub(`=`ss_bk' + `ss_crit' * `ss_sk'') n(`=e(N)')
                }
            }
        }
        preserve
        clear
        quietly svmat double `dyn', names(col)
        export delimited using "dose_response_dynamic.csv", replace
        capture noisily {
            twoway (rcap ci_lower ci_upper period) (connected estimate period), yline(0, lpattern(dash)) xtitle("`time'") ytitle("Effect of one unit of `intensity'") legend(order(2 "Estimate" 1 "`level'% CI")) title("Dose-response by period")
            graph export "dose_response_dynamic.png", replace width(1600)
        }
        restore
    }
}
else {
    display as text "no pre-period rows: the dynamic dose-response is skipped"
}
{% endif %}
{% endif %}

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
