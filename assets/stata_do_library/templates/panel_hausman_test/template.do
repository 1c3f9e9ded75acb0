display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'
local rhs `regressors' `controls'
tempname fe_est re_est cmp
local ss_k : word count `rhs'
matrix `cmp' = J(`ss_k', 6, .)
matrix rownames `cmp' = `rhs'
matrix colnames `cmp' = b_fe se_fe b_re se_re diff se_diff

display as text "SS_STEP 2: fixed-effects estimates (conventional standard errors, as the test requires)"
xtreg `depvar' `rhs', fe level(`level')
estimates store `fe_est'
local ss_n = e(N)
foreach v of local regressors {
    ss_coef "fixed_effects" "`v'"
}
local i 0
foreach v of local rhs {
    local i = `i' + 1
    matrix `cmp'[`i', 1] = _b[`v']
    matrix `cmp'[`i', 2] = _se[`v']
}

display as text "SS_STEP 3: random-effects estimates"
xtreg `depvar' `rhs', re level(`level')
estimates store `re_est'
foreach v of local regressors {
    ss_coef "random_effects" "`v'"
}
local i 0
foreach v of local rhs {
    local i = `i' + 1
    matrix `cmp'[`i', 3] = _b[`v']
    matrix `cmp'[`i', 4] = _se[`v']
    matrix `cmp'[`i', 5] = `cmp'[`i', 1] - `cmp'[`i', 3]
    matrix `cmp'[`i', 6] = sqrt(max(0, `cmp'[`i', 2]^2 - `cmp'[`i', 4]^2))
}

display as text "SS_STEP 4: Hausman test (fixed against random effects, common error variance)"
hausman `fe_est' `re_est', sigmamore
local ss_chi2 = r(chi2)
local ss_p = r(p)
ss_res, step(hausman) term(fe_vs_re) statistic(`ss_chi2') p(`ss_p') n(`ss_n')
if `ss_p' < (100 - `level') / 100 {
    display as result "Hausman test rejects random effects at the chosen level: prefer fixed effects"
}
else {
    display as result "Hausman test does not reject random effects at the chosen level"
}

{% if opt.robust_test %}
display as text "SS_STEP 5: cluster-robust Mundlak (correlated random effects) test"
* Random effects plus the unit means of the time-varying regressors, standard errors clustered
* by unit: the joint test that the means' coefficients are zero is the robust counterpart of
* the classical Hausman test (valid under heteroskedasticity and serial correlation).
capture noisily {
    tempvar ss_mtouse
    mark `ss_mtouse'
    markout `ss_mtouse' `depvar' `rhs' `unit_id' `time'
    local ss_means
    foreach v of local rhs {
        tempvar ss_m
        quietly bysort `unit_id': egen double `ss_m' = mean(`v') if `ss_mtouse'
        tempvar ss_dev
        quietly generate double `ss_dev' = `v' - `ss_m'
        quietly summarize `ss_dev' if `ss_mtouse'
        if r(sd) > 0 & r(sd) < . {
            local ss_means `ss_means' `ss_m'
        }
        else {
            display as text "`v' does not vary within units: left out of the Mundlak test"
        }
    }
    quietly xtset `unit_id' `time'
    xtreg `depvar' `rhs' `ss_means' if `ss_mtouse', re vce(cluster `unit_id') level(`level')
    local ss_mn = e(N)
    test `ss_means'
    local ss_mstat = r(chi2)
    if missing(`ss_mstat') {
        local ss_mstat = r(F)
    }
    local ss_mp = r(p)
    ss_res, step(mundlak_robust) term(unit_means_joint) statistic(`ss_mstat') p(`ss_mp') n(`ss_mn')
    if `ss_mp' < (100 - `level') / 100 {
        display as result "the cluster-robust Mundlak test rejects random effects at the chosen level: prefer fixed effects"
    }
    else {
        display as result "the cluster-robust Mundlak test does not reject random effects at the chosen level"
    }
}

{% endif %}
display as text "SS_STEP 6: coefficient comparison table"
preserve
clear
local ss_terms : rownames `cmp'
local ss_eqs : roweq `cmp'
local ss_k = rowsof(`cmp')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `cmp', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "hausman_comparison.csv", replace
restore
