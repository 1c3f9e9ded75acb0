display as text "SS_STEP 1: declare the time series and the model options"
tsset `time'
local ss_meanopt
if `ar_lags' > 0 {
    local ss_meanopt ar(1/`ar_lags')
}
{% if opt.robust %}
local ss_vceopt vce(robust)
{% else %}
local ss_vceopt
{% endif %}

display as text "SS_STEP 2: asymmetric GARCH(1,1): `model'"
{% if opt.model == "egarch" %}
arch `depvar' `regressors', earch(1) egarch(1) `ss_meanopt' distribution(`distribution') `ss_vceopt' level(`level')
{% else %}
arch `depvar' `regressors', arch(1) tarch(1) garch(1) `ss_meanopt' distribution(`distribution') `ss_vceopt' level(`level')
{% endif %}
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ll = e(ll)

display as text "SS_STEP 3: variance-equation terms and the asymmetry (leverage) test"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    if "`: word `i' of `ss_eqs''" == "ARCH" {
        ss_res, step(variance_equation) term(`: word `i' of `ss_terms'') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
{% if opt.model == "egarch" %}
* EGARCH: ln(h_t) = w + a * z_{t-1} + g * (|z_{t-1}| - E|z|) + b * ln(h_{t-1});
* earch is the sign (asymmetry) term a, earch_a the size term g, egarch the persistence b.
local ss_asym ARCH:L.earch
local ss_lev_sign -1
local ss_pers = _b[ARCH:L.egarch]
{% else %}
* GJR: h_t = w + a * e_{t-1}^2 + c * e_{t-1}^2 * 1(e_{t-1} < 0) + b * h_{t-1}; tarch is c.
local ss_asym ARCH:L.tarch
local ss_lev_sign 1
local ss_pers = _b[ARCH:L.arch] + 0.5 * _b[ARCH:L.tarch] + _b[ARCH:L.garch]
{% endif %}
test _b[`ss_asym'] = 0
local ss_chi2 = r(chi2)
local ss_p = r(p)
local ss_ab = _b[`ss_asym']
ss_res, step(asymmetry_test) term(`ss_asym') b(`ss_ab') statistic(`ss_chi2') p(`ss_p') n(`ss_n')
if `ss_p' < 0.05 & `ss_lev_sign' * `ss_ab' > 0 {
    display as result "leverage effect (p < 0.05): negative shocks raise volatility more than positive shocks of the same size"
}
else if `ss_p' < 0.05 {
    display as result "significant asymmetry (p < 0.05), but positive shocks raise volatility more (no leverage effect)"
}
else {
    display as result "no significant asymmetry at the 5% level"
}
ss_res, step(persistence) term(volatility_persistence) b(`ss_pers') n(`ss_n')
ss_res, step(model_fit) term(log_likelihood) b(`ss_ll') n(`ss_n')

display as text "SS_STEP 4: coefficient table"
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
export delimited using "asymmetric_garch_coefficients.csv", replace
restore

display as text "SS_STEP 5: conditional volatility"
tempvar ss_h
quietly predict double `ss_h' if e(sample), variance
preserve
quietly keep if !missing(`ss_h')
keep `time' `depvar' `ss_h'
rename `ss_h' conditional_variance
generate double conditional_sd = sqrt(conditional_variance)
export delimited using "asymmetric_garch_volatility.csv", replace
capture noisily {
    twoway line conditional_sd `time', ytitle("conditional standard deviation of `depvar'") title("Asymmetric GARCH volatility (`model')")
    graph export "asymmetric_garch_volatility.png", replace width(1600)
}
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
