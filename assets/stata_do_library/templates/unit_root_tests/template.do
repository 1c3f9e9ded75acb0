display as text "SS_STEP 1: declare the time series"
tsset `time'
{% if opt.trend %}
local trendopt trend
{% else %}
local trendopt
{% endif %}

display as text "SS_STEP 2: ADF and Phillips-Perron tests in levels and first differences"
local nv : word count `variables'
tempname R
matrix `R' = J(4 * `nv', 4, .)
matrix colnames `R' = statistic pvalue lags n_obs
local row = 0
local labels
foreach v of varlist `variables' {
    forvalues d = 0/1 {
        if `d' == 0 {
            local series `v'
            local form level
            local topt `trendopt'
        }
        else {
            local series D.`v'
            local form diff
            local topt
        }
        dfuller `series', lags(`lags') `topt'
        local row = `row' + 1
        matrix `R'[`row', 1] = r(Zt)
        matrix `R'[`row', 2] = r(p)
        matrix `R'[`row', 3] = `lags'
        matrix `R'[`row', 4] = r(N)
        local labels `labels' `v'|`form'|adf
        ss_res, step(adf_`form') term(`v') statistic(`=r(Zt)') p(`=r(p)') n(`=r(N)')
        pperron `series', lags(`lags') `topt'
        local row = `row' + 1
        matrix `R'[`row', 1] = r(Zt)
        matrix `R'[`row', 2] = r(p)
        matrix `R'[`row', 3] = `lags'
        matrix `R'[`row', 4] = r(N)
        local labels `labels' `v'|`form'|pp
        ss_res, step(pp_`form') term(`v') statistic(`=r(Zt)') p(`=r(p)') n(`=r(N)')
    }
}

display as text "SS_STEP 3: unit root test table"
preserve
clear
quietly svmat double `R', names(col)
generate str32 variable = ""
generate str8 form = ""
generate str8 test = ""
forvalues i = 1/`row' {
    local lab : word `i' of `labels'
    quietly replace variable = substr("`lab'", 1, strpos("`lab'", "|") - 1) in `i'
    quietly replace form = cond(strpos("`lab'", "|level|"), "level", "diff") in `i'
    quietly replace test = cond(strpos("`lab'", "|adf"), "ADF", "PP") in `i'
}
generate str12 conclusion = cond(missing(pvalue), "", cond(pvalue < 0.05, "stationary", "unit_root"))
order variable form test
export delimited using "unit_root_tests.csv", replace
restore
