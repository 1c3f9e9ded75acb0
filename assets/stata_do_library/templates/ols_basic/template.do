display as text "SS_STEP 1: common estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `controls'
quietly count if `touse'
display as text "observations used by every model: " r(N)
local ss_se
{% if opt.robust %}
local ss_se vce(robust)
{% endif %}
tempname T1 T2

display as text "SS_STEP 2: model 1 (key regressor only)"
regress `outcome' `treatment' `ss_fe' `ss_wt' if `touse', `ss_se' level(`level')
estimates store ss_m1
matrix `T1' = r(table)'
local ss_n1 = e(N)
local ss_r21 = e(r2)
local ss_ar21 = e(r2_a)
ss_coef "model1" "`treatment'"
local ss_mats `T1'
{% if has.controls %}

display as text "SS_STEP 3: model 2 (with controls)"
regress `outcome' `treatment' `controls' `ss_fe' `ss_wt' if `touse', `ss_se' level(`level')
estimates store ss_m2
matrix `T2' = r(table)'
local ss_n2 = e(N)
local ss_r22 = e(r2)
local ss_ar22 = e(r2_a)
ss_coef "model2" "`treatment'"
local ss_mats `T1' `T2'
{% endif %}

display as text "SS_STEP 4: long coefficient table"
local ss_nm : word count `ss_mats'
tempname ph
tempfile coefs
postfile `ph' str8 model str64 term double(b se t p_value ci_lower ci_upper) using "`coefs'", replace
forvalues m = 1/`ss_nm' {
    local M : word `m' of `ss_mats'
    local mterms : rownames `M'
    local k : word count `mterms'
    forvalues i = 1/`k' {
        local tm : word `i' of `mterms'
        post `ph' ("model`m'") ("`tm'") (`M'[`i', 1]) (`M'[`i', 2]) (`M'[`i', 3]) (`M'[`i', 4]) (`M'[`i', 5]) (`M'[`i', 6])
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
export delimited using "regression_models.csv", replace
capture noisily export excel using "regression_models.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 5: side-by-side table"
local ss_last : word `ss_nm' of `ss_mats'
local ss_terms : rownames `ss_last'
foreach f of local ss_absorb {
    foreach tm of local ss_terms {
        if strpos("`tm'", "`f'") > 0 {
            local ss_terms : list ss_terms - tm
        }
    }
}
tempname fh
file open `fh' using "nested_models.csv", write replace text
file write `fh' "term"
forvalues m = 1/`ss_nm' {
    file write `fh' ",model_`m'"
}
file write `fh' _n
foreach tm of local ss_terms {
    file write `fh' "`tm'"
    local serow
    forvalues m = 1/`ss_nm' {
        local M : word `m' of `ss_mats'
        local i = rownumb(`M', "`tm'")
        local cell
        local secell
        if !missing(`i') {
            local bb = `M'[`i', 1]
            local sb = `M'[`i', 2]
            local pp = `M'[`i', 4]
            local stars
            if `pp' < 0.01 {
                local stars ***
            }
            else if `pp' < 0.05 {
                local stars **
            }
            else if `pp' < 0.1 {
                local stars *
            }
            local cell = strtrim(string(`bb', "%12.4f")) + "`stars'"
            local secell = "(" + strtrim(string(`sb', "%12.4f")) + ")"
        }
        file write `fh' ",`cell'"
        local serow `serow',`secell'
    }
    file write `fh' _n "`serow'" _n
}
file write `fh' "N"
forvalues m = 1/`ss_nm' {
    file write `fh' ",`ss_n`m''"
}
file write `fh' _n "R-squared"
forvalues m = 1/`ss_nm' {
    local cell = strtrim(string(`ss_r2`m'', "%9.4f"))
    file write `fh' ",`cell'"
}
file write `fh' _n "Adj. R-squared"
forvalues m = 1/`ss_nm' {
    local cell = strtrim(string(`ss_ar2`m'', "%9.4f"))
    file write `fh' ",`cell'"
}
file write `fh' _n "Note: standard errors in parentheses; * p<0.1 ** p<0.05 *** p<0.01" _n
file close `fh'

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
local ss_models ss_m1
{% if has.controls %}
local ss_models ss_m1 ss_m2
{% endif %}
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names')
