display as text "SS_STEP 1: the two groups and the decomposition"
quietly tabulate `group' `ss_if'
if r(r) != 2 {
    display as error "the group variable `group' must take exactly two values in the sample (it has `r(r)')"
    error 459
}
{% if opt.reference == "threefold" %}
local ss_dec threefold
{% elif opt.reference == "group1" %}
local ss_dec weight(1)
{% elif opt.reference == "group2" %}
local ss_dec weight(0)
{% else %}
local ss_dec pooled
{% endif %}
display as text "decomposition: `ss_dec'"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: Oaxaca-Blinder decomposition"
oaxaca `depvar' `regressors' `ss_wt' `ss_if', by(`group') `ss_dec' `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)

display as text "SS_STEP 3: overall and detailed components"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_e : word `i' of `ss_eqs'
    local ss_t : word `i' of `ss_terms'
    if `tbl'[`i', 2] < . & `tbl'[`i', 2] > 0 {
        ss_res, step(`ss_e') term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 4: decomposition table"
preserve
clear
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 component = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace component = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "oaxaca_decomposition.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, cluster(`clustvar')
