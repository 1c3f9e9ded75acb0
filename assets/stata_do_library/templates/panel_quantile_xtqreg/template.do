display as text "SS_STEP 1: quantiles and panel unit"
{% if opt.quantiles == "q25_50_75" %}
local ss_qs 25 50 75
{% elif opt.quantiles == "deciles" %}
local ss_qs 10 20 30 40 50 60 70 80 90
{% elif opt.quantiles == "median" %}
local ss_qs 50
{% else %}
local ss_qs 10 50 90
{% endif %}
display as text "fixed effects for `unit_id'; standard errors are xtqreg's own (no clustering option)"
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_v1 : word 1 of `regressors'
tempname tbl bs
local ss_terms
local ss_models

display as text "SS_STEP 2: quantile regressions with fixed effects (method of moments)"
foreach q of local ss_qs {
    xtqreg `depvar' `regressors' `controls' `ss_fe' `ss_if', i(`unit_id') quantile(`=`q' / 100') ls
    estimates store ss_q`q'
    local ss_models `ss_models' ss_q`q'
    local ss_n = e(N)
    foreach v of local regressors {
        ss_coef "xtqreg_q`q'" "`v'"
    }
    foreach v in `regressors' `controls' {
        local ss_b = _b[`v']
        local ss_s = _se[`v']
        matrix `tbl' = nullmat(`tbl') \ (`q', `ss_b', `ss_s', `ss_b' / `ss_s', 2 * normal(-abs(`ss_b' / `ss_s')), `ss_b' - `ss_crit' * `ss_s', `ss_b' + `ss_crit' * `ss_s', `ss_n')
        local ss_terms `ss_terms' `v'
    }
}

display as text "SS_STEP 3: scale coefficients (does a regressor widen the outcome distribution?)"
capture noisily {
    matrix `bs' = e(b_scale)
    foreach v of local regressors {
        local ss_j = colnumb(`bs', "`v'")
        if `ss_j' < . {
            ss_res, step(scale) term(`v') b(`=`bs'[1, `ss_j']') n(`ss_n')
        }
    }
}

display as text "SS_STEP 4: coefficient table across quantiles"
preserve
clear
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 term = ""
quietly svmat double `tbl', names(ss_c)
rename (ss_c1 ss_c2 ss_c3 ss_c4 ss_c5 ss_c6 ss_c7 ss_c8) (quantile b se z pvalue ll ul n_obs)
forvalues i = 1/`ss_k' {
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "xtqreg_coefficients.csv", replace

display as text "SS_STEP 5: effect of `ss_v1' across quantiles"
capture noisily {
    quietly keep if term == "`ss_v1'"
    twoway (rarea ll ul quantile, color(gs13)) (connected b quantile), xtitle("Quantile of `depvar'") ytitle("Effect of `ss_v1'") legend(order(2 "Fixed-effects quantile effect" 1 "`level'% CI"))
    graph export "xtqreg_coefficients.png", replace width(1600)
}
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable `ss_models', fe(`unit_id' `ss_fe_names')
