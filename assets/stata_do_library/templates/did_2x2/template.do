display as text "SS_STEP 1: estimation sample and 0/1 checks"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treated' `post' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
{% endif %}
{% if has.unit_id %}
markout `touse' `unit_id', strok
{% endif %}
quietly count if `touse'
display as text "observations in the estimation sample: " r(N)
display as text "treated group and post period must be coded 0/1"
assert inlist(`treated', 0, 1) if `touse'
assert inlist(`post', 0, 1) if `touse'

display as text "SS_STEP 2: 2x2 group means"
preserve
quietly keep if `touse'
collapse (mean) mean_outcome = `outcome' (count) n_obs = `outcome', by(`treated' `post')
export delimited using "did_group_means.csv", replace
restore
foreach g in 0 1 {
    foreach t in 0 1 {
        quietly summarize `outcome' if `touse' & `treated' == `g' & `post' == `t'
        ss_res, step(group_mean) term(treated`g'_post`t') b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')
    }
}

display as text "SS_STEP 3: DID regression (treated x post)"
{% if has.cluster %}
tempvar ss_cl
quietly egen long `ss_cl' = group(`cluster') if `touse'
local vceopt vce(cluster `ss_cl')
display as text "standard errors clustered by `cluster'"
{% elif has.unit_id %}
tempvar ss_cl
quietly egen long `ss_cl' = group(`unit_id') if `touse'
local vceopt vce(cluster `ss_cl')
display as text "standard errors clustered by the panel unit `unit_id' (serial correlation within units)"
{% else %}
local vceopt vce(robust)
display as text "heteroskedasticity-robust standard errors (no unit or cluster variable bound)"
{% endif %}
regress `outcome' i.`treated'##i.`post' `controls' `ss_fe' `ss_wt' if `touse', `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'

display as text "SS_STEP 4: DID estimate"
ss_coef "did" "1.`treated'#1.`post'"
ss_coef "treated_group" "1.`treated'"
ss_coef "post_period" "1.`post'"

display as text "SS_STEP 5: coefficient table"

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
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
export delimited using "did_regression_table.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
{% if has.cluster %}
local ss_clname `cluster'
{% elif has.unit_id %}
local ss_clname `unit_id'
{% else %}
local ss_clname
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`ss_clname')
