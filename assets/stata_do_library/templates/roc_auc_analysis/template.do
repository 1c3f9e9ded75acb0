display as text "SS_STEP 1: logit model"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
logit `depvar' `regressors' `controls' `ss_fe' `ss_if', `ss_vce' level(`level')
estimates store ss_m1
foreach v of local regressors {
    ss_coef "logit" "`v'"
}
tempvar touse p
quietly generate byte `touse' = e(sample)
quietly predict double `p' if `touse', pr

display as text "SS_STEP 2: area under the ROC curve"
roctab `depvar' `p' if `touse', level(`level')
local auc = r(area)
local auc_se = r(se)
local auc_lb = r(lb)
local auc_ub = r(ub)
local auc_n = r(N)
ss_res, step(roc) term(auc) b(`auc') se(`auc_se') statistic(`=(`auc' - 0.5) / `auc_se'') p(`=2 * normal(-abs((`auc' - 0.5) / `auc_se'))') lb(`auc_lb') ub(`auc_ub') n(`auc_n')
capture noisily {
    quietly estimates restore ss_m1
    lroc, title("ROC curve")
    graph export "roc_curve.png", replace width(1600)
}
capture noisily estat classification

display as text "SS_STEP 3: sensitivity and specificity by cutoff"
quietly count if `touse' & `depvar' == 1
local npos = r(N)
quietly count if `touse' & `depvar' == 0
local nneg = r(N)
tempname ph
tempfile cuts
postfile `ph' double(cutoff true_pos false_pos true_neg false_neg sensitivity specificity accuracy youden_j) using "`cuts'", replace
local bestj -1
local bestc .
forvalues c = 5(5)95 {
    local cut = `c' / 100
    quietly count if `touse' & `depvar' == 1 & `p' >= `cut'
    local tp = r(N)
    quietly count if `touse' & `depvar' == 0 & `p' >= `cut'
    local fp = r(N)
    local fn = `npos' - `tp'
    local tn = `nneg' - `fp'
    local sens = `tp' / `npos'
    local spec = `tn' / `nneg'
    local acc = (`tp' + `tn') / (`npos' + `nneg')
    local j = `sens' + `spec' - 1
    post `ph' (`cut') (`tp') (`fp') (`tn') (`fn') (`sens') (`spec') (`acc') (`j')
    if `j' > `bestj' {
        local bestj = `j'
        local bestc = `cut'
        local bests = `sens'
        local bestp = `spec'
    }
    if `c' == 50 {
        ss_res, step(classification) term(accuracy_at_0_5) b(`acc') n(`=`npos' + `nneg'')
    }
}
postclose `ph'
ss_res, step(classification) term(best_cutoff_youden) b(`bestc') statistic(`bestj') n(`=`npos' + `nneg'')
ss_res, step(classification) term(sensitivity_at_best) b(`bests') n(`npos')
ss_res, step(classification) term(specificity_at_best) b(`bestp') n(`nneg')
preserve
clear
quietly append using "`cuts'"
list, noobs
export delimited using "roc_cutoffs.csv", replace
restore

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
