display as text "SS_STEP 1: estimation sample and centred running variable"
tempvar touse xc above w bin
mark `touse' `ss_if'
markout `touse' `outcome' `running' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
local vceopt vce(cluster `cluster')
{% else %}
local vceopt vce(robust)
{% endif %}
quietly generate double `xc' = `running' - `cutoff' if `touse'
quietly generate byte `above' = (`xc' >= 0) if `touse'
{% if has.bandwidth %}
local h = `bandwidth'
display as text "bandwidth given: `h'"
{% else %}
quietly summarize `xc' if `touse'
local h = 1.84 * r(sd) * r(N)^(-1/5)
display as text "no bandwidth given: rule-of-thumb bandwidth 1.84 * sd * N^(-1/5) = `h'"
{% endif %}
ss_res, step(bandwidth) term(h) b(`h')

display as text "SS_STEP 2: local linear regression within the bandwidth"
{% if opt.kernel == "triangular" %}
quietly generate double `w' = max(0, 1 - abs(`xc') / `h') if `touse'
{% else %}
quietly generate double `w' = (abs(`xc') <= `h') if `touse'
{% endif %}
regress `outcome' i.`above'##c.`xc' `controls' [aweight = `w'] if `touse' & `w' > 0, `vceopt' level(`level')
estimates store ss_m1
tempname b se crit
scalar `b' = _b[1.`above']
scalar `se' = _se[1.`above']
scalar `crit' = invttail(e(df_r), (100 - `level') / 200)
ss_res, step(rd_local_linear) term(jump_at_cutoff) b(`=`b'') se(`=`se'') statistic(`=`b' / `se'') p(`=2 * ttail(e(df_r), abs(`b' / `se'))') lb(`=`b' - `crit' * `se'') ub(`=`b' + `crit' * `se'') n(`=e(N)') r2(`=e(r2)')

display as text "SS_STEP 3: bandwidth sensitivity (0.5h, 0.75h, 1.5h, 2h)"
tempname sens
matrix `sens' = J(5, 6, .)
matrix colnames `sens' = multiplier bandwidth estimate se pvalue n_obs
matrix `sens'[1, 1] = 1
matrix `sens'[1, 2] = `h'
matrix `sens'[1, 3] = `b'
matrix `sens'[1, 4] = `se'
matrix `sens'[1, 5] = 2 * ttail(e(df_r), abs(`b' / `se'))
matrix `sens'[1, 6] = e(N)
local row = 1
foreach m in 0.5 0.75 1.5 2 {
    local row = `row' + 1
    tempvar wm
{% if opt.kernel == "triangular" %}
    quietly generate double `wm' = max(0, 1 - abs(`xc') / (`m' * `h')) if `touse'
{% else %}
    quietly generate double `wm' = (abs(`xc') <= `m' * `h') if `touse'
{% endif %}
    capture noisily {
        quietly regress `outcome' i.`above'##c.`xc' `controls' [aweight = `wm'] if `touse' & `wm' > 0, `vceopt'
        matrix `sens'[`row', 1] = `m'
        matrix `sens'[`row', 2] = `m' * `h'
        matrix `sens'[`row', 3] = _b[1.`above']
        matrix `sens'[`row', 4] = _se[1.`above']
        matrix `sens'[`row', 5] = 2 * ttail(e(df_r), abs(_b[1.`above'] / _se[1.`above']))
        matrix `sens'[`row', 6] = e(N)
        ss_res, step(bandwidth_sensitivity) term(h_times_`=subinstr("`m'", ".", "_", .)') b(`=_b[1.`above']') se(`=_se[1.`above']') p(`=2 * ttail(e(df_r), abs(_b[1.`above'] / _se[1.`above']))') n(`=e(N)')
    }
}
preserve
clear
quietly svmat double `sens', names(col)
export delimited using "rd_local_linear_estimates.csv", replace
restore

display as text "SS_STEP 4: binned means and linear fits around the cutoff"
preserve
capture noisily {
    quietly keep if `touse' & abs(`xc') <= `h'
    quietly generate double `bin' = (floor(`xc' / (`h' / 10)) + 0.5) * (`h' / 10) + `cutoff'
    collapse (mean) `outcome' (mean) `running', by(`bin' `above')
    twoway (scatter `outcome' `bin', msize(small)) (lfit `outcome' `running' if `above' == 0) (lfit `outcome' `running' if `above' == 1), xline(`cutoff', lpattern(dash)) legend(off) xtitle("`running'") ytitle("`outcome'") title("Local linear RD")
    graph export "rd_local_linear_plot.png", replace width(1600)
}
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx): the kernel-weighted local linear fit"
capture noisily ss_pubtable ss_m1, cluster(`cluster')
