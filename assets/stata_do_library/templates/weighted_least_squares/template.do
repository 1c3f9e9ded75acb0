display as text "SS_STEP 1: check the weights"
quietly count if `weight' < 0 & !missing(`weight')
if r(N) > 0 {
    display as error "the weight variable has negative values; weights must be non-negative"
    error 402
}
{% if has.cluster %}
display as text "standard errors clustered by `cluster'"
{% endif %}
tempname TW TU

display as text "SS_STEP 2: weighted regression"
{% if opt.weight_type == "aweight" %}
regress `outcome' `treatment' `controls' `ss_fe' [aweight = `weight'] `ss_if', `ss_vce' level(`level')
{% endif %}
{% if opt.weight_type == "pweight" %}
regress `outcome' `treatment' `controls' `ss_fe' [pweight = `weight'] `ss_if', `ss_vce' level(`level')
{% endif %}
{% if opt.weight_type == "fweight" %}
regress `outcome' `treatment' `controls' `ss_fe' [fweight = `weight'] `ss_if', `ss_vce' level(`level')
{% endif %}
estimates store ss_m1
local ss_models ss_m1
matrix `TW' = r(table)'
ss_coef "weighted" "`treatment'"
tempvar touse
quietly generate byte `touse' = e(sample)

display as text "SS_STEP 3: unweighted regression on the same sample"
local ss_mats `TW'
capture noisily regress `outcome' `treatment' `controls' `ss_fe' if `touse', `ss_vce' level(`level')
if _rc == 0 {
    estimates store ss_m2
    local ss_models ss_m1 ss_m2
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
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "wls_table.csv", replace
capture noisily export excel using "wls_table.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx): weighted and unweighted"
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`cluster')
