display as text "SS_STEP 1: declare the panel (one row per unit and period)"
capture noisily isid `unit' `time', missok
if _rc {
    display as error "`unit' and `time' do not identify the rows: some unit has more than one row in a period"
    error 459
}
xtset `unit' `time'

display as text "SS_STEP 2: lags, leads, differences and growth rates (gaps give missing values)"
tempname ph
tempfile lsum
postfile `ph' str32 source str32 newvar str12 operator int order double n_nonmissing using "`lsum'", replace
foreach v of varlist `variables' {
    local base = substr("`v'", 1, 28)
    if `lags' > 0 {
        forvalues k = 1/`lags' {
            local nv `base'_l`k'
            confirm new variable `nv'
            quietly generate double `nv' = L`k'.`v'
            label variable `nv' "lag `k' of `v'"
            quietly count if !missing(`nv')
            local nn = r(N)
            post `ph' ("`v'") ("`nv'") ("lag") (`k') (`nn')
            ss_res, step(lag) term(`nv') n(`nn')
        }
    }
    if `leads' > 0 {
        forvalues k = 1/`leads' {
            local nv `base'_f`k'
            confirm new variable `nv'
            quietly generate double `nv' = F`k'.`v'
            label variable `nv' "lead `k' of `v'"
            quietly count if !missing(`nv')
            local nn = r(N)
            post `ph' ("`v'") ("`nv'") ("lead") (`k') (`nn')
            ss_res, step(lead) term(`nv') n(`nn')
        }
    }
{% if opt.difference %}
    local nv `base'_d1
    confirm new variable `nv'
    quietly generate double `nv' = D.`v'
    label variable `nv' "first difference of `v'"
    quietly count if !missing(`nv')
    local nn = r(N)
    post `ph' ("`v'") ("`nv'") ("difference") (1) (`nn')
    ss_res, step(difference) term(`nv') n(`nn')
{% endif %}
{% if opt.growth %}
    local nv `base'_gr
    confirm new variable `nv'
    quietly generate double `nv' = (`v' - L.`v') / abs(L.`v') if L.`v' != 0
    label variable `nv' "growth rate of `v' on the previous period"
    quietly count if !missing(`nv')
    local nn = r(N)
    post `ph' ("`v'") ("`nv'") ("growth") (1) (`nn')
    ss_res, step(growth) term(`nv') n(`nn')
{% endif %}
}
postclose `ph'

display as text "SS_STEP 3: summary of the new variables"
preserve
clear
quietly append using "`lsum'"
list, noobs abbreviate(16)
export delimited using "panel_lags_summary.csv", replace
restore

display as text "SS_STEP 4: save the prepared panel"
save "panel_lags_data.dta", replace
