display as text "SS_STEP 1: panel structure and test options"
xtset `unit_id' `time'
{% if opt.test == "all" %}
local ss_tests llc ips fisher hadri
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
{% if opt.differences %}
local ss_forms 0 1
{% else %}
local ss_forms 0
{% endif %}
tempname ph
tempfile ss_rows
postfile `ph' str32 variable str10 form str8 test str16 statistic_name double statistic double p_value str32 null_hypothesis str12 verdict_5pct using "`ss_rows'"
local ss_ok = 0

display as text "SS_STEP 2: panel unit root tests, levels and first differences"
foreach v of varlist `variables' {
    foreach d of local ss_forms {
        if `d' == 0 {
            local ss_s `v'
            local ss_form level
{% if opt.trend %}
            local ss_tr trend
{% else %}
            local ss_tr
{% endif %}
        }
        else {
            local ss_s D.`v'
            local ss_form difference
            local ss_tr
        }
        foreach t of local ss_tests {
            display as text "-- `t' test of `ss_s'"
            local ss_stat = .
            local ss_p = .
            if "`t'" == "llc" {
                capture noisily xtunitroot llc `ss_s', lags(`lags') `ss_tr' `ss_dm'
                local ss_rc = _rc
                if !`ss_rc' {
                    local ss_stat = r(tds)
                    local ss_p = r(p_tds)
                    local ss_sname adj_t_star
                }
            }
            else if "`t'" == "ips" {
                if `lags' > 0 {
                    capture noisily xtunitroot ips `ss_s', lags(`lags') `ss_tr' `ss_dm'
                    local ss_rc = _rc
                    if !`ss_rc' {
                        local ss_stat = r(wtbar)
                        local ss_p = r(p_wtbar)
                        local ss_sname w_t_bar
                    }
                }
                else {
                    capture noisily xtunitroot ips `ss_s', `ss_tr' `ss_dm'
                    local ss_rc = _rc
                    if !`ss_rc' {
                        local ss_stat = r(zttildebar)
                        local ss_p = r(p_zttildebar)
                        local ss_sname z_t_tilde_bar
                    }
                }
            }
            else if "`t'" == "fisher" {
                capture noisily xtunitroot fisher `ss_s', dfuller lags(`lags') `ss_tr' `ss_dm'
                local ss_rc = _rc
                if !`ss_rc' {
                    local ss_stat = r(Z)
                    local ss_p = r(p_Z)
                    local ss_sname inverse_normal_z
                    local ss_pp = r(P)
                    local ss_ppp = r(p_P)
                }
            }
            else {
                capture noisily xtunitroot hadri `ss_s', robust `ss_tr' `ss_dm'
                local ss_rc = _rc
                if !`ss_rc' {
                    local ss_stat = r(z)
                    local ss_p = r(p)
                    local ss_sname z
                }
            }
            if `ss_rc' {
                if `ss_strict' {
                    display as error "the `t' test could not be computed on `ss_s' (see the message above)"
                    error `ss_rc'
                }
                display as text "the `t' test could not be computed on `ss_s' (r(`ss_rc')); the other tests go on"
                post `ph' ("`v'") ("`ss_form'") ("`t'") ("failed_rc_`ss_rc'") (.) (.) ("") ("")
                continue
            }
            local ss_ok = `ss_ok' + 1
            if "`t'" == "hadri" {
                local ss_h0 all panels stationary
                local ss_ver = cond(`ss_p' < 0.05, "unit_root", "stationary")
            }
            else {
                local ss_h0 all panels contain unit roots
                local ss_ver = cond(`ss_p' < 0.05, "stationary", "unit_root")
            }
            post `ph' ("`v'") ("`ss_form'") ("`t'") ("`ss_sname'") (`ss_stat') (`ss_p') ("`ss_h0'") ("`ss_ver'")
            ss_res, step(`t'_`ss_form') term(`v') statistic(`ss_stat') p(`ss_p')
            if "`t'" == "fisher" {
                local ss_ver = cond(`ss_ppp' < 0.05, "stationary", "unit_root")
                post `ph' ("`v'") ("`ss_form'") ("`t'") ("inverse_chi2_p") (`ss_pp') (`ss_ppp') ("`ss_h0'") ("`ss_ver'")
            }
        }
    }
}
postclose `ph'
if `ss_ok' == 0 {
    display as error "no panel unit root test could be computed on these series (LLC and Hadri need a strongly balanced panel)"
    error 2001
}

display as text "SS_STEP 3: unit root test table"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "panel_unit_root_tests.csv", replace
restore
