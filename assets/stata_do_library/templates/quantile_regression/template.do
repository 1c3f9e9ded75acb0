display as text "SS_STEP 1: quantiles to estimate"
{% if opt.quantiles == "median" %}
local ss_qs 50
{% endif %}
{% if opt.quantiles == "quartiles" %}
local ss_qs 25 50 75
{% endif %}
{% if opt.quantiles == "q10_25_50_75_90" %}
local ss_qs 10 25 50 75 90
{% endif %}
{% if opt.quantiles == "deciles" %}
local ss_qs 10 20 30 40 50 60 70 80 90
{% endif %}
local ss_key : word 1 of `regressors'
tempname qtab one

display as text "SS_STEP 2: OLS benchmark"
regress `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', vce(robust) level(`level')
estimates store ss_ols
local ss_models ss_ols
ss_coef "ols" "`ss_key'"
local ss_bols = _b[`ss_key']

display as text "SS_STEP 3: quantile regressions"
foreach q of local ss_qs {
    qreg `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', quantile(`q') vce(robust) level(`level')
    estimates store ss_q`q'
    local ss_models `ss_models' ss_q`q'
    matrix `one' = r(table)'
    matrix `one' = (`one'[1..., 1..6], J(rowsof(`one'), 1, `q'))
    matrix colnames `one' = b se t pvalue ll ul quantile
    matrix `qtab' = nullmat(`qtab') \ `one'
    foreach v of local regressors {
        ss_coef "q`q'" "`v'"
    }
    ss_res, step(q`q') term(pseudo_r2) b(`=1 - e(sum_adev) / e(sum_rdev)') n(`=e(N)')
}

display as text "SS_STEP 4: coefficients across quantiles"
preserve
clear
local ss_terms : rownames `qtab'
local ss_eqs : roweq `qtab'
local ss_k = rowsof(`qtab')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `qtab', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "quantile_coefficients.csv", replace
restore

display as text "SS_STEP 5: figure of the key coefficient across quantiles"
preserve
clear
local ss_terms : rownames `qtab'
local ss_k = rowsof(`qtab')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `qtab', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
quietly keep if term == "`ss_key'"
capture noisily {
    twoway (rarea ll ul quantile, color(gs13)) (connected b quantile, lcolor(navy) mcolor(navy)), yline(`ss_bols', lpattern(dash) lcolor(maroon)) xtitle("Quantile (%)") ytitle("Coefficient of `ss_key'") legend(order(2 "Quantile regression" 1 "Confidence interval")) note("Dashed line: OLS estimate")
    graph export "quantile_coefficients.png", replace width(1600)
}
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx): OLS and one column per quantile"
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names')
