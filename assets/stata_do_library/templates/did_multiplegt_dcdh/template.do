display as text "SS_STEP 1: panel identifiers and consecutive periods"
tempvar uid tid
quietly egen long `uid' = group(`unit')
* did_multiplegt_dyn needs consecutive integer periods: the periods are numbered 1, 2, ...
quietly egen long `tid' = group(`time')
{% if has.cluster %}
tempvar cid
quietly egen long `cid' = group(`cluster')
local clopt cluster(`cid')
{% else %}
local clopt
{% endif %}
{% if has.controls %}
local ctlopt controls(`controls')
{% else %}
local ctlopt
{% endif %}

display as text "SS_STEP 2: de Chaisemartin-D'Haultfoeuille event-study estimators (did_multiplegt_dyn)"
did_multiplegt_dyn `outcome' `uid' `tid' `treatment' `ss_if', effects(`effects') placebo(`placebo') `ctlopt' `clopt' graph_off
tempname B V
matrix `B' = e(b)
matrix `V' = e(V)
local ss_names : colnames `B'
local ss_k = colsof(`B')
local ss_crit = invnormal(1 - (100 - `level') / 200)

display as text "SS_STEP 3: dynamic effects, placebos and the average total effect"
tempname es
matrix `es' = J(`ss_k', 5, .)
matrix colnames `es' = event_time estimate se ci_lower ci_upper
local ss_pl
local ss_npl = 0
forvalues j = 1/`ss_k' {
    local nm : word `j' of `ss_names'
    local et = .
    if strpos(lower("`nm'"), "effect_") == 1 {
        local et = real(substr("`nm'", 8, .))
    }
    if strpos(lower("`nm'"), "placebo_") == 1 {
        local et = -real(substr("`nm'", 9, .))
        local ss_pl `ss_pl' `j'
        local ss_npl = `ss_npl' + 1
    }
    local ss_b = `B'[1, `j']
    local ss_s = sqrt(`V'[`j', `j'])
    matrix `es'[`j', 1] = `et'
    matrix `es'[`j', 2] = `ss_b'
    matrix `es'[`j', 3] = `ss_s'
    matrix `es'[`j', 4] = `ss_b' - `ss_crit' * `ss_s'
    matrix `es'[`j', 5] = `ss_b' + `ss_crit' * `ss_s'
    ss_res, step(dcdh) term(`nm') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'')
}

display as text "SS_STEP 4: joint test that all placebos are zero (Wald)"
if `ss_npl' > 0 {
    capture noisily {
        tempname bp vp w
        matrix `bp' = J(1, `ss_npl', .)
        matrix `vp' = J(`ss_npl', `ss_npl', .)
        local r = 0
        foreach i of local ss_pl {
            local r = `r' + 1
            matrix `bp'[1, `r'] = `B'[1, `i']
            local c = 0
            foreach j of local ss_pl {
                local c = `c' + 1
                matrix `vp'[`r', `c'] = `V'[`i', `j']
            }
        }
        matrix `w' = `bp' * invsym(`vp') * `bp''
        ss_res, step(placebo_test) term(placebos_joint_chi2) statistic(`=`w'[1, 1]') p(`=chi2tail(`ss_npl', `w'[1, 1])') b(`ss_npl')
    }
}

display as text "SS_STEP 5: estimates table and event-study plot"
preserve
clear
quietly svmat double `es', names(col)
quietly generate str40 term = ""
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_names''" in `i'
}
order term
export delimited using "dcdh_estimates.csv", replace
capture noisily {
    quietly drop if missing(event_time)
    quietly set obs `=_N + 1'
    quietly replace event_time = 0 in `=_N'
    quietly replace estimate = 0 in `=_N'
    sort event_time
    twoway (rcap ci_lower ci_upper event_time) (connected estimate event_time), yline(0, lpattern(dash)) xline(0.5, lpattern(dot)) xtitle("Periods since the treatment first changed (placebos negative)") ytitle("Effect on `outcome'") legend(order(2 "Estimate" 1 "`level'% CI")) title("de Chaisemartin-D'Haultfoeuille event study")
    graph export "dcdh_event_study.png", replace width(1600)
}
restore
