display as text "SS_STEP 1: candidate controls (fixed effects always kept)"
local ss_ctl `controls'
if "`ss_fe'" != "" {
    local ss_ctl (`ss_fe') `controls'
    display as text "fixed effects always kept: `ss_fe_names'"
}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
set seed `seed'

display as text "SS_STEP 2: lasso inference for the variables of interest"
{% if opt.method == "ds" %}
dsregress `depvar' `regressors' `ss_if', controls(`ss_ctl') selection(`selection') `ss_vce' level(`level')
{% elif opt.method == "po" %}
poregress `depvar' `regressors' `ss_if', controls(`ss_ctl') selection(`selection') `ss_vce' level(`level')
{% else %}
xporegress `depvar' `regressors' `ss_if', controls(`ss_ctl') selection(`selection') `ss_vce' level(`level')
{% endif %}
estimates store ss_m1
local ksel = e(k_controls_sel)
local kall = e(k_controls)
local nl = e(N)
foreach v of local regressors {
    ss_coef "lasso_`method'" "`v'"
}
ss_res, step(lasso_selection) term(controls_selected) b(`ksel') statistic(`kall') n(`nl')
capture noisily lassoinfo

display as text "SS_STEP 3: OLS with every candidate control, for comparison"
regress `depvar' `regressors' `controls' `ss_fe' `ss_if', `ss_vce' level(`level')
estimates store ss_m2
foreach v of local regressors {
    ss_coef "ols_all_controls" "`v'"
}

display as text "SS_STEP 4: coefficient table"
tempname ph
tempfile ctab
postfile `ph' str32 term str24 estimator double(coef std_error z_or_t p_value n) using "`ctab'", replace
foreach mdl in ss_m1 ss_m2 {
    quietly estimates restore `mdl'
    local en = cond("`mdl'" == "ss_m1", "lasso_`method'", "ols_all_controls")
    foreach v of local regressors {
        local b = _b[`v']
        local se = _se[`v']
        local pv = cond(e(df_r) < ., 2 * ttail(e(df_r), abs(`b' / `se')), 2 * normal(-abs(`b' / `se')))
        post `ph' ("`v'") ("`en'") (`b') (`se') (`b' / `se') (`pv') (e(N))
    }
}
postclose `ph'
preserve
clear
quietly append using "`ctab'"
list, noobs
export delimited using "lasso_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1 ss_m2, fe(`ss_fe_names') cluster(`clustvar')
