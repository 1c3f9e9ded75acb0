display as text "SS_STEP 1: estimation sample"
tempvar touse
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `mediator' `controls'
quietly count if `touse'
display as text "observations: " r(N)

display as text "SS_STEP 2: Baron-Kenny step 1: total effect (outcome on treatment)"
tempname c sc a sa b sb cp scp
regress `outcome' `treatment' `controls' if `touse', vce(robust) level(`level')
estimates store ss_m1
scalar `c' = _b[`treatment']
scalar `sc' = _se[`treatment']
ss_coef "total_effect_c" "`treatment'"

display as text "SS_STEP 3: Baron-Kenny step 2: path a (mediator on treatment)"
regress `mediator' `treatment' `controls' if `touse', vce(robust) level(`level')
estimates store ss_m2
scalar `a' = _b[`treatment']
scalar `sa' = _se[`treatment']
ss_coef "path_a" "`treatment'"

display as text "SS_STEP 4: Baron-Kenny step 3: path b and direct effect c'"
regress `outcome' `treatment' `mediator' `controls' if `touse', vce(robust) level(`level')
estimates store ss_m3
scalar `b' = _b[`mediator']
scalar `sb' = _se[`mediator']
scalar `cp' = _b[`treatment']
scalar `scp' = _se[`treatment']
ss_coef "path_b" "`mediator'"
ss_coef "direct_effect_c_prime" "`treatment'"

display as text "SS_STEP 5: Sobel test of the indirect effect a*b"
tempname ab sab
scalar `ab' = `a' * `b'
scalar `sab' = sqrt(`b'^2 * `sa'^2 + `a'^2 * `sb'^2)
ss_res, step(indirect_effect_sobel) term(a_x_b) b(`=`ab'') se(`=`sab'') statistic(`=`ab' / `sab'') p(`=2 * normal(-abs(`ab' / `sab'))')
ss_res, step(proportion_mediated) term(a_x_b_over_c) b(`=`ab' / `c'')

display as text "SS_STEP 6: bootstrap confidence interval of the indirect effect"
capture program drop ss_mediation_ab
program define ss_mediation_ab, rclass
    syntax varlist(min=3 numeric) [if]
    marksample touse
    gettoken yv rest : varlist
    gettoken xv rest : rest
    gettoken mv cv : rest
    tempname pa
    quietly regress `mv' `xv' `cv' if `touse'
    scalar `pa' = _b[`xv']
    quietly regress `yv' `xv' `mv' `cv' if `touse'
    return scalar ab = `pa' * _b[`mv']
    return scalar direct = _b[`xv']
end
bootstrap ab = r(ab) direct = r(direct), reps(`reps') seed(`=int(`seed')') level(`level') nodots: ss_mediation_ab `outcome' `treatment' `mediator' `controls' if `touse'
tempname bt pci bci
matrix `bt' = r(table)
capture matrix `pci' = e(ci_percentile)
if _rc {
    matrix `pci' = J(2, 2, .)
}
capture matrix `bci' = e(ci_bc)
if _rc {
    matrix `bci' = J(2, 2, .)
}
ss_res, step(indirect_effect_bootstrap_percentile) term(a_x_b) b(`=`bt'[1, 1]') se(`=`bt'[2, 1]') statistic(`=`bt'[3, 1]') p(`=`bt'[4, 1]') lb(`=`pci'[1, 1]') ub(`=`pci'[2, 1]') n(`=e(N)')
ss_res, step(indirect_effect_bootstrap_bc) term(a_x_b) b(`=`bt'[1, 1]') se(`=`bt'[2, 1]') lb(`=`bci'[1, 1]') ub(`=`bci'[2, 1]') n(`=e(N)')
ss_res, step(direct_effect_bootstrap_percentile) term(`treatment') b(`=`bt'[1, 2]') se(`=`bt'[2, 2]') lb(`=`pci'[1, 2]') ub(`=`pci'[2, 2]') n(`=e(N)')

display as text "SS_STEP 7: mediation table"
preserve
clear
quietly set obs 7
generate str40 effect = ""
generate double estimate = .
generate double se = .
generate double ci_lower = .
generate double ci_upper = .
quietly replace effect = "total_effect_c" in 1
quietly replace estimate = `c' in 1
quietly replace se = `sc' in 1
quietly replace effect = "path_a" in 2
quietly replace estimate = `a' in 2
quietly replace se = `sa' in 2
quietly replace effect = "path_b" in 3
quietly replace estimate = `b' in 3
quietly replace se = `sb' in 3
quietly replace effect = "direct_effect_c_prime" in 4
quietly replace estimate = `cp' in 4
quietly replace se = `scp' in 4
quietly replace effect = "indirect_sobel" in 5
quietly replace estimate = `ab' in 5
quietly replace se = `sab' in 5
quietly replace effect = "indirect_bootstrap_percentile" in 6
quietly replace estimate = `bt'[1, 1] in 6
quietly replace se = `bt'[2, 1] in 6
quietly replace ci_lower = `pci'[1, 1] in 6
quietly replace ci_upper = `pci'[2, 1] in 6
quietly replace effect = "indirect_bootstrap_bias_corrected" in 7
quietly replace estimate = `bt'[1, 1] in 7
quietly replace se = `bt'[2, 1] in 7
quietly replace ci_lower = `bci'[1, 1] in 7
quietly replace ci_upper = `bci'[2, 1] in 7
quietly replace ci_lower = estimate - invnormal(1 - (100 - `level') / 200) * se if missing(ci_lower)
quietly replace ci_upper = estimate + invnormal(1 - (100 - `level') / 200) * se if missing(ci_upper)
export delimited using "mediation_effects.csv", replace
restore

display as text "SS_STEP 8: publication table (xlsx, tex, docx): total effect, path a, path b and direct effect"
capture noisily ss_pubtable ss_m1 ss_m2 ss_m3
