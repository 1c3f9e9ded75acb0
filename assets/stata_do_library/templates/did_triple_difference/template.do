display as text "SS_STEP 1: panel identifiers and variance estimator"
tempvar uid tid
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
{% if has.cluster %}
local vceopt `ss_vce'
local ss_clname `cluster'
{% else %}
local vceopt vce(cluster `uid')
local ss_clname `unit'
{% endif %}
local ddd c.`treated'#c.`post'#c.`group'
local lower c.`treated'#c.`post' c.`treated'#c.`group' c.`post'#c.`group' `treated' `post' `group'

display as text "SS_STEP 2: triple difference with unit and time fixed effects"
* Main effects and two-way interactions absorbed by the fixed effects are omitted by reghdfe.
reghdfe `outcome' `ddd' `lower' `controls' `ss_wt' `ss_if', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
ss_coef "ddd" "`ddd'"
capture noisily ss_coef "did_in_group_0" "c.`treated'#c.`post'"
ss_res, step(model_fit) term(r2_within) b(`=e(r2_within)') n(`=e(N)') r2(`=e(r2_within)')

display as text "SS_STEP 3: DID within each level of `group' (their difference is the DDD)"
local ss_models ss_m1
forvalues g = 1(-1)0 {
    capture noisily reghdfe `outcome' c.`treated'#c.`post' `controls' `ss_wt' `ss_if' & `group' == `g', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
    if _rc == 0 {
        estimates store ss_g`g'
        local ss_models `ss_models' ss_g`g'
        capture noisily ss_coef "did_group_`g'" "c.`treated'#c.`post'"
    }
}

display as text "SS_STEP 4: coefficient table"
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
export delimited using "ddd_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table: DDD and DID by group (xlsx, tex, docx)"
capture noisily ss_pubtable `ss_models', fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
