display as text "SS_STEP 1: survival-time setup"
* weights are declared once, on the survival-time setup (stcox takes them from stset)
stset `duration' `ss_wt', failure(`failure')
local vceopt `ss_vce'
{% if has.strata %}
tempvar sid
egen long `sid' = group(`strata')
local stopt strata(`sid')
{% else %}
local stopt
{% endif %}

display as text "SS_STEP 2: Cox proportional hazards model"
stcox `treatment' `controls' `ss_fe' `ss_if', `ties' `vceopt' `stopt' level(`level')
estimates store ss_m1
tempname tbl b se crit
matrix `tbl' = r(table)'
scalar `b' = _b[`treatment']
scalar `se' = _se[`treatment']
scalar `crit' = invnormal(1 - (100 - `level') / 200)
ss_coef "cox_log_hazard" "`treatment'"
ss_res, step(hazard_ratio) term(`treatment') b(`=exp(`b')') se(`=exp(`b') * `se'') statistic(`=`b' / `se'') p(`=2 * normal(-abs(`b' / `se'))') lb(`=exp(`b' - `crit' * `se')') ub(`=exp(`b' + `crit' * `se')') n(`=e(N)')

display as text "SS_STEP 3: hazard ratio table"

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in hazard_ratio se z pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace hazard_ratio = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace z = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "cox_hazard_ratios.csv", replace
restore

display as text "SS_STEP 4: proportional-hazards test (Schoenfeld residuals)"
capture noisily {
    estat phtest, detail
    ss_res, step(ph_test) term(global) statistic(`=r(chi2)') p(`=r(p)') n(`=r(df)')
}

display as text "SS_STEP 5: baseline survival curve"
capture noisily {
    stcurve, survival title("Cox model survival at covariate means")
    graph export "cox_survival_curve.png", replace width(1600)
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx): coefficients are log hazard ratios"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`cluster')
