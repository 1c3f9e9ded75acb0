display as text "SS_STEP 1: panel structure and test options"
xtset `unit_id' `time'
{% if opt.test == "all" %}
local ss_tests kao pedroni westerlund
local ss_strict = 0
{% else %}
local ss_tests `test'
local ss_strict = 1
{% endif %}
{% if opt.demean %}
local ss_dm demean
{% else %}
local ss_dm
{% endif %}
{% if opt.trend %}
local ss_tr trend
{% else %}
local ss_tr
{% endif %}
{% if opt.allpanels %}
local ss_all allpanels
{% else %}
local ss_all
{% endif %}
tempname ph ss_st ss_pv
tempfile ss_rows
postfile `ph' str12 test str24 statistic_name double statistic double p_value str12 verdict_5pct using "`ss_rows'"
local ss_ok = 0

display as text "SS_STEP 2: panel cointegration tests (H0: no cointegration)"
foreach t of local ss_tests {
    display as text "-- `t' test"
    if "`t'" == "kao" {
        capture noisily xtcointtest kao `depvar' `regressors', `ss_dm'
    }
    else if "`t'" == "pedroni" {
        capture noisily xtcointtest pedroni `depvar' `regressors', `ss_tr' `ss_dm'
    }
    else {
        capture noisily xtcointtest westerlund `depvar' `regressors', `ss_tr' `ss_dm' `ss_all'
    }
    local ss_rc = _rc
    if `ss_rc' {
        if `ss_strict' {
            display as error "the `t' test could not be computed (see the message above)"
            error `ss_rc'
        }
        display as text "the `t' test could not be computed (r(`ss_rc')); the other tests go on"
        post `ph' ("`t'") ("failed_rc_`ss_rc'") (.) (.) ("")
        continue
    }
    local ss_ok = `ss_ok' + 1
    local ss_n = r(N)
    matrix `ss_st' = r(stats)
    matrix `ss_pv' = r(p)
    if rowsof(`ss_st') > 1 {
        matrix `ss_st' = `ss_st''
        matrix `ss_pv' = `ss_pv''
    }
    local ss_names : colnames `ss_st'
    local k = 0
    foreach s of local ss_names {
        local k = `k' + 1
        local ss_stat = `ss_st'[1, `k']
        local ss_p = `ss_pv'[1, `k']
        local ss_ver = cond(`ss_p' < 0.05, "cointegrated", "none")
        post `ph' ("`t'") ("`s'") (`ss_stat') (`ss_p') ("`ss_ver'")
        ss_res, step(`t') term(`s') statistic(`ss_stat') p(`ss_p') n(`ss_n')
    }
}
postclose `ph'
if `ss_ok' == 0 {
    display as error "no panel cointegration test could be computed (xtcointtest needs a balanced panel without gaps)"
    error 2001
}

display as text "SS_STEP 3: cointegration test table"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "panel_cointegration_tests.csv", replace
restore
