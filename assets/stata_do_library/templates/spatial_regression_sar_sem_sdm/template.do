display as text "SS_STEP 1: estimation sample and spatial units with coordinates"
tempvar touse
mark `touse' `ss_if'
markout `touse' `depvar' `regressors' `controls' `coord_x' `coord_y'
quietly count if !`touse'
local ss_drop = r(N)
* the weights must cover exactly the estimation sample: rows outside it leave the data here
quietly drop if !`touse'
ss_res, step(sample) term(rows_outside_estimation_sample_dropped) b(`ss_drop')
{% if has.unit_id %}
capture isid `unit_id'
if _rc {
    display as error "`unit_id' does not identify the rows: a cross-sectional spatial regression needs one row per spatial unit"
    error 459
}
spset `unit_id'
{% else %}
tempvar ss_sid
quietly generate long `ss_sid' = _n
spset `ss_sid'
{% endif %}
spset, modify coord(`coord_x' `coord_y')
{% if opt.latlong %}
spset, modify coordsys(latlong, kilometers)
{% endif %}

display as text "SS_STEP 2: row-standardised inverse-distance weights"
{% if has.band %}
spmatrix create idistance ss_W, normalize(row) vtruncate(`=1 / `band'')
{% else %}
spmatrix create idistance ss_W, normalize(row)
{% endif %}
spmatrix summarize ss_W

display as text "SS_STEP 3: OLS and the Moran test of its residuals (H0: no spatial autocorrelation)"
regress `depvar' `regressors' `controls' `ss_fe'
estimates store ss_ols
capture noisily {
    estat moran, errorlag(ss_W)
    ss_res, step(ols_residual_moran) term(chi2) statistic(`=r(chi2)') p(`=r(p)')
}

display as text "SS_STEP 4: spatial regression (`model', `estimator')"
{% if opt.model == "sar" %}
local ss_sp dvarlag(ss_W)
{% endif %}
{% if opt.model == "sem" %}
local ss_sp errorlag(ss_W)
{% endif %}
{% if opt.model == "sdm" %}
local ss_sp dvarlag(ss_W) ivarlag(ss_W: `regressors')
{% endif %}
{% if opt.model == "sac" %}
local ss_sp dvarlag(ss_W) errorlag(ss_W)
{% endif %}
{% if opt.estimator == "gs2sls" %}
spregress `depvar' `regressors' `controls' `ss_fe', gs2sls `ss_sp' heteroskedastic level(`level')
{% else %}
spregress `depvar' `regressors' `controls' `ss_fe', ml `ss_sp' level(`level')
{% endif %}
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
foreach v of local regressors {
    ss_coef "spatial_`model'" "`depvar':`v'"
}
{% if opt.model == "sem" %}
capture noisily ss_coef "spatial_`model'" "W:e.`depvar'"
{% else %}
capture noisily ss_coef "spatial_`model'" "W:`depvar'"
{% endif %}

display as text "SS_STEP 5: direct, indirect (spillover) and total effects"
estat impact `regressors'
tempname ph ss_b ss_v ss_bdirect ss_vdirect ss_bindirect ss_vindirect ss_btotal ss_vtotal
foreach e in direct indirect total {
    matrix `ss_b`e'' = r(b_`e')
    matrix `ss_v`e'' = r(V_`e')
}
tempfile ss_rows
postfile `ph' str32 regressor str10 effect double estimate double se double z double p_value using "`ss_rows'"
foreach e in direct indirect total {
    matrix `ss_b' = `ss_b`e''
    matrix `ss_v' = `ss_v`e''
    local ss_cn : colnames `ss_b'
    local k = 0
    foreach v of local ss_cn {
        local k = `k' + 1
        local ss_est = `ss_b'[1, `k']
        local ss_se = sqrt(`ss_v'[`k', `k'])
        local ss_zz = `ss_est' / `ss_se'
        local ss_pp = 2 * normal(-abs(`ss_zz'))
        post `ph' ("`v'") ("`e'") (`ss_est') (`ss_se') (`ss_zz') (`ss_pp')
        ss_res, step(effect_`e') term(`v') b(`ss_est') se(`ss_se') statistic(`ss_zz') p(`ss_pp') n(`ss_n')
    }
}
postclose `ph'
preserve
clear
quietly append using "`ss_rows'"
export delimited using "spatial_effects.csv", replace
restore

display as text "SS_STEP 6: coefficient table"
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
export delimited using "spatial_regression_coefficients.csv", replace
restore

display as text "SS_STEP 7: publication table (xlsx, tex, docx): OLS, then the spatial model"
capture noisily ss_pubtable ss_ols ss_m1, fe(`ss_fe_names')
