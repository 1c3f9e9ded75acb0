display as text "SS_STEP 1: panel setup"
tempvar uid
quietly egen long `uid' = group(`unit')
xtset `uid' `time'
{% if has.cluster %}
tempvar cid
quietly egen long `cid' = group(`cluster')
local vceopt vce(cluster `cid')
{% else %}
local vceopt vce(cluster `uid')
{% endif %}
{% if opt.method == "ra" %}
local ss_spec (`outcome' `controls') (`treatment')
{% endif %}
{% if opt.method == "ipw" %}
local ss_spec (`outcome') (`treatment' `controls')
{% endif %}
{% if opt.method == "aipw" %}
local ss_spec (`outcome' `controls') (`treatment' `controls')
{% endif %}
{% if opt.method == "twfe" %}
local ss_spec (`outcome' `controls') (`treatment')
{% endif %}

display as text "SS_STEP 2: heterogeneous-treatment-effect DID (xthdidregress `method')"
xthdidregress `method' `ss_spec' `ss_if', group(`uid') controlgroup(`control_group') `vceopt' level(`level')
estimates store ss_h
local ss_n = e(N)
tempname B V
matrix `B' = e(b)
matrix `V' = e(V)
local ss_names : colfullnames `B'
local ss_crit = invnormal(1 - (100 - `level') / 200)
forvalues j = 1/`=colsof(`B')' {
    local ss_b = `B'[1, `j']
    local ss_s = sqrt(`V'[`j', `j'])
    if `ss_s' > 0 & `ss_s' < . {
        ss_res, step(atet_cohort_time) term(`: word `j' of `ss_names'') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
    }
}

display as text "SS_STEP 3: dynamic aggregation (ATET by exposure time) and plot"
estat aggregation, dynamic graph
capture noisily graph export "xthdid_dynamic.png", replace width(1600)
tempname db dv
matrix `db' = r(b)
matrix `dv' = r(V)
local ss_dn : colnames `db'
local ss_k = colsof(`db')
tempname es
matrix `es' = J(`ss_k', 4, .)
matrix colnames `es' = estimate se ci_lower ci_upper
forvalues j = 1/`ss_k' {
    local ss_b = `db'[1, `j']
    local ss_s = sqrt(`dv'[`j', `j'])
    matrix `es'[`j', 1] = `ss_b'
    matrix `es'[`j', 2] = `ss_s'
    matrix `es'[`j', 3] = `ss_b' - `ss_crit' * `ss_s'
    matrix `es'[`j', 4] = `ss_b' + `ss_crit' * `ss_s'
    ss_res, step(atet_dynamic) term(`: word `j' of `ss_dn'') b(`ss_b') se(`ss_s') statistic(`=`ss_b' / `ss_s'') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
}
preserve
clear
quietly svmat double `es', names(col)
quietly generate str40 exposure = ""
forvalues i = 1/`ss_k' {
    quietly replace exposure = "`: word `i' of `ss_dn''" in `i'
}
order exposure
export delimited using "xthdid_dynamic.csv", replace
restore

display as text "SS_STEP 4: ATET by cohort"
capture noisily {
    quietly estimates restore ss_h
    estat aggregation, cohort
    tempname cb cv
    matrix `cb' = r(b)
    matrix `cv' = r(V)
    local ss_cn : colnames `cb'
    forvalues j = 1/`=colsof(`cb')' {
        local ss_b = `cb'[1, `j']
        local ss_s = sqrt(`cv'[`j', `j'])
        ss_res, step(atet_cohort) term(`: word `j' of `ss_cn'') b(`ss_b') se(`ss_s') p(`=2 * normal(-abs(`ss_b' / `ss_s'))') lb(`=`ss_b' - `ss_crit' * `ss_s'') ub(`=`ss_b' + `ss_crit' * `ss_s'') n(`ss_n')
    }
}

display as text "SS_STEP 5: parallel pre-trends test"
capture noisily {
    quietly estimates restore ss_h
    estat ptrends
    ss_res, step(pretrend_test) term(ptrends) statistic(`=r(chi2)') p(`=r(p)') b(`=r(df)')
}
