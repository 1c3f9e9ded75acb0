display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `covariates' `controls'
display as text "the treatment indicator must be coded 0/1"
assert inlist(`treatment', 0, 1) if `touse'
foreach v in cem_strata cem_matched cem_weights {
    capture confirm new variable `v'
    if _rc {
        display as error "the dataset already has a variable `v'; cem writes its results under that name"
        error 110
    }
}

display as text "SS_STEP 2: coarsened exact matching (cem)"
local ss_spec
foreach v of local covariates {
{% if opt.coarsening == "equal_bins" %}
    local ss_spec `ss_spec' `v' (#`nbins')
{% else %}
    local ss_spec `ss_spec' `v'
{% endif %}
}
{% if opt.k2k %}
local ss_k2k k2k
{% else %}
local ss_k2k
{% endif %}
{% if opt.coarsening == "equal_bins" %}
cem `ss_spec' if `touse', treatment(`treatment') `ss_k2k'
{% else %}
cem `ss_spec' if `touse', treatment(`treatment') autocuts(`coarsening') `ss_k2k'
{% endif %}
tempname cnt
matrix `cnt' = J(2, 3, .)
matrix colnames `cnt' = all matched unmatched
matrix rownames `cnt' = controls treated
forvalues t = 0/1 {
    quietly count if `touse' & `treatment' == `t'
    matrix `cnt'[`t' + 1, 1] = r(N)
    quietly count if `touse' & `treatment' == `t' & cem_matched == 1
    matrix `cnt'[`t' + 1, 2] = r(N)
    matrix `cnt'[`t' + 1, 3] = `cnt'[`t' + 1, 1] - `cnt'[`t' + 1, 2]
    local ss_lab = cond(`t' == 1, "treated", "controls")
    ss_res, step(cem_matched) term(`ss_lab') b(`=`cnt'[`t' + 1, 2]') n(`=`cnt'[`t' + 1, 1]')
}
quietly count if `touse' & cem_matched == 1 & `treatment' == 1
if r(N) == 0 {
    display as error "no treated observation has a control in its coarsened stratum; coarsen more (fewer bins)"
    error 2000
}
tempvar stag
quietly egen byte `stag' = tag(cem_strata) if `touse' & cem_matched == 1
quietly count if `stag' == 1
ss_res, step(cem_strata) term(matched_strata) b(`=r(N)')

display as text "SS_STEP 3: covariate balance in the matched, weighted sample"
tempfile bal
tempname ph
postfile `ph' str32 variable double(mean_treated_raw mean_control_raw mean_treated_matched mean_control_matched std_diff_raw std_diff_matched) using "`bal'", replace
foreach v of local covariates {
    quietly summarize `v' if `touse' & `treatment' == 1
    local mt = r(mean)
    local vt = r(Var)
    quietly summarize `v' if `touse' & `treatment' == 0
    local mc = r(mean)
    local sdp = sqrt((`vt' + r(Var)) / 2)
    quietly summarize `v' [aweight = cem_weights] if `touse' & cem_matched == 1 & `treatment' == 1
    local mtm = r(mean)
    quietly summarize `v' [aweight = cem_weights] if `touse' & cem_matched == 1 & `treatment' == 0
    local mcm = r(mean)
    post `ph' ("`v'") (`mt') (`mc') (`mtm') (`mcm') ((`mt' - `mc') / `sdp') ((`mtm' - `mcm') / `sdp')
    ss_res, step(balance_std_diff_matched) term(`v') b(`=(`mtm' - `mcm') / `sdp'') statistic(`=(`mt' - `mc') / `sdp'')
}
postclose `ph'
preserve
clear
quietly append using "`bal'"
export delimited using "cem_balance.csv", replace
restore

display as text "SS_STEP 4: weighted regression on the matched sample (cem_weights)"
tempvar matched
quietly generate byte `matched' = `touse' & cem_matched == 1
regress `outcome' `treatment' `controls' `ss_fe' [pweight = cem_weights] if `matched', `ss_vce' level(`level')
estimates store ss_m1
ss_coef "cem_att" "`treatment'"
preserve
clear
quietly svmat double `cnt', names(col)
generate str10 group = cond(_n == 1, "controls", "treated")
order group
export delimited using "cem_match_counts.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')
