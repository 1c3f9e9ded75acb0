display as text "SS_STEP 1: panel setup"
tsset `unit' `time'
quietly count if `unit' == `treated_unit'
if r(N) == 0 {
    display as error "treated unit `treated_unit' not found in `unit'"
    error 2000
}
quietly count if `unit' == `treated_unit' & `time' < `treatment_period'
if r(N) < 2 {
    display as error "the treated unit needs at least two periods before `treatment_period'"
    error 2001
}
quietly levelsof `time' if `unit' == `treated_unit', local(periods)
quietly levelsof `time' if `unit' == `treated_unit' & `time' < `treatment_period' & !missing(`outcome'), local(ss_pre)

display as text "SS_STEP 2: donor pool (units with complete outcome and predictor data)"
* A donor needs the outcome in every period of the treated unit and each predictor in at
* least one pre-treatment period; other units are dropped and counted.
tempvar ss_bad ss_has ss_ubad
quietly generate byte `ss_bad' = 0
foreach t of local periods {
    tempvar ss_obs
    quietly bysort `unit': egen byte `ss_obs' = max(`time' == `t' & !missing(`outcome'))
    quietly replace `ss_bad' = 1 if `ss_obs' == 0
    drop `ss_obs'
}
foreach v of local predictors {
    tempvar ss_obs
    quietly bysort `unit': egen byte `ss_obs' = max(`time' < `treatment_period' & !missing(`v'))
    quietly replace `ss_bad' = 1 if `ss_obs' == 0
    drop `ss_obs'
}
quietly count if `ss_bad' == 1 & `unit' == `treated_unit'
if r(N) > 0 {
    display as error "the treated unit lacks the outcome in some period or a predictor in every pre-treatment period"
    error 2000
}
tempvar ss_utag
quietly egen byte `ss_utag' = tag(`unit') if `ss_bad' == 1
quietly count if `ss_utag' == 1
local ss_ndropped = r(N)
quietly drop if `ss_bad' == 1
quietly levelsof `unit' if `unit' != `treated_unit', local(ss_donors)
local ss_ndonors : word count `ss_donors'
ss_res, step(donor_pool) term(donors_used) b(`ss_ndonors')
ss_res, step(donor_pool) term(donors_dropped_incomplete) b(`ss_ndropped')
if `ss_ndonors' < 2 {
    display as error "fewer than two donor units with complete data"
    error 2001
}

display as text "SS_STEP 3: synthetic control (synth)"
* predictors: the pre-period mean of the outcome, the outcome in the first, middle and last
* pre-treatment periods, and the pre-period means of the other predictors.
local ss_npre : word count `ss_pre'
local ss_lagged
foreach j in 1 `=ceil(`ss_npre' / 2)' `ss_npre' {
    local ss_p : word `j' of `ss_pre'
    local ss_term `outcome'(`ss_p')
    local ss_dup : list ss_term in ss_lagged
    if !`ss_dup' {
        local ss_lagged `ss_lagged' `ss_term'
    }
}
display as text "lagged-outcome predictors: `ss_lagged'"
synth `outcome' `outcome' `ss_lagged' `predictors', trunit(`treated_unit') trperiod(`treatment_period')
tempname Yt Ys W
matrix `Yt' = e(Y_treated)
matrix `Ys' = e(Y_synthetic)
matrix `W' = e(W_weights)

display as text "SS_STEP 4: gaps and RMSPE"
preserve
clear
local T = rowsof(`Yt')
local rn : rownames `Yt'
quietly set obs `T'
generate double period = .
generate double y_treated = .
generate double y_synthetic = .
forvalues i = 1/`T' {
    local pr = real("`: word `i' of `rn''")
    if missing(`pr') {
        local pr : word `i' of `periods'
    }
    quietly replace period = `pr' in `i'
    quietly replace y_treated = `Yt'[`i', 1] in `i'
    quietly replace y_synthetic = `Ys'[`i', 1] in `i'
}
generate double gap = y_treated - y_synthetic
generate byte post = period >= `treatment_period'
generate double gap_sq = gap^2
quietly summarize gap_sq if post == 0
local rmspe_pre = sqrt(r(mean))
local n_pre = r(N)
quietly summarize gap_sq if post == 1
local rmspe_post = sqrt(r(mean))
local n_post = r(N)
quietly summarize gap if post == 1
local avg_gap = r(mean)
ss_res, step(rmspe) term(pre_treatment) b(`rmspe_pre') n(`n_pre')
ss_res, step(rmspe) term(post_treatment) b(`rmspe_post') n(`n_post')
ss_res, step(rmspe) term(post_pre_ratio) b(`=`rmspe_post' / `rmspe_pre'')
ss_res, step(treatment_effect) term(average_post_gap) b(`avg_gap') n(`n_post')
drop gap_sq
export delimited using "synth_gap.csv", replace

display as text "SS_STEP 5: treated vs synthetic paths and gap plots"
capture noisily {
    twoway (line y_treated period) (line y_synthetic period, lpattern(dash)), xline(`treatment_period', lpattern(dot)) ytitle("`outcome'") xtitle("`time'") legend(order(1 "Treated unit" 2 "Synthetic control")) title("Synthetic control")
    graph export "synth_paths.png", replace width(1600)
}
capture noisily {
    twoway line gap period, yline(0, lpattern(dash)) xline(`treatment_period', lpattern(dot)) ytitle("Gap in `outcome'") xtitle("`time'") title("Treated minus synthetic")
    graph export "synth_gap.png", replace width(1600)
}

display as text "SS_STEP 6: donor weights"
clear
quietly svmat double `W', names(w)
rename w1 donor_unit
rename w2 weight
gsort -weight
export delimited using "synth_weights.csv", replace
local nd = _N
forvalues i = 1/`nd' {
    if weight[`i'] >= 0.001 & !missing(weight[`i']) {
        ss_res, step(donor_weight) term(unit_`=string(donor_unit[`i'], "%15.0g")') b(`=weight[`i']')
    }
}
restore
{% if opt.placebo %}

display as text "SS_STEP 7: in-space placebo inference (each donor treated in turn)"
* The ratio of post- to pre-treatment RMSPE of the treated unit is ranked among the ratios of
* every donor re-estimated as if treated (the actual treated unit left out of its donor pool);
* the permutation p-value is that rank divided by the number of units.
local ss_ratio_tr = `rmspe_post' / `rmspe_pre'
tempname ss_ph ss_py ss_ps
tempfile ss_pl
postfile `ss_ph' double(unit rmspe_pre rmspe_post ratio) using "`ss_pl'", replace
post `ss_ph' (`treated_unit') (`rmspe_pre') (`rmspe_post') (`ss_ratio_tr')
local ss_rank = 1
local ss_nplac = 0
foreach d of local ss_donors {
    local ss_others : list ss_donors - d
    capture quietly synth `outcome' `outcome' `ss_lagged' `predictors', trunit(`d') trperiod(`treatment_period') counit(`ss_others')
    if _rc {
        display as text "placebo for unit `d' failed (r(`=_rc')): skipped"
        continue
    }
    matrix `ss_py' = e(Y_treated)
    matrix `ss_ps' = e(Y_synthetic)
    local ss_rn : rownames `ss_py'
    local ss_s0 = 0
    local ss_n0 = 0
    local ss_s1 = 0
    local ss_n1 = 0
    forvalues i = 1/`=rowsof(`ss_py')' {
        local ss_pr = real("`: word `i' of `ss_rn''")
        if missing(`ss_pr') {
            local ss_pr : word `i' of `periods'
        }
        local ss_g2 = (`ss_py'[`i', 1] - `ss_ps'[`i', 1])^2
        if `ss_pr' < `treatment_period' {
            local ss_s0 = `ss_s0' + `ss_g2'
            local ss_n0 = `ss_n0' + 1
        }
        else {
            local ss_s1 = `ss_s1' + `ss_g2'
            local ss_n1 = `ss_n1' + 1
        }
    }
    local ss_r0 = sqrt(`ss_s0' / `ss_n0')
    local ss_r1 = sqrt(`ss_s1' / `ss_n1')
    local ss_ratio = `ss_r1' / `ss_r0'
    post `ss_ph' (`d') (`ss_r0') (`ss_r1') (`ss_ratio')
    local ss_nplac = `ss_nplac' + 1
    if `ss_ratio' >= `ss_ratio_tr' {
        local ss_rank = `ss_rank' + 1
    }
}
postclose `ss_ph'
ss_res, step(placebo_inference) term(rmspe_ratio_rank) b(`ss_rank') n(`=`ss_nplac' + 1')
ss_res, step(placebo_inference) term(permutation_p_value) p(`=`ss_rank' / (`ss_nplac' + 1)') n(`=`ss_nplac' + 1')
preserve
clear
quietly append using "`ss_pl'"
generate byte treated = (_n == 1)
gsort -ratio
generate int rank = _n
export delimited using "synth_placebo.csv", replace
restore
{% endif %}
