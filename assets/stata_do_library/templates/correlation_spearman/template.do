display as text "SS_STEP 1: estimation sample"
tempvar touse
quietly generate byte `touse' = 1
{% if opt.listwise %}
markout `touse' `variables'
{% endif %}
local ss_k : word count `variables'

display as text "SS_STEP 2: pairwise Spearman rank correlations"
spearman `variables' if `touse', stats(rho p obs) pw
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
            local p = .
            local n = 0
            capture quietly spearman `a' `b' if `touse'
            if _rc == 0 {
                local rho = r(rho)
                local p = r(p)
                local n = r(N)
            }
            matrix `R'[`i', `j'] = `rho'
            matrix `P'[`i', `j'] = `p'
            post `ph' ("`a'") ("`b'") (`rho') (`p') (`n')
            ss_res, step(spearman) term(`a'|`b') b(`rho') p(`p') n(`n')
        }
    }
}
postclose `ph'

display as text "SS_STEP 3: Spearman matrix with significance stars"
tempname fh
file open `fh' using "spearman_matrix.csv", write replace text
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
export delimited using "spearman_pairs.csv", replace
capture noisily export excel using "spearman_pairs.xlsx", firstrow(variables) replace
restore
