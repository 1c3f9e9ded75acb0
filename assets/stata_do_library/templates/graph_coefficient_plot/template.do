display as text "SS_STEP 1: variance estimator"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: regression"
regress `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
foreach v of local regressors {
    ss_coef "regression" "`v'"
}

display as text "SS_STEP 3: coefficient table"
preserve
clear
local ss_terms : rownames `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "coefficients.csv", replace
restore

display as text "SS_STEP 4: coefficient plot (coefplot)"
capture noisily {
{% if opt.show == "all" %}
    coefplot ss_m1, keep(`regressors' `controls') xline(0) levels(`level') title("Coefficients with `level'% confidence intervals")
{% else %}
    coefplot ss_m1, keep(`regressors') xline(0) levels(`level') title("Coefficients with `level'% confidence intervals")
{% endif %}
    graph export "coefficient_plot.png", replace width(1600)
}

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
