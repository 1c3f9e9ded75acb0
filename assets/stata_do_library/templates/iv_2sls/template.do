display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `endogenous' `instruments' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
{% endif %}
quietly count if `touse'
display as text "observations: " r(N)

display as text "SS_STEP 2: two-stage least squares"
local vceopt `ss_vce'
ivregress 2sls `outcome' `controls' `ss_fe' (`endogenous' = `instruments') `ss_wt' if `touse', `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "iv_2sls" "`endogenous'"

display as text "SS_STEP 3: 2SLS coefficient table"

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
export delimited using "iv_2sls_table.csv", replace
restore

display as text "SS_STEP 4: first-stage strength (estat firststage)"
capture noisily {
    estat firststage
    tempname fs
    matrix `fs' = r(singleresults)
    ss_res, step(first_stage) term(partial_r2) b(`=`fs'[1, 3]')
    ss_res, step(first_stage) term(first_stage_F) statistic(`=`fs'[1, 4]') p(`=`fs'[1, colsof(`fs')]')
    * the publication table reports the first-stage F under the 2SLS column
    ss_estadd ss_first_f `=`fs'[1, 4]'
    estimates store ss_m1
}

display as text "SS_STEP 5: overidentification test (estat overid)"
capture noisily {
    estat overid
    ss_res, step(overid_test) term(score_or_sargan_chi2) statistic(`=cond(r(score) < ., r(score), r(sargan))') p(`=cond(r(p_score) < ., r(p_score), r(p_sargan))')
}

display as text "SS_STEP 6: endogeneity test (estat endogenous)"
capture noisily {
    estat endogenous
    ss_res, step(endogeneity_test) term(`endogenous') statistic(`=cond(r(r_score) < ., r(r_score), r(durbin))') p(`=cond(r(p_r_score) < ., r(p_r_score), r(p_durbin))')
}

display as text "SS_STEP 7: first-stage regression"
regress `endogenous' `instruments' `controls' `ss_fe' `ss_wt' if `touse', `vceopt' level(`level')
estimates store ss_m2
tempname ftbl
matrix `ftbl' = r(table)'
foreach z of varlist `instruments' {
    ss_coef "first_stage_coef" "`z'"
}

preserve
clear
local terms : rowfullnames `ftbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `ftbl'[`i', 1] in `i'
    quietly replace se = `ftbl'[`i', 2] in `i'
    quietly replace t = `ftbl'[`i', 3] in `i'
    quietly replace pvalue = `ftbl'[`i', 4] in `i'
    quietly replace ll = `ftbl'[`i', 5] in `i'
    quietly replace ul = `ftbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "iv_first_stage_table.csv", replace
restore

display as text "SS_STEP 8: publication table (xlsx, tex, docx): 2SLS and first stage"
capture noisily ss_pubtable ss_m1 ss_m2, fe(`ss_fe_names') cluster(`cluster')
