display as text "SS_STEP 1: panel identifiers and treatment cohorts"
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
tempvar cid
quietly egen long `cid' = group(`cluster')
local clopt cluster(`cid')
{% else %}
local clopt cluster(`uid')
{% endif %}
{% if has.controls %}
local ctlopt controls(`controls')
{% else %}
local ctlopt
{% endif %}

display as text "SS_STEP 2: imputation estimator, overall ATT (did_imputation)"
* Unit and period effects (and any extra fixed effects) are fitted on untreated rows only,
* the untreated outcome is imputed for treated rows, and the gaps are averaged.
did_imputation `outcome' `uid' `time' `gvar' `ss_if', fe(`uid' `time' `ss_absorb') `ctlopt' `clopt' autosample minn(0)
local ss_n = e(N)
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_b = _b[tau]
local ss_s = _se[tau]
ss_res, step(imputation_att) term(tau) b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')

display as text "SS_STEP 3: event-time effects (horizons 0-`horizons') and pre-trend coefficients (`pretrends')"
did_imputation `outcome' `uid' `time' `gvar' `ss_if', fe(`uid' `time' `ss_absorb') `ctlopt' `clopt' autosample minn(0) horizons(0/`horizons') pretrends(`pretrends')
tempname B V
matrix `B' = e(b)
matrix `V' = e(V)
local ss_n = e(N)
local ss_names : colnames `B'
local ss_k = colsof(`B')
tempname es
matrix `es' = J(`ss_k' + 1, 5, .)
matrix colnames `es' = event_time estimate se ci_lower ci_upper
local ss_pre
local ss_npre = 0
forvalues j = 1/`ss_k' {
    local nm : word `j' of `ss_names'
    local et = .
    if substr("`nm'", 1, 3) == "tau" {
        local et = real(substr("`nm'", 4, .))
    }
    if substr("`nm'", 1, 3) == "pre" {
        local et = -real(substr("`nm'", 4, .))
        local ss_pre `ss_pre' `j'
        local ss_npre = `ss_npre' + 1
    }
    local ss_b = `B'[1, `j']
    local ss_s = sqrt(`V'[`j', `j'])
    matrix `es'[`j', 1] = `et'
    matrix `es'[`j', 2] = `ss_b'
    matrix `es'[`j', 3] = `ss_s'
    matrix `es'[`j', 4] = `ss_b' - `ss_crit' * `ss_s'
    matrix `es'[`j', 5] = `ss_b' + `ss_crit' * `ss_s'
    ss_res, step(imputation_event) term(`nm') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
}
* the pre-trend coefficients are estimated relative to the periods before them, not to -1:
* the plot draws them at -1, -2, ... without a normalised reference point.

display as text "SS_STEP 4: joint test of the pre-trend coefficients (Wald)"
if `ss_npre' > 0 {
    capture noisily {
        tempname bp vp w
        matrix `bp' = J(1, `ss_npre', .)
        matrix `vp' = J(`ss_npre', `ss_npre', .)
        local r = 0
        foreach i of local ss_pre {
            local r = `r' + 1
            matrix `bp'[1, `r'] = `B'[1, `i']
            local c = 0
            foreach j of local ss_pre {
                local c = `c' + 1
                matrix `vp'[`r', `c'] = `V'[`i', `j']
            }
        }
        matrix `w' = `bp' * invsym(`vp') * `bp''
        ss_res, step(pretrend_test) term(pre_joint_chi2) statistic(`=`w'[1, 1]') p(`=chi2tail(`ss_npre', `w'[1, 1])') b(`ss_npre') n(`ss_n')
    }
}

display as text "SS_STEP 5: event-study table and plot"
preserve
clear
quietly svmat double `es', names(col)
quietly generate str32 term = ""
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_names''" in `i'
}
quietly drop if missing(event_time)
order term
sort event_time
export delimited using "imputation_event_study.csv", replace
capture noisily {
    twoway (rcap ci_lower ci_upper event_time) (connected estimate event_time), yline(0, lpattern(dash)) xline(-0.5, lpattern(dot)) xtitle("Periods relative to first treatment") ytitle("Effect on `outcome'") legend(order(2 "Estimate" 1 "`level'% CI")) title("Imputation event study (Borusyak-Jaravel-Spiess)")
    graph export "imputation_event_study.png", replace width(1600)
}
restore
