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

display as text "SS_STEP 2: synthetic control (synth)"
synth `outcome' `outcome' `predictors', trunit(`treated_unit') trperiod(`treatment_period')
tempname Yt Ys W
matrix `Yt' = e(Y_treated)
matrix `Ys' = e(Y_synthetic)
capture matrix `W' = e(W_weights)
if _rc {
    display as text "synth stored no donor-weight matrix; the weights table will be empty"
    matrix `W' = J(1, 2, .)
}

display as text "SS_STEP 3: gaps and RMSPE"
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

display as text "SS_STEP 4: treated vs synthetic paths and gap plots"
capture noisily {
    twoway (line y_treated period) (line y_synthetic period, lpattern(dash)), xline(`treatment_period', lpattern(dot)) ytitle("`outcome'") xtitle("`time'") legend(order(1 "Treated unit" 2 "Synthetic control")) title("Synthetic control")
    graph export "synth_paths.png", replace width(1600)
}
capture noisily {
    twoway line gap period, yline(0, lpattern(dash)) xline(`treatment_period', lpattern(dot)) ytitle("Gap in `outcome'") xtitle("`time'") title("Treated minus synthetic")
    graph export "synth_gap.png", replace width(1600)
}

display as text "SS_STEP 5: donor weights"
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
