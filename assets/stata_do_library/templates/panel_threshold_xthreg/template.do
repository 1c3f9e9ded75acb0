display as text "SS_STEP 1: panel structure, thresholds and bootstrap settings"
xtset `unit_id' `time'
set seed `seed'
{% if opt.n_thresholds == "1" %}
local ss_trim `trim'
local ss_bs `reps'
{% endif %}
{% if opt.n_thresholds == "2" %}
local ss_trim `trim' `trim'
local ss_bs `reps' `reps'
{% endif %}
{% if opt.n_thresholds == "3" %}
local ss_trim `trim' `trim' `trim'
local ss_bs `reps' `reps' `reps'
{% endif %}
{% if has.clustvar %}
local vceopt vce(cluster `clustvar')
{% else %}
local vceopt vce(robust)
{% endif %}

display as text "SS_STEP 2: estimation sample and panel balance"
tempvar ss_touse ss_nt ss_tag
mark `ss_touse'
markout `ss_touse' `depvar' `controls' `regressors' `threshvar' `unit_id' `time', strok
{% if has.clustvar %}
markout `ss_touse' `clustvar', strok
{% endif %}
quietly count if !`ss_touse'
local ss_dropped_rows = r(N)
quietly keep if `ss_touse'
quietly egen byte `ss_tag' = tag(`time')
quietly count if `ss_tag'
local ss_periods = r(N)
quietly bysort `unit_id': generate long `ss_nt' = _N
quietly count if `ss_nt' < `ss_periods'
local ss_unbalanced_rows = r(N)
{% if opt.balance %}
if `ss_unbalanced_rows' > 0 {
    tempvar ss_utag
    quietly egen byte `ss_utag' = tag(`unit_id') if `ss_nt' < `ss_periods'
    quietly count if `ss_utag' == 1
    local ss_units_dropped = r(N)
    display as text "balancing the panel: dropping `ss_units_dropped' unit(s) (`ss_unbalanced_rows' rows) not observed in all `ss_periods' periods"
    quietly drop if `ss_nt' < `ss_periods'
    ss_res, step(balance) term(units_dropped) b(`ss_units_dropped') n(`=_N')
}
quietly count
if r(N) == 0 {
    display as error "no unit is observed (without missing values) in all `ss_periods' periods; xthreg needs a balanced panel"
    error 2000
}
{% else %}
if `ss_unbalanced_rows' > 0 {
    display as error "the panel is unbalanced after dropping rows with missing values (`ss_unbalanced_rows' rows belong to units not observed in all `ss_periods' periods); xthreg needs a balanced panel: set balance=true to keep the units observed in every period"
    error 459
}
{% endif %}
ss_res, step(balance) term(rows_with_missing_dropped) b(`ss_dropped_rows') n(`=_N')
quietly xtset `unit_id' `time'

display as text "SS_STEP 3: fixed-effects panel threshold regression (bootstrap threshold tests)"
* xthreg creates (and overwrites) a variable named _cat: keep a user's own _cat aside.
capture confirm variable _cat, exact
local ss_had_cat = (_rc == 0)
if `ss_had_cat' {
    tempvar ss_cat_saved
    rename _cat `ss_cat_saved'
}
xthreg `depvar' `controls', rx(`regressors') qx(`threshvar') thnum(`n_thresholds') trim(`ss_trim') grid(`grid') bs(`ss_bs') `vceopt'
if missing(e(thnum)) {
    display as error "xthreg estimated nothing: it needs a balanced panel (after dropping rows with missing values) and no time-invariant variable among the outcome, regressors, controls and threshold variable"
    error 459
}
capture drop _cat
if `ss_had_cat' {
    rename `ss_cat_saved' _cat
}
tempname tbl fst thr
matrix `tbl' = r(table)'
local ss_n = e(N)
capture matrix `fst' = e(Fstat)
capture matrix `thr' = e(Thrss)

display as text "SS_STEP 4: regime-specific coefficients"
local ss_rterms : rownames `tbl'
local ss_reqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_eq : word `i' of `ss_reqs'
    local ss_t : word `i' of `ss_rterms'
    if "`ss_eq'" != "_" {
        local ss_t = "`ss_eq'" + ":" + "`ss_t'"
    }
    if `tbl'[`i', 2] < . & `tbl'[`i', 2] > 0 {
        ss_res, step(xthreg) term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 5: threshold estimates and bootstrap tests of the threshold effect"
capture noisily {
    local ss_fn : rownames `fst'
    forvalues i = 1/`=rowsof(`fst')' {
        ss_res, step(threshold_effect_test) term(`: word `i' of `ss_fn'') statistic(`=`fst'[`i', 3]') p(`=`fst'[`i', 4]') n(`ss_n')
    }
    local ss_tn : rownames `thr'
    forvalues i = 1/`=rowsof(`thr')' {
        ss_res, step(threshold_estimate) term(`: word `i' of `ss_tn'') b(`=`thr'[`i', 1]') lb(`=`thr'[`i', 4]') ub(`=`thr'[`i', 5]') n(`ss_n')
    }
}

display as text "SS_STEP 6: coefficient, threshold-test and threshold-estimate tables"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "xthreg_coefficients.csv", replace
restore
capture noisily {
    preserve
    clear
    local ss_rn : rownames `fst'
    quietly set obs `=rowsof(`fst')'
    quietly generate str80 row = ""
    quietly svmat double `fst', names(col)
    forvalues i = 1/`=rowsof(`fst')' {
        quietly replace row = "`: word `i' of `ss_rn''" in `i'
    }
    export delimited using "xthreg_threshold_tests.csv", replace
    restore
    preserve
    clear
    local ss_rn : rownames `thr'
    quietly set obs `=rowsof(`thr')'
    quietly generate str80 row = ""
    quietly svmat double `thr', names(col)
    forvalues i = 1/`=rowsof(`thr')' {
        quietly replace row = "`: word `i' of `ss_rn''" in `i'
    }
    export delimited using "xthreg_thresholds.csv", replace
    restore
}
