display as text "SS_STEP 1: panel structure and test options"
xtset `unit_id' `time'
{% if opt.lag_selection == "fixed" %}
local ss_lagopt lags(`lags')
{% else %}
local ss_lagopt lags(`lag_selection' `lags')
{% endif %}
{% if opt.bootstrap %}
local ss_bsopt bootstrap breps(`reps') seed(`seed') nodots
{% else %}
local ss_bsopt
{% endif %}
local ss_pairs
foreach x of varlist `regressors' {
    local ss_pairs `ss_pairs' `x'>`depvar'
{% if opt.reverse %}
    local ss_pairs `ss_pairs' `depvar'>`x'
{% endif %}
}
tempname ph
tempfile ss_rows
postfile `ph' str32 cause str32 effect double lags double w_bar double z_bar double z_bar_p double z_bar_tilde double z_bar_tilde_p str16 verdict_5pct using "`ss_rows'"

display as text "SS_STEP 2: Dumitrescu-Hurlin tests (H0: the cause does not Granger-cause the effect in any unit)"
foreach pair of local ss_pairs {
    gettoken ss_cause ss_rest : pair, parse(">")
    gettoken ss_gt ss_effect : ss_rest, parse(">")
    display as text "-- does `ss_cause' Granger-cause `ss_effect'?"
    xtgcause `ss_effect' `ss_cause', `ss_lagopt' `ss_bsopt'
    local ss_l = r(lags)
    local ss_w = r(wbar)
    local ss_z = r(zbar)
    local ss_zp = r(zbar_pv)
    local ss_zt = r(zbart)
    local ss_ztp = r(zbart_pv)
    local ss_ver = cond(`ss_ztp' < 0.05, "causality", "no_causality")
    post `ph' ("`ss_cause'") ("`ss_effect'") (`ss_l') (`ss_w') (`ss_z') (`ss_zp') (`ss_zt') (`ss_ztp') ("`ss_ver'")
    ss_res, step(dh_`ss_cause'_to_`ss_effect') term(z_bar) statistic(`ss_z') p(`ss_zp')
    ss_res, step(dh_`ss_cause'_to_`ss_effect') term(z_bar_tilde) statistic(`ss_zt') p(`ss_ztp')
    ss_res, step(dh_`ss_cause'_to_`ss_effect') term(w_bar) b(`ss_w')
}
postclose `ph'

display as text "SS_STEP 3: causality table"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "panel_granger_causality.csv", replace
restore
