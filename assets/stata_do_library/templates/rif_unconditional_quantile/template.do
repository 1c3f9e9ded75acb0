display as text "SS_STEP 1: quantiles, absorbed effects and variance estimator"
{% if opt.quantiles == "q25_50_75" %}
local ss_qs 25 50 75
{% elif opt.quantiles == "deciles" %}
local ss_qs 10 20 30 40 50 60 70 80 90
{% elif opt.quantiles == "median" %}
local ss_qs 50
{% else %}
local ss_qs 10 50 90
{% endif %}
local ss_absopt
if "`ss_absorb'" != "" {
    local ss_absopt abs(`ss_absorb')
}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
local ss_v1 : word 1 of `regressors'
tempname tbl one curve
local ss_lab

display as text "SS_STEP 2: RIF regression for the mean (equals OLS), the reference"
rifhdreg `depvar' `regressors' `controls' `ss_wt' `ss_if', rif(mean) `ss_absopt' `ss_vce' level(`level')
estimates store ss_mean
quietly ereturn display, level(`level')
matrix `one' = r(table)'
matrix `tbl' = `one'
local ss_lab `: display _dup(`=rowsof(`one')') "mean "'
foreach v of local regressors {
    capture noisily ss_coef "ols_mean" "`v'"
}
local ss_bmean = _b[`ss_v1']
local ss_models ss_mean

display as text "SS_STEP 3: unconditional quantile regressions"
foreach q of local ss_qs {
    rifhdreg `depvar' `regressors' `controls' `ss_wt' `ss_if', rif(q(`q')) `ss_absopt' `ss_vce' level(`level')
    estimates store ss_q`q'
    local ss_models `ss_models' ss_q`q'
    quietly ereturn display, level(`level')
    matrix `one' = r(table)'
    matrix `tbl' = `tbl' \ `one'
    local ss_lab `ss_lab' `: display _dup(`=rowsof(`one')') "q`q' "'
    foreach v of local regressors {
        capture noisily ss_coef "uqr_q`q'" "`v'"
    }
    local ss_crit = invttail(e(df_r), (100 - `level') / 200)
    matrix `curve' = nullmat(`curve') \ (`q', _b[`ss_v1'], _b[`ss_v1'] - `ss_crit' * _se[`ss_v1'], _b[`ss_v1'] + `ss_crit' * _se[`ss_v1'])
}

display as text "SS_STEP 4: coefficient table across quantiles"
preserve
clear
local ss_terms : rownames `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str8 statistic = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace statistic = "`: word `i' of `ss_lab''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "rif_quantile_coefficients.csv", replace
restore

display as text "SS_STEP 5: effect of `ss_v1' across quantiles"
capture noisily {
    preserve
    clear
    quietly svmat double `curve', names(ss_c)
    twoway (rarea ss_c3 ss_c4 ss_c1, color(gs13)) (connected ss_c2 ss_c1), yline(`ss_bmean', lpattern(dash)) xtitle("Quantile of `depvar'") ytitle("Effect of `ss_v1'") legend(order(2 "Unconditional quantile effect" 1 "`level'% CI")) note("Dashed line: effect on the mean (OLS)")
    graph export "rif_quantile_coefficients.png", replace width(1600)
    restore
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`clustvar')
