display as text "SS_STEP 1: check the weights"
quietly count if `weight' < 0 & !missing(`weight')
if r(N) > 0 {
    display as error "the weight variable has negative values; weights must be non-negative"
    error 402
}
{% if has.cluster %}
local ss_vce vce(cluster `cluster')
{% else %}
local ss_vce vce(robust)
{% endif %}
tempname TW TU

display as text "SS_STEP 2: weighted regression"
{% if opt.weight_type == "aweight" %}
regress `outcome' `treatment' `controls' [aweight = `weight'], `ss_vce' level(`level')
{% endif %}
{% if opt.weight_type == "pweight" %}
regress `outcome' `treatment' `controls' [pweight = `weight'], `ss_vce' level(`level')
{% endif %}
{% if opt.weight_type == "fweight" %}
regress `outcome' `treatment' `controls' [fweight = `weight'], `ss_vce' level(`level')
{% endif %}
matrix `TW' = r(table)'
ss_coef "weighted" "`treatment'"
tempvar touse
quietly generate byte `touse' = e(sample)

display as text "SS_STEP 3: unweighted regression on the same sample"
local ss_mats `TW'
capture noisily regress `outcome' `treatment' `controls' if `touse', `ss_vce' level(`level')
if _rc == 0 {
    matrix `TU' = r(table)'
    ss_coef "unweighted" "`treatment'"
    local ss_mats `TW' `TU'
}

display as text "SS_STEP 4: coefficient table"
tempname ph
tempfile coefs
postfile `ph' str12 model str64 term double(b se t p_value ci_lower ci_upper) using "`coefs'", replace
local ss_nm : word count `ss_mats'
forvalues m = 1/`ss_nm' {
    local M : word `m' of `ss_mats'
    local model = cond(`m' == 1, "weighted", "unweighted")
    local mterms : rownames `M'
    local k : word count `mterms'
    forvalues i = 1/`k' {
        local tm : word `i' of `mterms'
        post `ph' ("`model'") ("`tm'") (`M'[`i', 1]) (`M'[`i', 2]) (`M'[`i', 3]) (`M'[`i', 4]) (`M'[`i', 5]) (`M'[`i', 6])
    }
}
postclose `ph'
preserve
clear
quietly append using "`coefs'"
export delimited using "wls_table.csv", replace
capture noisily export excel using "wls_table.xlsx", firstrow(variables) replace
restore
