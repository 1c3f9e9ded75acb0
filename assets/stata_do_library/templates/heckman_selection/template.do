display as text "SS_STEP 1: selection equation and estimator"
{% if has.selvar %}
local seleq select(`selvar' = `exclusion' `regressors' `controls' `ss_fe')
{% else %}
local seleq select(`exclusion' `regressors' `controls' `ss_fe')
{% endif %}
{% if opt.method == "twostep" %}
local methodopt twostep
{% if has.clustvar %}
display as text "note: the two-step estimator reports conventional standard errors; choose method ml to cluster by `clustvar'"
{% endif %}
{% else %}
{% if has.clustvar %}
local methodopt vce(cluster `clustvar')
{% else %}
local methodopt vce(robust)
{% endif %}
{% endif %}

display as text "SS_STEP 2: Heckman selection model"
heckman `depvar' `regressors' `controls' `ss_fe' `ss_if', `seleq' `methodopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_lambda = e(lambda)
local ss_selambda = e(selambda)
local ss_rho = e(rho)
local ss_sigma = e(sigma)
local ss_chi2c = e(chi2_c)
local ss_pc = e(p_c)
local ss_full : colfullnames e(b)
tempvar insample
quietly generate byte `insample' = e(sample)
{% if has.selvar %}
quietly count if `insample' & `selvar' == 1
{% else %}
quietly count if `insample' & !missing(`depvar')
{% endif %}
local ss_nsel = r(N)
local ss_ncens = `ss_n' - `ss_nsel'

display as text "SS_STEP 3: outcome-equation coefficients and selection statistics"
foreach v of local regressors {
    ss_coef "heckman" "`v'"
}
ss_res, step(selection) term(lambda_mills) b(`ss_lambda') se(`ss_selambda') statistic(`=`ss_lambda' / `ss_selambda'') p(`=2 * normal(-abs(`ss_lambda' / `ss_selambda'))') n(`ss_n')
ss_res, step(selection) term(rho) b(`ss_rho') n(`ss_n')
ss_res, step(selection) term(sigma) b(`ss_sigma') n(`ss_n')
ss_res, step(selection) term(independent_equations_test) statistic(`ss_chi2c') p(`ss_pc') n(`ss_n')
ss_res, step(selection) term(selected_obs) b(`ss_nsel') n(`ss_n')
ss_res, step(selection) term(nonselected_obs) b(`ss_ncens') n(`ss_n')

display as text "SS_STEP 4: coefficient table of both equations"
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
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "heckman_coefficients.csv", replace
restore

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
    local ss_xchi2 = r(chi2)
    local ss_xp = r(p)
    ss_res, step(exclusion_restrictions) term(joint_test) statistic(`ss_xchi2') p(`ss_xp') n(`ss_n')
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx) with rho and lambda"
{% if opt.method == "twostep" %}
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
{% else %}
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
{% endif %}
