display as text "SS_STEP 1: partial correlations"
capture noisily pcorr `outcome' `regressors' `controls'

display as text "SS_STEP 2: regression behind the partial correlations"
regress `outcome' `regressors' `controls'
local ss_df = e(df_r)
local ss_r2 = e(r2)
local ss_n = e(N)
foreach v of varlist `regressors' {
    capture noisily ss_coef "regression" "`v'"
}

display as text "SS_STEP 3: partial and semipartial correlation table"
tempname ph
tempfile pc
postfile `ph' str32 variable double(partial_corr partial_corr_sq semipartial_corr semipartial_corr_sq t p_value n_obs) using "`pc'", replace
foreach v of varlist `regressors' {
    local t = .
    capture local t = _b[`v'] / _se[`v']
    local pcor = (`t') / sqrt((`t')^2 + `ss_df')
    local spcor = (`t') * sqrt((1 - `ss_r2') / `ss_df')
    local p = 2 * ttail(`ss_df', abs(`t'))
    post `ph' ("`v'") (`pcor') ((`pcor')^2) (`spcor') ((`spcor')^2) (`t') (`p') (`ss_n')
    ss_res, step(partial_corr) term(`v') b(`pcor') statistic(`t') p(`p') n(`ss_n') r2(`ss_r2')
    ss_res, step(semipartial_corr) term(`v') b(`spcor') statistic(`t') p(`p') n(`ss_n') r2(`ss_r2')
}
postclose `ph'
preserve
clear
quietly append using "`pc'"
export delimited using "partial_correlation.csv", replace
restore
