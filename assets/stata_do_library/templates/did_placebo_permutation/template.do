display as text "SS_STEP 1: panel identifiers and treatment term"
tempvar uid tid
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
{% if has.treatment %}
local dterm `treatment'
{% else %}
{% if has.treated and has.post %}
* the interaction gets a readable name (did, or did_1, did_2... when taken) for the tables
local dterm did
local ss_j = 0
capture confirm new variable `dterm'
while _rc {
    local ss_j = `ss_j' + 1
    local dterm did_`ss_j'
    capture confirm new variable `dterm'
}
quietly generate double `dterm' = `treated' * `post'
display as text "treatment term `dterm' = `treated' x `post'"
{% else %}
display as error "give either a treatment indicator or both a treated-group and a post-period indicator"
error 198
{% endif %}
{% endif %}
{% if has.cluster %}
local vceopt `ss_vce'
local ss_clname `cluster'
{% else %}
local vceopt vce(cluster `uid')
local ss_clname `unit'
{% endif %}

display as text "SS_STEP 2: actual DID estimate (unit and time fixed effects)"
reghdfe `outcome' `dterm' `controls' `ss_wt' `ss_if', absorb(`uid' `tid' `ss_absorb') `vceopt' level(`level')
estimates store ss_m1
tempname btrue
scalar `btrue' = _b[`dterm']
ss_coef "did_actual" "`dterm'"
tempvar insample
quietly generate byte `insample' = e(sample)

display as text "SS_STEP 3: `reps' random re-assignments of whole treatment paths across units"
* Each draw gives every unit the treatment path (over calendar periods) of another unit drawn
* without replacement, so the number of treated units and the timing pattern are kept while
* the link between treatment and unit is broken; the placebo DID is re-estimated each time.
set seed `=int(`seed')'
preserve
quietly keep if `insample'
tempvar src pd ru
tempfile paths draws
quietly egen long `src' = group(`uid')
quietly generate double `pd' = `dterm'
quietly keep `src' `tid' `pd'
quietly save "`paths'"
restore
preserve
quietly keep if `insample'
tempname ph
postfile `ph' long draw double(b se) using "`draws'", replace
local ss_nmiss = 0
forvalues r = 1/`reps' {
    sort `uid' `tid'
    quietly by `uid': generate double `ru' = runiform() if _n == 1
    quietly by `uid': replace `ru' = `ru'[1]
    quietly egen long `src' = group(`ru')
    quietly merge m:1 `src' `tid' using "`paths'", keep(master match) nogenerate
    quietly count if missing(`pd')
    local ss_nmiss = `ss_nmiss' + r(N)
    quietly replace `pd' = 0 if missing(`pd')
    capture quietly reghdfe `outcome' `pd' `controls' `ss_wt', absorb(`uid' `tid' `ss_absorb') `vceopt'
    if _rc == 0 {
        post `ph' (`r') (_b[`pd']) (_se[`pd'])
    }
    drop `ru' `src' `pd'
}
postclose `ph'
restore
if `ss_nmiss' > 0 {
    display as text "note: `ss_nmiss' unit-period rows had no period in the drawn unit's path (unbalanced panel) and got placebo treatment 0"
}

display as text "SS_STEP 4: placebo distribution and the actual estimate's permutation p-value"
preserve
clear
quietly append using "`draws'"
quietly drop if missing(b) | missing(se) | se <= 0
quietly count
local ss_nd = r(N)
if `ss_nd' == 0 {
    display as error "no placebo regression could be estimated"
    error 2001
}
quietly count if abs(b) >= abs(`btrue')
local ss_two = r(N)
quietly count if b >= `btrue'
local ss_right = r(N)
quietly count if b <= `btrue'
local ss_left = r(N)
quietly summarize b, detail
local ss_mean = r(mean)
local ss_sd = r(sd)
local ss_p5 = r(p5)
local ss_p95 = r(p95)
ss_res, step(placebo_distribution) term(placebo_mean) b(`ss_mean') se(`ss_sd') lb(`ss_p5') ub(`ss_p95') n(`ss_nd')
ss_res, step(permutation_test) term(two_sided) b(`=`btrue'') p(`=(`ss_two' + 1) / (`ss_nd' + 1)') n(`ss_nd')
ss_res, step(permutation_test) term(share_abs_placebo_ge_actual) b(`=`ss_two' / `ss_nd'') n(`ss_nd')
ss_res, step(permutation_test) term(right_tail) p(`=(`ss_right' + 1) / (`ss_nd' + 1)') n(`ss_nd')
ss_res, step(permutation_test) term(left_tail) p(`=(`ss_left' + 1) / (`ss_nd' + 1)') n(`ss_nd')
generate double t = b / se
generate double p_normal = 2 * normal(-abs(t))
generate double actual = `btrue'
export delimited using "placebo_permutation_draws.csv", replace

display as text "SS_STEP 5: kernel density of the placebo coefficients"
capture noisily {
    twoway (kdensity b, lwidth(medthick)) (scatter p_normal b, yaxis(2) msize(tiny) msymbol(circle_hollow)), xline(`=`btrue'', lpattern(dash) lcolor(red)) yline(0.1, axis(2) lpattern(dot)) xtitle("Placebo DID coefficient") ytitle("Density") ytitle("p-value", axis(2)) legend(order(1 "Kernel density" 2 "p-value of each draw")) title("Placebo test: random re-assignment of treatment") note("Dashed line: actual estimate; `ss_nd' draws")
    graph export "placebo_kdensity.png", replace width(1600)
}
restore

display as text "SS_STEP 6: publication table of the actual estimate (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
