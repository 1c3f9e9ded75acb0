display as text "SS_STEP 1: balanced panel and spatial units with fixed coordinates"
xtset `unit_id' `time'
tempvar ss_sd
foreach c in `coord_x' `coord_y' {
    capture drop `ss_sd'
    quietly bysort `unit_id': egen double `ss_sd' = sd(`c')
    quietly summarize `ss_sd', meanonly
    if r(max) > 0 & r(max) < . {
        display as error "`c' changes over time within units: the coordinates must be constant within each unit"
        error 459
    }
}
spset `unit_id'
spset, modify coord(`coord_x' `coord_y')
{% if opt.latlong %}
spset, modify coordsys(latlong, kilometers)
{% endif %}
quietly summarize `time', meanonly
local ss_t0 = r(min)

display as text "SS_STEP 2: row-standardised inverse-distance weights from the first period's cross-section"
{% if has.band %}
spmatrix create idistance ss_W if `time' == `ss_t0', normalize(row) vtruncate(`=1 / `band'')
{% else %}
spmatrix create idistance ss_W if `time' == `ss_t0', normalize(row)
{% endif %}
spmatrix summarize ss_W

display as text "SS_STEP 3: spatial panel regression (`model', `effects')"
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
{% if opt.time_effects %}
tempvar ss_tid
quietly egen long `ss_tid' = group(`time')
local ss_tfe i.`ss_tid'
{% else %}
local ss_tfe
{% endif %}
spxtregress `depvar' `regressors' `controls' `ss_tfe', `effects' `ss_sp' level(`level')
estimates store ss_m1
tempname tbl
quietly ereturn display, level(`level')
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_ng = e(N_g)
foreach v of local regressors {
    ss_coef "spatial_panel_`model'" "`depvar':`v'"
}
{% if opt.model == "sem" %}
capture noisily ss_coef "spatial_panel_`model'" "W:e.`depvar'"
{% else %}
capture noisily ss_coef "spatial_panel_`model'" "W:`depvar'"
{% endif %}
ss_res, step(model_fit) term(units) b(`ss_ng') n(`ss_n')

display as text "SS_STEP 4: direct, indirect (spillover) and total effects"
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
export delimited using "spatial_panel_effects.csv", replace
restore

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
export delimited using "spatial_panel_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
{% if opt.effects == "fe" %}
capture noisily ss_pubtable ss_m1, fe(`unit_id')
{% else %}
capture noisily ss_pubtable ss_m1
{% endif %}
