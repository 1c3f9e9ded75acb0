display as text "SS_STEP 1: declare the time series"
tsset `time'
{% if opt.differences %}
local ss_forms 0 1
{% else %}
local ss_forms 0
{% endif %}
tempname ph ss_res_m ss_cv_m
tempfile ss_rows
postfile `ph' str32 variable str10 form double dfgls_lag double dfgls_stat double dfgls_cv5 str12 dfgls_verdict double kpss_lag double kpss_stat double kpss_cv5 str12 kpss_verdict str14 joint_verdict using "`ss_rows'"

display as text "SS_STEP 2: DF-GLS (H0: unit root) and KPSS (H0: stationary) tests"
foreach v of varlist `variables' {
    foreach d of local ss_forms {
        if `d' == 0 {
            local ss_s `v'
            local ss_form level
{% if opt.trend %}
            local ss_tr
{% else %}
            local ss_tr notrend
{% endif %}
        }
        else {
            local ss_s D.`v'
            local ss_form difference
            local ss_tr notrend
        }
        display as text "-- DF-GLS test of `ss_s'"
        dfgls `ss_s', `ss_tr'{% if has.maxlag %} maxlag(`maxlag'){% endif %}

        local ss_dl = r(maiclag)
        matrix `ss_res_m' = r(results)
        local ss_ds = .
        forvalues i = 1/`=rowsof(`ss_res_m')' {
            if `ss_res_m'[`i', 1] == `ss_dl' {
                local ss_ds = `ss_res_m'[`i', 5]
            }
        }
        local ss_dcv = .
        capture matrix `ss_cv_m' = r(cvalues)
        if _rc == 0 {
            forvalues i = 1/`=rowsof(`ss_cv_m')' {
                if `ss_cv_m'[`i', 1] == `ss_dl' {
                    local ss_dcv = `ss_cv_m'[`i', 4]
                }
            }
        }
        local ss_dv = cond(missing(`ss_ds') | missing(`ss_dcv'), "", cond(`ss_ds' < `ss_dcv', "stationary", "unit_root"))
        ss_res, step(dfgls_`ss_form') term(`v') statistic(`ss_ds') n(`=r(N)')

        display as text "-- KPSS test of `ss_s'"
        kpss `ss_s', `ss_tr'{% if has.maxlag %} maxlag(`maxlag'){% endif %}

        local ss_kl = r(maxlag)
        if missing(`ss_kl') {
            local ss_kl = 0
        }
        local ss_ks = r(kpss`ss_kl')
        local ss_kcv = r(p05)
        local ss_kv = cond(`ss_ks' > `ss_kcv', "unit_root", "stationary")
        ss_res, step(kpss_`ss_form') term(`v') statistic(`ss_ks') n(`=r(N)')

        if "`ss_dv'" == "stationary" & "`ss_kv'" == "stationary" {
            local ss_joint stationary
        }
        else if "`ss_dv'" == "unit_root" & "`ss_kv'" == "unit_root" {
            local ss_joint unit_root
        }
        else {
            local ss_joint inconclusive
        }
        post `ph' ("`v'") ("`ss_form'") (`ss_dl') (`ss_ds') (`ss_dcv') ("`ss_dv'") (`ss_kl') (`ss_ks') (`ss_kcv') ("`ss_kv'") ("`ss_joint'")
    }
}
postclose `ph'

display as text "SS_STEP 3: test table"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "dfgls_kpss_tests.csv", replace
restore
