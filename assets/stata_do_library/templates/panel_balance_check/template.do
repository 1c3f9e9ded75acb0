display as text "SS_STEP 1: panel structure"
capture noisily isid `unit' `time', missok
if _rc {
    display as error "`unit' and `time' do not identify the rows: some unit has more than one row in a period"
    error 459
}
tempvar obs tag ti ptag keep
quietly generate byte `obs' = !missing(`unit', `time')
{% if has.variables %}
quietly replace `obs' = 0 if missing(`: subinstr local variables " " ",", all')
{% endif %}
quietly count
local nrows = r(N)
quietly count if `obs'
local nobs = r(N)
xtset `unit' `time'
capture noisily xtdescribe if `obs'

display as text "SS_STEP 2: observed periods per unit"
quietly egen byte `ptag' = tag(`time') if `obs'
quietly count if `ptag' == 1
local nperiods = r(N)
quietly bysort `unit': egen long `ti' = total(`obs')
quietly egen byte `tag' = tag(`unit') if !missing(`unit')
quietly count if `tag' == 1
local nunits = r(N)
quietly count if `tag' == 1 & `ti' == `nperiods'
local nfull = r(N)
display as text "units: `nunits'; periods: `nperiods'; rows: `nrows'; observed rows: `nobs'; units observed in every period: `nfull'"
ss_res, step(panel) term(units) b(`nunits') n(`nobs')
ss_res, step(panel) term(periods) b(`nperiods') n(`nobs')
ss_res, step(panel) term(units_in_every_period) b(`nfull') n(`nunits')

display as text "SS_STEP 3: which units to keep"
{% if opt.rule == "all_periods" %}
quietly generate byte `keep' = (`ti' == `nperiods')
local need `nperiods'
{% else %}
quietly generate byte `keep' = (`ti' >= `min_periods')
local need `min_periods'
{% endif %}
preserve
quietly keep if `tag' == 1
keep `ti' `keep'
quietly generate long units = 1
quietly generate long periods_observed = `ti'
quietly generate byte kept = `keep'
collapse (sum) units, by(periods_observed kept)
quietly generate double share_of_units = units / `nunits'
gsort -periods_observed
list, noobs
export delimited using "panel_balance_report.csv", replace
restore

display as text "SS_STEP 4: keep the balanced subpanel"
quietly keep if `keep' & `obs'
quietly count
local nkept = r(N)
tempvar tag2
quietly egen byte `tag2' = tag(`unit')
quietly count if `tag2' == 1
local ukept = r(N)
display as text "kept `ukept' units and `nkept' rows (units with at least `need' observed periods)"
ss_res, step(balanced_panel) term(units_kept) b(`ukept') n(`nkept')
ss_res, step(balanced_panel) term(rows_dropped) b(`=`nrows' - `nkept'') n(`nrows')
if `nkept' == 0 {
    display as error "no unit meets the balance rule: nothing to keep"
    error 2000
}
xtset `unit' `time'
drop `obs' `tag' `ti' `ptag' `keep' `tag2'
save "balanced_panel.dta", replace
