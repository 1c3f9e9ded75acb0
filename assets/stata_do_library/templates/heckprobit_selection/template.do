display as text "SS_STEP 1: selection equation and variance estimator"
{% if has.selvar %}
local ss_seleq select(`selvar' = `exclusion' `regressors' `controls' `ss_fe')
{% else %}
local ss_seleq select(`exclusion' `regressors' `controls' `ss_fe')
{% endif %}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: probit with sample selection"
heckprobit `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_seleq' `ss_vce' level(`level')
estimates store ss_m1
tempname tbl me
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_rho = e(rho)
local ss_chic = e(chi2_c)
local ss_full : colfullnames e(b)
tempvar insample
quietly generate byte `insample' = e(sample)
{% if has.selvar %}
quietly count if `insample' & `selvar' == 1
{% else %}
quietly count if `insample' & !missing(`depvar')
{% endif %}
local ss_nsel = r(N)

display as text "SS_STEP 3: outcome-equation coefficients and selection statistics"
foreach v of local regressors {
    capture noisily ss_coef "heckprobit" "`v'"
}
ss_res, step(selection) term(rho) b(`ss_rho') statistic(`ss_chic') p(`=chi2tail(1, `ss_chic')') n(`ss_n')
ss_res, step(selection) term(selected_obs) b(`ss_nsel') n(`ss_n')
ss_res, step(selection) term(nonselected_obs) b(`=`ss_n' - `ss_nsel'') n(`ss_n')

display as text "SS_STEP 4: average marginal effects, conditional on selection and unconditional"
foreach ss_pr in pcond pmargin {
    capture noisily {
        margins, dydx(`regressors' `controls') predict(`ss_pr') level(`level')
        matrix `me' = r(table)'
        local ss_mterms : rownames `me'
        local ss_i = 0
        foreach t of local ss_mterms {
            local ss_i = `ss_i' + 1
            ss_res, step(marginal_effect_`ss_pr') term(`t') b(`=`me'[`ss_i', 1]') se(`=`me'[`ss_i', 2]') statistic(`=`me'[`ss_i', 3]') p(`=`me'[`ss_i', 4]') lb(`=`me'[`ss_i', 5]') ub(`=`me'[`ss_i', 6]') n(`ss_n')
        }
    }
}

display as text "SS_STEP 5: joint significance of the exclusion restrictions in the selection equation"
capture noisily {
    local ss_z1 : word 1 of `exclusion'
    local ss_seq select
    foreach c of local ss_full {
        if substr("`c'", -strlen("`ss_z1'") - 1, .) == ":`ss_z1'" {
            local ss_seq = substr("`c'", 1, strpos("`c'", ":") - 1)
        }
    }
    local ss_xlist
    foreach z of local exclusion {
        local ss_xlist `ss_xlist' [`ss_seq']`z'
    }
    test `ss_xlist'
    ss_res, step(exclusion_restrictions) term(joint_test) statistic(`=r(chi2)') p(`=r(p)') n(`ss_n')
}

display as text "SS_STEP 6: coefficient and marginal-effect tables"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "heckprobit_coefficients.csv", replace
restore
capture noisily {
    estimates restore ss_m1
    quietly margins, dydx(`regressors' `controls') predict(pcond) level(`level')
    matrix `me' = r(table)'
    local ss_mterms : rownames `me'
    quietly margins, dydx(`regressors' `controls') predict(pmargin) level(`level')
    matrix `me' = `me' \ r(table)'
    preserve
    clear
    local ss_k = rowsof(`me')
    local ss_half = `ss_k' / 2
    quietly set obs `ss_k'
    quietly generate str12 prediction = cond(_n <= `ss_half', "pcond", "pmargin")
    quietly generate str80 term = ""
    quietly svmat double `me', names(col)
    forvalues i = 1/`ss_half' {
        quietly replace term = "`: word `i' of `ss_mterms''" in `i'
        quietly replace term = "`: word `i' of `ss_mterms''" in `=`i' + `ss_half''
    }
    export delimited using "heckprobit_marginal_effects.csv", replace
    restore
}

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
