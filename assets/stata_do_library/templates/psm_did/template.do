display as text "SS_STEP 1: estimation sample and reproducible sort order"
tempvar touse order insample
mark `touse'
markout `touse' `outcome' `treated' `post' `covariates' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
local vceopt vce(cluster `cluster')
{% else %}
local vceopt vce(robust)
{% endif %}
display as text "treated group and post period must be coded 0/1"
assert inlist(`treated', 0, 1) if `touse'
assert inlist(`post', 0, 1) if `touse'
set seed `=int(`seed')'
quietly generate double `order' = runiform()
sort `order'

display as text "SS_STEP 2: propensity score matching of treated and control groups"
psmatch2 `treated' `covariates' if `touse', logit neighbor(`neighbors') caliper(`caliper') common ties
{% if opt.sample == "support" %}
quietly generate byte `insample' = `touse' & _support == 1
local wexp
{% endif %}
{% if opt.sample == "matched" %}
quietly generate byte `insample' = `touse' & _weight < .
local wexp
{% endif %}
{% if opt.sample == "weighted" %}
quietly generate byte `insample' = `touse' & _weight < .
local wexp [pweight = _weight]
{% endif %}
quietly count if `insample'
ss_res, step(matched_sample) term(observations) b(`=r(N)') n(`=r(N)')

display as text "SS_STEP 3: DID on the full sample (for comparison)"
capture noisily {
    regress `outcome' i.`treated'##i.`post' `controls' if `touse', `vceopt' level(`level')
    ss_coef "did_full_sample" "1.`treated'#1.`post'"
}

display as text "SS_STEP 4: DID on the matched sample"
regress `outcome' i.`treated'##i.`post' `controls' `wexp' if `insample', `vceopt' level(`level')
tempname tbl
matrix `tbl' = r(table)'
ss_coef "psm_did" "1.`treated'#1.`post'"

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
export delimited using "psm_did_table.csv", replace
restore
