display as text "SS_STEP 1: scale by lagged total assets"
tempvar ok cell y x0 x1 x1p x2 nda
quietly generate byte `ok' = !missing(`accruals', `assets_lag', `d_rev', `ppe', `industry', `time') & `assets_lag' > 0
{% if opt.model == "jones" %}
quietly generate double `x1' = `d_rev' / `assets_lag'
quietly generate double `x1p' = `x1'
{% else %}
{% if has.d_rec %}
quietly replace `ok' = 0 if missing(`d_rec')
{% if opt.model == "modified" %}
quietly generate double `x1' = (`d_rev' - `d_rec') / `assets_lag'
{% else %}
quietly generate double `x1' = `d_rev' / `assets_lag'
{% endif %}
quietly generate double `x1p' = (`d_rev' - `d_rec') / `assets_lag'
{% else %}
display as error "the modified Jones and Dechow models need the change in receivables (d_rec)"
error 198
{% endif %}
{% endif %}
quietly generate double `y' = `accruals' / `assets_lag'
quietly generate double `x0' = 1 / `assets_lag'
quietly generate double `x2' = `ppe' / `assets_lag'
quietly count if !`ok'
display as text "rows without every input or with non-positive lagged assets (left out): `r(N)'"
quietly egen long `cell' = group(`industry' `time') if `ok'
quietly generate double `nda' = .

display as text "SS_STEP 2: one normal-accruals regression per industry-year cell"
tempname ph
tempfile cres
postfile `ph' double(industry period n b_inv_assets b_rev b_ppe b_cons r2) using "`cres'", replace
quietly levelsof `cell', local(cells)
local nfit 0
local nsmall 0
local nfail 0
foreach c of local cells {
    quietly count if `cell' == `c'
    if r(N) < `min_obs' {
        local nsmall = `nsmall' + 1
        continue
    }
{% if opt.constant %}
    capture quietly regress `y' `x0' `x1' `x2' if `cell' == `c'
{% else %}
    capture quietly regress `y' `x0' `x1' `x2' if `cell' == `c', noconstant
{% endif %}
    if _rc {
        local nfail = `nfail' + 1
        continue
    }
    local nfit = `nfit' + 1
{% if opt.constant %}
    local bc = _b[_cons]
{% else %}
    local bc 0
{% endif %}
    quietly replace `nda' = `bc' + _b[`x0'] * `x0' + _b[`x1'] * `x1p' + _b[`x2'] * `x2' if `cell' == `c'
    quietly summarize `industry' if `cell' == `c', meanonly
    local ind = r(min)
    quietly summarize `time' if `cell' == `c', meanonly
    local per = r(min)
    post `ph' (`ind') (`per') (e(N)) (_b[`x0']) (_b[`x1']) (_b[`x2']) (`bc') (e(r2))
}
postclose `ph'
display as text "cells estimated: `nfit'; too small: `nsmall'; failed: `nfail'"
if `nfit' == 0 {
    display as error "no industry-year cell has `min_obs' firms with every input"
    error 2001
}
ss_res, step(jones_cells) term(cells_estimated) b(`nfit')
ss_res, step(jones_cells) term(cells_too_small) b(`nsmall')

display as text "SS_STEP 3: discretionary accruals"
foreach nv in ta_scaled nda da abs_da {
    confirm new variable `nv'
}
quietly generate double ta_scaled = `y' if `ok'
quietly generate double nda = `nda'
quietly generate double da = ta_scaled - nda
quietly generate double abs_da = abs(da)
label variable ta_scaled "total accruals / lagged total assets"
label variable nda "normal (non-discretionary) accruals"
label variable da "discretionary accruals"
label variable abs_da "absolute discretionary accruals"
quietly summarize da
ss_res, step(discretionary_accruals) term(mean_da) b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')
quietly summarize abs_da
ss_res, step(discretionary_accruals) term(mean_abs_da) b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')

display as text "SS_STEP 4: cell regressions table and dataset"
preserve
clear
quietly append using "`cres'"
foreach v in b_inv_assets b_rev b_ppe r2 {
    quietly summarize `v'
    ss_res, step(jones_coefficients) term(mean_`v') b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')
}
export delimited using "jones_cell_regressions.csv", replace
restore
save "discretionary_accruals_data.dta", replace
