display as text "SS_STEP 1: sample and model"
local rhs `treatvar' `controls'
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
regress `depvar' `rhs' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'

display as text "SS_STEP 2: key estimates"
ss_coef "main" "`treatvar'"

display as text "SS_STEP 3: coefficient table"
preserve
clear
local terms : rownames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str64 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace t = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "regression_table.csv", replace
capture noisily export excel using "regression_table.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
