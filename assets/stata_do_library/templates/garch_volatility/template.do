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

display as text "SS_STEP 2: GARCH(`arch_order',`garch_order') model"
arch `depvar' `regressors', arch(1/`arch_order') garch(1/`garch_order') `ss_meanopt' distribution(`distribution') `ss_vceopt' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ll = e(ll)

display as text "SS_STEP 3: ARCH and GARCH terms and the persistence of volatility"
local ss_sum
forvalues i = 1/`arch_order' {
    local ss_nm = cond(`i' == 1, "L.arch", "L`i'.arch")
    ss_coef "variance_equation" "ARCH:`ss_nm'"
    local ss_sum `ss_sum' + [ARCH]`ss_nm'
}
forvalues i = 1/`garch_order' {
    local ss_nm = cond(`i' == 1, "L.garch", "L`i'.garch")
    ss_coef "variance_equation" "ARCH:`ss_nm'"
    local ss_sum `ss_sum' + [ARCH]`ss_nm'
}
ss_coef "variance_equation" "ARCH:_cons"
gettoken ss_plus ss_sum : ss_sum
lincom `ss_sum', level(`level')
local ss_pers = r(estimate)
local ss_perse = r(se)
ss_res, step(persistence) term(arch_plus_garch) b(`ss_pers') se(`ss_perse') statistic(`=(`ss_pers' - 1) / `ss_perse'') p(`=2 * normal(-abs((`ss_pers' - 1) / `ss_perse'))') n(`ss_n')
if `ss_pers' > 0 & `ss_pers' < 1 {
    ss_res, step(persistence) term(half_life_periods) b(`=ln(0.5) / ln(`ss_pers')') n(`ss_n')
}
else {
    display as result "persistence is not below 1: shocks to volatility do not die out (integrated or explosive GARCH)"
}
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
export delimited using "garch_coefficients.csv", replace
restore

display as text "SS_STEP 5: conditional volatility"
tempvar ss_h
quietly predict double `ss_h' if e(sample), variance
preserve
quietly keep if !missing(`ss_h')
keep `time' `depvar' `ss_h'
rename `ss_h' conditional_variance
generate double conditional_sd = sqrt(conditional_variance)
export delimited using "garch_conditional_volatility.csv", replace
capture noisily {
    twoway line conditional_sd `time', ytitle("conditional standard deviation of `depvar'") title("GARCH(`arch_order',`garch_order') volatility")
    graph export "garch_volatility.png", replace width(1600)
}
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1
