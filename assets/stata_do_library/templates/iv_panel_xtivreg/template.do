display as text "SS_STEP 1: panel setup"
tempvar uid tid
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
xtset `uid'
{% if opt.time_effects %}
local ss_tfe i.`tid'
{% else %}
local ss_tfe
{% endif %}
{% if opt.vce_type == "bootstrap" %}
set seed `=int(`seed')'
local vceopt vce(bootstrap, reps(`reps'))
display as text "standard errors: panel bootstrap (units resampled), `reps' replications"
{% else %}
local vceopt first
{% endif %}

display as text "SS_STEP 2: panel IV regression (xtivreg, `model')"
xtivreg `outcome' `controls' `ss_tfe' `ss_fe' (`endogenous' = `instruments') `ss_if', `model' `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "iv_panel" "`endogenous'"
local ss_n = e(N)
ss_res, step(model_fit) term(units) b(`=e(N_g)') n(`ss_n')
capture noisily ss_res, step(model_fit) term(r2_within) b(`=e(r2_w)') n(`ss_n') r2(`=e(r2_w)')
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: first-stage strength of the excluded instruments"
capture noisily {
    xtreg `endogenous' `instruments' `controls' `ss_tfe' `ss_fe' if `insample', `model'
    test `instruments'
    if "`model'" == "fe" {
        ss_res, step(first_stage) term(excluded_instruments_F) statistic(`=r(F)') p(`=r(p)') b(`=r(df)') n(`ss_n')
    }
    else {
        ss_res, step(first_stage) term(excluded_instruments_chi2) statistic(`=r(chi2)') p(`=r(p)') b(`=r(df)') n(`ss_n')
    }
}

display as text "SS_STEP 4: Hausman test, fixed vs random effects IV"
capture noisily {
    quietly xtivreg `outcome' `controls' `ss_tfe' `ss_fe' (`endogenous' = `instruments') if `insample', fe
    estimates store ss_hfe
    quietly xtivreg `outcome' `controls' `ss_tfe' `ss_fe' (`endogenous' = `instruments') if `insample', re
    estimates store ss_hre
    hausman ss_hfe ss_hre
    ss_res, step(hausman_fe_re) term(chi2) statistic(`=r(chi2)') p(`=r(p)') b(`=r(df)') n(`ss_n')
}

display as text "SS_STEP 5: coefficient table"
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
quietly drop if strpos(term, "__") > 0
export delimited using "xtivreg_coefficients.csv", replace
restore
display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
{% if opt.time_effects %}
local ss_fen `unit' `time' `ss_fe_names'
{% else %}
local ss_fen `unit' `ss_fe_names'
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`ss_fen')
