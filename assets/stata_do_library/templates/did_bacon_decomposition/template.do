display as text "SS_STEP 1: balanced panel of the estimation sample"
tempvar uid tid touse nper
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `controls'
quietly levelsof `tid' if `touse', local(ss_per)
local ss_T : word count `ss_per'
quietly bysort `uid': egen long `nper' = total(`touse')
quietly count if `touse' & `nper' < `ss_T'
if r(N) > 0 {
    display as text "note: the decomposition needs a balanced panel: `r(N)' rows of units observed in fewer than `ss_T' periods are dropped"
}
quietly replace `touse' = 0 if `nper' < `ss_T'
tempvar ss_ut
quietly egen byte `ss_ut' = tag(`uid') if `touse'
quietly count if `ss_ut' == 1
ss_res, step(sample) term(balanced_units) b(`r(N)')
if r(N) < 2 {
    display as error "fewer than two units are observed in every period"
    error 2001
}
xtset `uid' `time'

display as text "SS_STEP 2: TWFE DID (reference for the decomposition)"
xtreg `outcome' `treatment' `controls' i.`tid' if `touse', fe vce(cluster `uid') level(`level')
estimates store ss_m1
ss_coef "twfe" "`treatment'"

display as text "SS_STEP 3: Goodman-Bacon decomposition (bacondecomp)"
{% if has.controls %}
bacondecomp `outcome' `treatment' `controls' if `touse'
{% else %}
bacondecomp `outcome' `treatment' if `touse', ddetail
{% endif %}
capture noisily graph export "bacon_decomposition.png", replace width(1600)
tempname sd
matrix `sd' = e(sumdd)
local ss_rn : rownames `sd'
local ss_k = rowsof(`sd')
local ss_tot = 0
local ss_bad = 0
forvalues i = 1/`ss_k' {
    local nm : word `i' of `ss_rn'
    ss_res, step(bacon_decomposition) term(`nm') b(`=`sd'[`i', 1]') statistic(`=`sd'[`i', 2]')
    local ss_tot = `ss_tot' + `sd'[`i', 1] * `sd'[`i', 2]
    if strpos("`nm'", "Late_v_Early") | strpos("`nm'", "Later_v_Always") | strpos("`nm'", "Always") {
        local ss_bad = `ss_bad' + `sd'[`i', 2]
    }
}
ss_res, step(bacon_decomposition) term(weighted_sum_equals_twfe) b(`ss_tot')
ss_res, step(bacon_decomposition) term(weight_on_already_treated_controls) b(`ss_bad')

display as text "SS_STEP 4: decomposition table"
preserve
clear
quietly svmat double `sd', names(col)
quietly generate str40 comparison = ""
forvalues i = 1/`ss_k' {
    quietly replace comparison = "`: word `i' of `ss_rn''" in `i'
}
order comparison
export delimited using "bacon_decomposition.csv", replace
restore

display as text "SS_STEP 5: publication table of the TWFE reference (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit' `time') cluster(`unit')
