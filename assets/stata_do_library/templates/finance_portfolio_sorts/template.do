display as text "SS_STEP 1: rank units into `n_portfolios' portfolios within each period"
tempvar ok rk nt port
quietly generate byte `ok' = !missing(`ret', `signal', `time')
{% if has.weight %}
quietly replace `ok' = 0 if missing(`weight') | `weight' < 0
{% endif %}
quietly bysort `time': egen double `rk' = rank(`signal') if `ok'
quietly by `time': egen long `nt' = total(`ok')
quietly generate int `port' = floor(`n_portfolios' * (`rk' - 1) / `nt') + 1 if `ok' & `nt' >= `n_portfolios'
quietly count if `ok' & missing(`port')
display as text "rows in periods with fewer than `n_portfolios' units (left out): `r(N)'"

display as text "SS_STEP 2: portfolio returns each period"
preserve
quietly keep if !missing(`port')
if _N == 0 {
    display as error "no period has at least `n_portfolios' units with a return and a characteristic"
    error 2000
}
{% if has.weight %}
keep `time' `port' `ret' `signal' `weight'
tempvar one
quietly generate byte `one' = 1
collapse (mean) pr=`ret' (mean) sig=`signal' (rawsum) nu=`one' [aw=`weight'], by(`time' `port')
display as text "value-weighted by `weight'"
{% else %}
keep `time' `port' `ret' `signal'
collapse (mean) pr=`ret' (mean) sig=`signal' (count) nu=`ret', by(`time' `port')
{% endif %}
quietly reshape wide pr sig nu, i(`time') j(`port')
local q `n_portfolios'
forvalues p = 1/`q' {
    capture confirm variable pr`p'
    if _rc {
        quietly generate double pr`p' = .
        quietly generate double sig`p' = .
        quietly generate double nu`p' = .
    }
}
quietly generate double hml = pr`q' - pr1
sort `time'
export delimited using "portfolio_timeseries.csv", replace

display as text "SS_STEP 3: mean returns and the high-minus-low test"
tempvar tt
quietly generate long `tt' = _n
quietly tsset `tt'
tempname ph
tempfile pres
postfile `ph' str12 portfolio double(mean_return std_error t_stat p_value ci_lower ci_upper periods avg_units avg_signal) using "`pres'", replace
local ss_crit_l = (100 - `level') / 200
forvalues p = 1/`=`q' + 1' {
    if `p' <= `q' {
        local v pr`p'
        local name p`p'
    }
    else {
        local v hml
        local name high_minus_low
    }
    if `nw_lags' > 0 {
        quietly newey `v', lag(`nw_lags')
    }
    else {
        quietly regress `v'
    }
    local b = _b[_cons]
    local se = _se[_cons]
    local nn = e(N)
    local t = `b' / `se'
    local pv = 2 * ttail(`nn' - 1, abs(`t'))
    local cr = invttail(`nn' - 1, `ss_crit_l')
    local au .
    local as .
    if `p' <= `q' {
        quietly summarize nu`p'
        local au = r(mean)
        quietly summarize sig`p'
        local as = r(mean)
    }
    post `ph' ("`name'") (`b') (`se') (`t') (`pv') (`b' - `cr' * `se') (`b' + `cr' * `se') (`nn') (`au') (`as')
    ss_res, step(portfolio_sort) term(`name') b(`b') se(`se') statistic(`t') p(`pv') lb(`=`b' - `cr' * `se'') ub(`=`b' + `cr' * `se'') n(`nn')
}
postclose `ph'
clear
quietly append using "`pres'"
list, noobs
export delimited using "portfolio_returns.csv", replace
capture noisily {
    quietly generate int order = _n
    graph bar (asis) mean_return, over(portfolio, sort(order)) title("Mean return by portfolio") ytitle("Mean return")
    graph export "portfolio_returns.png", replace width(1600)
}
restore
