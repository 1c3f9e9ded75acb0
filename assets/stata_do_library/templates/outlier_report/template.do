display as text "SS_STEP 1: IQR and z-score flags"
tempname ph
tempfile outl
postfile `ph' str32 variable double(n mean sd p25 p75 iqr lower_fence upper_fence n_iqr_outliers pct_iqr_outliers n_z_outliers pct_z_outliers min max) using "`outl'", replace
foreach v of varlist `variables' {
    quietly summarize `v', detail
    local n = r(N)
    local mean = r(mean)
    local sd = r(sd)
    local p25 = r(p25)
    local p75 = r(p75)
    local min = r(min)
    local max = r(max)
    local iqr = (`p75') - (`p25')
    local lf = (`p25') - `iqr_k' * (`iqr')
    local uf = (`p75') + `iqr_k' * (`iqr')
    local niqr = 0
    local nz = 0
    if `n' > 0 {
        quietly count if !missing(`v') & (`v' < `lf' | `v' > `uf')
        local niqr = r(N)
        quietly count if !missing(`v') & abs(`v' - (`mean')) > `z_cut' * (`sd')
        local nz = r(N)
    }
    local piqr = cond(`n' > 0, 100 * `niqr' / max(`n', 1), .)
    local pz = cond(`n' > 0, 100 * `nz' / max(`n', 1), .)
    post `ph' ("`v'") (`n') (`mean') (`sd') (`p25') (`p75') (`iqr') (`lf') (`uf') (`niqr') (`piqr') (`nz') (`pz') (`min') (`max')
    ss_res, step(iqr_outliers) term(`v') b(`piqr') statistic(`niqr') lb(`lf') ub(`uf') n(`n')
    ss_res, step(z_outliers) term(`v') b(`pz') statistic(`nz') n(`n')
}
postclose `ph'

display as text "SS_STEP 2: export the outlier report"
preserve
clear
quietly append using "`outl'"
export delimited using "outlier_report.csv", replace
capture noisily export excel using "outlier_report.xlsx", firstrow(variables) replace
restore

display as text "SS_STEP 3: box plot"
capture noisily graph box `variables', name(ss_outlier_box, replace)
capture noisily graph export "outlier_boxplot.png", replace width(1600)
