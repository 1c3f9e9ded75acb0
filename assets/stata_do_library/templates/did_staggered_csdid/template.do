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
* csdid codes never-treated units as cohort 0
quietly replace `gvar' = 0 if missing(`gvar')

display as text "SS_STEP 2: Callaway-Sant'Anna group-time ATTs (csdid, `method')"
csdid `outcome' `controls' `ss_if', ivar(`uid') time(`time') gvar(`gvar') method(`method'){% if opt.control_group == "notyet" %} notyet{% endif %}
estimates store ss_cs
local ss_n = e(N)

display as text "SS_STEP 3: overall ATT (simple aggregation)"
estat simple
tempname st
matrix `st' = r(table)
ss_res, step(csdid_att) term(att_simple) b(`=`st'[1, 1]') se(`=`st'[2, 1]') statistic(`=`st'[3, 1]') p(`=`st'[4, 1]') lb(`=`st'[5, 1]') ub(`=`st'[6, 1]') n(`ss_n')

display as text "SS_STEP 4: pre-trend test (all pre-treatment ATT(g,t) = 0)"
capture noisily {
    quietly estimates restore ss_cs
    estat pretrend
    ss_res, step(pretrend_test) term(pre_treatment_att_joint) statistic(`=r(chi2)') p(`=r(pchi2)') b(`=r(df)')
}

display as text "SS_STEP 5: dynamic (event-time) aggregation and plot"
quietly estimates restore ss_cs
estat event
tempname ev
matrix `ev' = r(table)'
local ss_names : rownames `ev'
local ss_k = rowsof(`ev')
tempname es
matrix `es' = J(`ss_k', 7, .)
matrix colnames `es' = event_time estimate se z pvalue ci_lower ci_upper
forvalues i = 1/`ss_k' {
    local nm : word `i' of `ss_names'
    local et = .
    if substr("`nm'", 1, 2) == "Tm" {
        local et = -real(substr("`nm'", 3, .))
    }
    if substr("`nm'", 1, 2) == "Tp" {
        local et = real(substr("`nm'", 3, .))
    }
    matrix `es'[`i', 1] = `et'
    forvalues j = 1/6 {
        matrix `es'[`i', `j' + 1] = `ev'[`i', `j']
    }
    ss_res, step(csdid_event) term(`nm') b(`=`ev'[`i', 1]') se(`=`ev'[`i', 2]') statistic(`=`ev'[`i', 3]') p(`=`ev'[`i', 4]') lb(`=`ev'[`i', 5]') ub(`=`ev'[`i', 6]') n(`ss_n')
}
preserve
clear
quietly svmat double `es', names(col)
quietly generate str32 term = ""
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_names''" in `i'
}
order term
export delimited using "csdid_event_study.csv", replace
capture noisily {
    quietly drop if missing(event_time)
    twoway (rcap ci_lower ci_upper event_time) (connected estimate event_time), yline(0, lpattern(dash)) xline(-0.5, lpattern(dot)) xtitle("Periods relative to first treatment") ytitle("ATT on `outcome'") legend(order(2 "ATT" 1 "`level'% CI")) title("Callaway-Sant'Anna event study")
    graph export "csdid_event_study.png", replace width(1600)
}
restore

display as text "SS_STEP 6: ATT by treatment cohort"
capture noisily {
    quietly estimates restore ss_cs
    estat group
    tempname gr
    matrix `gr' = r(table)'
    local ss_gn : rownames `gr'
    forvalues i = 1/`=rowsof(`gr')' {
        ss_res, step(csdid_group) term(`: word `i' of `ss_gn'') b(`=`gr'[`i', 1]') se(`=`gr'[`i', 2]') statistic(`=`gr'[`i', 3]') p(`=`gr'[`i', 4]') lb(`=`gr'[`i', 5]') ub(`=`gr'[`i', 6]') n(`ss_n')
    }
}
