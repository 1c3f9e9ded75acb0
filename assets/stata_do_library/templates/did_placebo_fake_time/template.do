display as text "SS_STEP 1: panel identifiers and the actual policy timing"
tempvar uid tid first actual
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
{% if has.treat_time %}
* each unit's earliest first-treatment period; units without one are never treated
quietly bysort `uid': egen double `first' = min(`treat_time')
{% else %}
{% if has.treated and has.post %}
quietly summarize `time' if `post' == 1, meanonly
if r(N) == 0 {
    display as error "no row has `post' == 1: the policy period cannot be found"
    error 2000
}
local ss_tpost = r(min)
display as text "policy starts in period `ss_tpost' (first period with `post' == 1)"
quietly generate double `first' = cond(`treated' == 1, `ss_tpost', .)
{% else %}
display as error "give the first-treatment period, or both a treated-group and a post-period indicator"
error 198
{% endif %}
{% endif %}
quietly generate byte `actual' = !missing(`first') & `time' >= `first'
{% if has.cluster %}
local vceopt `ss_vce'
local ss_clname `cluster'
{% else %}
local vceopt vce(cluster `uid')
local ss_clname `unit'
{% endif %}
* readable names for the policy terms in the tables (suffixed when the data has them)
local ss_names
foreach stem in policy_did fake_policy {
    local nm `stem'
    local ss_j = 0
    capture confirm new variable `nm'
    while _rc {
        local ss_j = `ss_j' + 1
        local nm `stem'_`ss_j'
        capture confirm new variable `nm'
    }
    local ss_names `ss_names' `nm'
}
local ss_real : word 1 of `ss_names'
local ss_fake : word 2 of `ss_names'
quietly generate byte `ss_real' = `actual'

display as text "SS_STEP 2: actual DID estimate (reference)"
reghdfe `outcome' `ss_real' `controls' `ss_wt' `ss_if', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
estimates store ss_m0
ss_coef "did_actual" "`ss_real'"

display as text "SS_STEP 3: fake policy timing, 1 to `max_shift' periods earlier, on rows not yet treated"
* The sample keeps only rows before the actual treatment (and every row of never-treated
* units); the fake policy switches on s periods before the real one. Significant fake
* effects point to anticipation or pre-existing trends.
tempname fk
matrix `fk' = J(`max_shift', 7, .)
matrix colnames `fk' = shift estimate se pvalue ci_lower ci_upper n_obs
local ss_models ss_m0
forvalues s = 1/`max_shift' {
    quietly generate byte `ss_fake' = !missing(`first') & `time' >= `first' - `s'
    quietly count if `ss_fake' == 1 & `actual' == 0
    if r(N) == 0 {
        display as text "shift `s': no pre-treatment row falls in the fake post period; skipped"
        drop `ss_fake'
        continue
    }
    display as text "fake policy `s' period(s) earlier"
    capture noisily reghdfe `outcome' `ss_fake' `controls' `ss_wt' `ss_if' & `actual' == 0, absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
    if _rc == 0 {
        estimates store ss_f`s'
        local ss_models `ss_models' ss_f`s'
        ss_coef "fake_time_shift_`s'" "`ss_fake'"
        local ss_df = cond(e(df_r) < ., e(df_r), .)
        local ss_crit = cond(`ss_df' < ., invttail(`ss_df', (100 - `level') / 200), invnormal(1 - (100 - `level') / 200))
        matrix `fk'[`s', 1] = `s'
        matrix `fk'[`s', 2] = _b[`ss_fake']
        matrix `fk'[`s', 3] = _se[`ss_fake']
        matrix `fk'[`s', 4] = cond(`ss_df' < ., 2 * ttail(`ss_df', abs(_b[`ss_fake'] / _se[`ss_fake'])), 2 * normal(-abs(_b[`ss_fake'] / _se[`ss_fake'])))
        matrix `fk'[`s', 5] = _b[`ss_fake'] - `ss_crit' * _se[`ss_fake']
        matrix `fk'[`s', 6] = _b[`ss_fake'] + `ss_crit' * _se[`ss_fake']
        matrix `fk'[`s', 7] = e(N)
    }
    drop `ss_fake'
}

display as text "SS_STEP 4: fake-timing estimates table and plot"
preserve
clear
quietly svmat double `fk', names(col)
quietly drop if missing(shift)
export delimited using "fake_time_placebo.csv", replace
capture noisily {
    twoway (rcap ci_lower ci_upper shift) (scatter estimate shift), yline(0, lpattern(dash)) xtitle("Fake policy: periods earlier than the real one") ytitle("Placebo DID estimate") legend(order(2 "Estimate" 1 "`level'% CI")) title("Placebo test: fake policy timing")
    graph export "fake_time_placebo.png", replace width(1600)
}
restore

display as text "SS_STEP 5: publication table: actual and fake-timing estimates (xlsx, tex, docx)"
capture noisily ss_pubtable `ss_models', fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
