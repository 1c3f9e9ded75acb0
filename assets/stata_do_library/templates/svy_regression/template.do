display as text "SS_STEP 1: survey design (svyset)"
{% if has.psu %}
local ss_psu `psu'
{% else %}
local ss_psu _n
{% endif %}
{% if has.strata %}
svyset `ss_psu' [pweight = `weight'], strata(`strata') singleunit(`singleunit')
{% else %}
svyset `ss_psu' [pweight = `weight'], singleunit(`singleunit')
{% endif %}
capture assert `weight' >= 0 if !missing(`weight')
if _rc {
    display as error "the sampling weight `weight' has negative values"
    error 402
}

display as text "SS_STEP 2: unweighted OLS for comparison"
regress `outcome' `regressors' `controls' `ss_fe' `ss_if', vce(robust) level(`level')
estimates store ss_m0
foreach v of local regressors {
    ss_coef "ols_unweighted" "`v'"
}

display as text "SS_STEP 3: design-based regression (svy: regress; a sample restriction is a subpopulation)"
tempvar subpop
mark `subpop' `ss_if'
svy, subpop(`subpop'): regress `outcome' `regressors' `controls' `ss_fe', level(`level')
estimates store ss_m1
local ss_n = e(N)
foreach v of local regressors {
    ss_coef "svy_regress" "`v'"
}
ss_res, step(design) term(population_size) b(`=e(N_pop)') n(`ss_n')
ss_res, step(design) term(strata) b(`=e(N_strata)') n(`ss_n')
ss_res, step(design) term(psu) b(`=e(N_psu)') n(`ss_n')
ss_res, step(design) term(design_df) b(`=e(df_r)') n(`ss_n')
ss_res, step(model_fit) term(r2) b(`=e(r2)') statistic(`=e(F)') p(`=e(p)') n(`ss_n') r2(`=e(r2)')
tempname tbl
matrix `tbl' = r(table)'

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
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "svy_regression_coefficients.csv", replace
restore

display as text "SS_STEP 5: design effects (estat effects)"
capture noisily {
    estat effects
    tempname deff
    matrix `deff' = r(deff)
    local ss_names : colnames `deff'
    local j = 0
    foreach v of local ss_names {
        local j = `j' + 1
        local ss_in_reg : list v in regressors
        if `ss_in_reg' {
            ss_res, step(design_effect) term(`v') b(`=`deff'[1, `j']')
        }
    }
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m0 ss_m1, fe(`ss_fe_names')
