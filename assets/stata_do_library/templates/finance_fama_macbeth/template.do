display as text "SS_STEP 1: one cross-sectional regression per period"
local xs `regressors' `controls'
local k = 0
local exps
foreach v of local xs {
    local k = `k' + 1
    local exps `exps' ss_c`k'=_b[`v']
}
quietly count `ss_if'
local nall = r(N)
preserve
statsby `exps' ss_r2=e(r2) ss_n=e(N), by(`time') clear: regress `depvar' `xs' `ss_fe' `ss_wt' `ss_if'
quietly drop if missing(ss_n) | ss_n < `min_obs'
quietly count
local nper = r(N)
if `nper' < 3 {
    display as error "fewer than 3 periods with at least `min_obs' observations: Fama-MacBeth needs a time series of coefficients"
    error 2001
}
quietly summarize ss_n
local nobs = r(sum)
quietly summarize ss_r2
local r2avg = r(mean)
display as text "periods: `nper'; observations: `nobs'; average R-squared: `r2avg'"

display as text "SS_STEP 2: time-series means of the coefficients (Fama-MacBeth standard errors)"
sort `time'
tempvar tt
quietly generate long `tt' = _n
quietly tsset `tt'
tempname bm vm
matrix `bm' = J(1, `k', .)
matrix `vm' = J(`k', `k', 0)
forvalues j = 1/`k' {
    if `nw_lags' > 0 {
        quietly newey ss_c`j', lag(`nw_lags')
    }
    else {
        quietly regress ss_c`j'
    }
    matrix `bm'[1, `j'] = _b[_cons]
    matrix `vm'[`j', `j'] = _se[_cons]^2
}
matrix colnames `bm' = `xs'
matrix colnames `vm' = `xs'
matrix rownames `vm' = `xs'
local k2 = 0
foreach v of local xs {
    local k2 = `k2' + 1
    rename ss_c`k2' b_`k2'
    label variable b_`k2' "`v'"
}
export delimited using "fmb_period_coefficients.csv", replace
restore

capture program drop ss_fmb_post
program define ss_fmb_post, eclass
    args b V nobs dof depname r2 nper
    ereturn post `b' `V', obs(`nobs') dof(`dof') depname(`depname')
    ereturn scalar r2 = `r2'
    ereturn scalar N_periods = `nper'
    ereturn local cmd "fama_macbeth"
end
ss_fmb_post `bm' `vm' `nobs' `=`nper' - 1' `depvar' `r2avg' `nper'
ereturn display, level(`level')
estimates store ss_m1

display as text "SS_STEP 3: key coefficients"
foreach v of local regressors {
    ss_coef "fama_macbeth" "`v'"
}
foreach v of local controls {
    ss_coef "fama_macbeth" "`v'"
}
ss_res, step(model_fit) term(average_r2) b(`r2avg') n(`nobs') r2(`r2avg')
ss_res, step(model_fit) term(periods) b(`nper') n(`nobs')
tempname ph
tempfile fres
postfile `ph' str32 term double(coef std_error t_stat p_value ci_lower ci_upper periods) using "`fres'", replace
local ss_crit = invttail(`nper' - 1, (100 - `level') / 200)
foreach v of local xs {
    local b = _b[`v']
    local se = _se[`v']
    post `ph' ("`v'") (`b') (`se') (`b' / `se') (2 * ttail(`nper' - 1, abs(`b' / `se'))) (`b' - `ss_crit' * `se') (`b' + `ss_crit' * `se') (`nper')
}
postclose `ph'
preserve
clear
quietly append using "`fres'"
list, noobs
export delimited using "fmb_coefficients.csv", replace
restore

display as text "SS_STEP 4: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fe_names')
