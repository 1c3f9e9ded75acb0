display as text "SS_STEP 1: panel setup and checks"
tsset `unit' `time'
quietly count if `unit' == `treated_unit'
if r(N) == 0 {
    display as error "treated unit `treated_unit' not found in `unit'"
    error 2000
}
quietly count if `unit' == `treated_unit' & `time' < `treatment_period' & !missing(`outcome')
local ss_npre = r(N)
if `ss_npre' < 2 {
    display as error "the treated unit needs at least two periods with the outcome before `treatment_period'"
    error 2001
}
quietly levelsof `time' if `unit' == `treated_unit' & `time' < `treatment_period' & !missing(`outcome'), local(ss_pre)
* lagged-outcome predictors: the first, middle and last pre-treatment periods
local ss_lagged
foreach j in 1 `=ceil(`ss_npre' / 2)' `ss_npre' {
    local ss_p : word `j' of `ss_pre'
    local ss_term `outcome'(`ss_p')
    local ss_dup : list ss_term in ss_lagged
    if !`ss_dup' {
        local ss_lagged `ss_lagged' `ss_term'
    }
}
display as text "predictors: `ss_lagged' `predictors'"

display as text "SS_STEP 2: synthetic control with in-space placebo inference (synth_runner)"
* Every donor is in turn treated as if it had received the policy; the treated unit's effect
* is ranked among these placebo effects, period by period and jointly over the post period.
synth_runner `outcome' `outcome' `ss_lagged' `predictors', trunit(`treated_unit') trperiod(`treatment_period')
tempname B P PS
matrix `B' = e(b)
matrix `P' = e(pvals)
matrix `PS' = e(pvals_std)
local ss_npl = e(n_pl)
ss_res, step(placebo_inference) term(joint_post_rmspe_p) p(`=e(pval_joint_post)') n(`ss_npl')
ss_res, step(placebo_inference) term(joint_post_pre_ratio_p) p(`=e(pval_joint_post_std)') n(`ss_npl')
ss_res, step(placebo_inference) term(pre_rmspe_fit_p) p(`=e(avg_pre_rmspe_p)') n(`ss_npl')
ss_res, step(placebo_inference) term(placebo_units) b(`ss_npl')

display as text "SS_STEP 3: effect and placebo p-value by post-treatment period"
local ss_k = colsof(`B')
tempname tab
matrix `tab' = J(`ss_k', 4, .)
matrix colnames `tab' = post_period effect pval pval_std
forvalues j = 1/`ss_k' {
    matrix `tab'[`j', 1] = `j'
    matrix `tab'[`j', 2] = `B'[1, `j']
    matrix `tab'[`j', 3] = `P'[1, `j']
    matrix `tab'[`j', 4] = `PS'[1, `j']
    ss_res, step(effect_by_period) term(post_period_`j') b(`=`B'[1, `j']') p(`=`PS'[1, `j']') n(`ss_npl')
}
preserve
clear
quietly svmat double `tab', names(col)
export delimited using "synth_placebo_pvalues.csv", replace
capture noisily {
    twoway (bar pval_std post_period) (connected effect post_period, yaxis(2)), yline(0.1, lpattern(dash)) ytitle("Placebo p-value (standardized)") ytitle("Effect on `outcome'", axis(2)) xtitle("Post-treatment period (1 = `treatment_period')") legend(order(1 "p-value" 2 "Effect")) title("Synthetic control: in-space placebo inference")
    graph export "synth_placebo_pvalues.png", replace width(1600)
}
restore
