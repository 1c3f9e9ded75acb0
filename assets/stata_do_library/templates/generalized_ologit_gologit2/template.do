display as text "SS_STEP 1: ordered outcome and variance estimator"
quietly tabulate `depvar' `ss_if'
local ss_ncat = r(r)
if `ss_ncat' < 3 {
    display as error "a generalized ordered logit needs an outcome with at least three categories; `depvar' has `ss_ncat'"
    error 459
}
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}

display as text "SS_STEP 2: tests of the parallel-lines assumption on the ordered logit"
capture noisily {
    quietly ologit `depvar' `regressors' `controls' `ss_if'
    oparallel
    local ss_df = r(df)
    tempname pt
    matrix `pt' = (r(chi2_b), `ss_df', r(p_b)) \ (r(chi2_lr), `ss_df', r(p_lr)) \ (r(chi2_w), `ss_df', r(p_w)) \ (r(chi2_s), `ss_df', r(p_s)) \ (r(chi2_wg), `ss_df', r(p_wg))
    local ss_tests brant likelihood_ratio wald score wolfe_gould
    local ss_on = e(N)
    forvalues i = 1/5 {
        ss_res, step(parallel_lines_test) term(`: word `i' of `ss_tests'') statistic(`=`pt'[`i', 1]') p(`=`pt'[`i', 3]') n(`ss_on')
    }
    preserve
    clear
    quietly set obs 5
    quietly generate str20 test = ""
    quietly svmat double `pt', names(ss_c)
    rename ss_c1 chi2
    rename ss_c2 df
    rename ss_c3 p_value
    forvalues i = 1/5 {
        quietly replace test = "`: word `i' of `ss_tests''" in `i'
    }
    export delimited using "parallel_lines_tests.csv", replace
    restore
}

display as text "SS_STEP 3: generalized ordered logit"
{% if opt.model == "autofit" %}
gologit2 `depvar' `regressors' `controls' `ss_if', autofit `ss_vce' level(`level')
{% elif opt.model == "pl" %}
gologit2 `depvar' `regressors' `controls' `ss_if', pl `ss_vce' level(`level')
{% else %}
gologit2 `depvar' `regressors' `controls' `ss_if', `ss_vce' level(`level')
{% endif %}
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)
local ss_chi2 = e(chi2)
local ss_pm = e(p)

display as text "SS_STEP 4: key coefficients of each cumulative equation and model fit"
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
forvalues i = 1/`=rowsof(`tbl')' {
    local ss_t : word `i' of `ss_terms'
    local ss_e : word `i' of `ss_eqs'
    local ss_hit : list ss_t in regressors
    if `ss_hit' {
        ss_res, step(gologit2_eq_`ss_e') term(`ss_t') b(`=`tbl'[`i', 1]') se(`=`tbl'[`i', 2]') statistic(`=`tbl'[`i', 3]') p(`=`tbl'[`i', 4]') lb(`=`tbl'[`i', 5]') ub(`=`tbl'[`i', 6]') n(`ss_n')
    }
}
capture noisily ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') statistic(`ss_chi2') p(`ss_pm') n(`ss_n') r2(`ss_r2p')

display as text "SS_STEP 5: coefficient table"
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
export delimited using "gologit2_coefficients.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, cluster(`clustvar')
