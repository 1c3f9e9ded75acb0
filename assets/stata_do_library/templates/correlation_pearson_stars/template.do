display as text "SS_STEP 1: estimation sample"
tempvar touse
quietly generate byte `touse' = 1
{% if opt.listwise %}
markout `touse' `variables'
{% endif %}
local ss_k : word count `variables'

display as text "SS_STEP 2: pairwise Pearson correlations"
pwcorr `variables' if `touse', sig obs
tempname R P ph
matrix `R' = J(`ss_k', `ss_k', .)
matrix `P' = J(`ss_k', `ss_k', .)
tempfile pairs
postfile `ph' str32 var1 str32 var2 double(rho p_value n_obs) using "`pairs'", replace
forvalues i = 1/`ss_k' {
    local a : word `i' of `variables'
    matrix `R'[`i', `i'] = 1
    forvalues j = 1/`i' {
        if `j' < `i' {
            local b : word `j' of `variables'
            local rho = .
            local n = 0
            capture quietly correlate `a' `b' if `touse'
            if _rc == 0 {
                local rho = r(rho)
                local n = r(N)
            }
            local t = .
            local p = .
            if `n' > 2 & !missing(`rho') {
                if abs(`rho') < 1 {
                    local t = (`rho') * sqrt((`n' - 2) / (1 - (`rho')^2))
                    local p = 2 * ttail(`n' - 2, abs(`t'))
                }
                else {
                    local p = 0
                }
            }
            matrix `R'[`i', `j'] = `rho'
            matrix `P'[`i', `j'] = `p'
            post `ph' ("`a'") ("`b'") (`rho') (`p') (`n')
            ss_res, step(pearson) term(`a'|`b') b(`rho') statistic(`t') p(`p') n(`n')
        }
    }
}
postclose `ph'

display as text "SS_STEP 3: correlation table with significance stars"
tempname fh
file open `fh' using "correlation_stars.csv", write replace text
file write `fh' "variable"
foreach b of varlist `variables' {
    file write `fh' ",`b'"
}
file write `fh' _n
forvalues i = 1/`ss_k' {
    local a : word `i' of `variables'
    file write `fh' "`a'"
    forvalues j = 1/`ss_k' {
        local cell
        if `j' == `i' {
            local cell 1
        }
        if `j' < `i' {
            local rho = `R'[`i', `j']
            local p = `P'[`i', `j']
            local stars
            if `p' < 0.01 {
                local stars ***
            }
            else if `p' < 0.05 {
                local stars **
            }
            else if `p' < 0.1 {
                local stars *
            }
            local cell = strtrim(string(`rho', "%9.3f")) + "`stars'"
        }
        file write `fh' ",`cell'"
    }
    file write `fh' _n
}
file close `fh'

display as text "SS_STEP 4: pairs table"
preserve
clear
quietly append using "`pairs'"
export delimited using "correlation_pairs.csv", replace
capture noisily export excel using "correlation_pairs.xlsx", firstrow(variables) replace
restore
