display as text "SS_STEP 1: survival-time setup, distribution and metric"
stset `duration', failure(`failure')
{% if opt.distribution in ("lognormal", "loglogistic") %}
local ss_met
local ss_ratio time_ratio
display as text "accelerated failure time metric (the only one for `distribution'): exp(b) are time ratios"
{% elif opt.metric == "aft" and opt.distribution != "gompertz" %}
local ss_met time
local ss_ratio time_ratio
display as text "accelerated failure time metric: exp(b) are time ratios"
{% else %}
local ss_met nohr
local ss_ratio hazard_ratio
display as text "proportional hazards metric: exp(b) are hazard ratios"
{% endif %}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: parametric survival regression (`distribution')"
streg `treatment' `controls' `ss_fe' `ss_if', distribution(`distribution') `ss_met' `ss_vce' level(`level')
estimates store ss_m1
tempname tbl ic
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_nfail = e(N_fail)

display as text "SS_STEP 3: key coefficient as a hazard or time ratio, and ancillary parameters"
local ss_crit = invnormal(1 - (100 - `level') / 200)
local ss_b = _b[`treatment']
local ss_s = _se[`treatment']
ss_coef "streg" "`treatment'"
ss_res, step(`ss_ratio') term(`treatment') b(`=exp(`ss_b')') se(`=exp(`ss_b') * `ss_s'') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=exp(`ss_b' - `ss_crit' * `ss_s')') ub(`=exp(`ss_b' + `ss_crit' * `ss_s')') n(`ss_n')
ss_res, step(sample) term(failures) b(`ss_nfail') n(`ss_n')
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_e : word `i' of `ss_eqs'
    if "`ss_e'" != "_t" {
        ss_res, step(ancillary) term(`ss_e':`: word `i' of `ss_terms'') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}

display as text "SS_STEP 4: information criteria for comparing distributions"
capture noisily {
    estat ic
    matrix `ic' = r(S)
    ss_res, step(model_fit) term(aic) b(`=`ic'[1, 5]') n(`ss_n')
    ss_res, step(model_fit) term(bic) b(`=`ic'[1, 6]') n(`ss_n')
}

display as text "SS_STEP 5: coefficient table with hazard or time ratios"
preserve
clear
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
quietly generate double exp_b = exp(b) if equation == "_t"
quietly generate double exp_b_ll = exp(ll) if equation == "_t"
quietly generate double exp_b_ul = exp(ul) if equation == "_t"
quietly generate str12 ratio = "`ss_ratio'" if equation == "_t"
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "streg_coefficients.csv", replace
restore

display as text "SS_STEP 6: fitted survival curve"
capture noisily {
    stcurve, survival title("`distribution' model survival at covariate means")
    graph export "streg_survival_curve.png", replace width(1600)
}

display as text "SS_STEP 7: publication table (xlsx, tex, docx)"
estimates restore ss_m1
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
