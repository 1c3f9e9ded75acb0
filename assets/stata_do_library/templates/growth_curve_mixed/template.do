display as text "SS_STEP 1: time since the first measurement and the growth terms"
tempvar ss_t
quietly summarize `time' `ss_if'
local ss_t0 = r(min)
quietly generate double `ss_t' = `time' - `ss_t0'
quietly summarize `ss_t' `ss_if'
local ss_tmax = r(max)
if `ss_tmax' <= 0 {
    display as error "`time' does not vary: a growth curve needs repeated measurements over time"
    error 459
}
display as text "time is measured from `time' = `ss_t0'"
{% if opt.shape == "quadratic" %}
local ss_tt c.`ss_t' c.`ss_t'#c.`ss_t'
{% else %}
local ss_tt c.`ss_t'
{% endif %}
local ss_lvl "`unit_id':"
{% if opt.random_slope %}
local ss_re `ss_t', covariance(unstructured)
{% else %}
local ss_re ,
{% endif %}

display as text "SS_STEP 2: growth curve model (random intercept and growth rate per individual)"
mixed `depvar' `ss_tt' `controls' `ss_fe' `ss_if' || `ss_lvl' `ss_re' `estimator' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_chic = e(chi2_c)
local ss_pc = e(p_c)

display as text "SS_STEP 3: initial level, growth rate and variance components"
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_gterms _cons `ss_t'
local ss_glabels initial_level growth_rate
{% if opt.shape == "quadratic" %}
local ss_gterms `ss_gterms' c.`ss_t'#c.`ss_t'
local ss_glabels `ss_glabels' growth_curvature
{% endif %}
local ss_i = 0
foreach g of local ss_gterms {
    local ss_i = `ss_i' + 1
    local ss_b = _b[`g']
    local ss_s = _se[`g']
    ss_res, step(growth) term(`: word `ss_i' of `ss_glabels'') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
}
foreach v of local controls {
    capture noisily ss_coef "growth_covariate" "`v'"
}
capture noisily ss_res, step(lr_test_vs_single_level) term(chi2) statistic(`ss_chic') p(`ss_pc') n(`ss_n')
local ss_names : colfullnames e(b)
foreach c of local ss_names {
    local ss_eq = substr("`c'", 1, strpos("`c'", ":") - 1)
    if substr("`ss_eq'", 1, 3) == "lns" | "`ss_eq'" == "lnsig_e" {
        ss_res, step(variance_components) term(sd_`ss_eq') b(`=exp(_b[`c'])') n(`ss_n')
    }
    if substr("`ss_eq'", 1, 3) == "atr" {
        ss_res, step(variance_components) term(corr_`ss_eq') b(`=tanh(_b[`c'])') n(`ss_n')
    }
}

display as text "SS_STEP 4: coefficient table"
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
quietly replace term = subinstr(term, "`ss_t'", "time_since_start", .)
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "growth_curve_coefficients.csv", replace
restore

display as text "SS_STEP 5: average predicted trajectory"
capture noisily {
    local ss_step = `ss_tmax' / 10
    margins, at(`ss_t' = (0(`ss_step')`ss_tmax')) level(`level')
    marginsplot, recast(line) recastci(rarea) xtitle("Time since `time' = `ss_t0'") ytitle("Predicted `depvar'") title("Average growth curve")
    graph export "growth_curve.png", replace width(1600)
}

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
