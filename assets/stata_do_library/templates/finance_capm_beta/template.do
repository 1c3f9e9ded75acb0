display as text "SS_STEP 1: returns used in the regressions"
capture noisily isid `unit' `time', missok
if _rc {
    display as error "`unit' and `time' do not identify the rows: some unit has more than one row in a period"
    error 459
}
tempvar y x ok n my mx sxy sxx syy beta alpha sse s2 tag
{% if has.riskfree %}
quietly generate double `y' = `ret' - `riskfree'
quietly generate double `x' = `market' - `riskfree'
display as text "excess returns: `ret' - `riskfree' on `market' - `riskfree'"
{% else %}
quietly generate double `y' = `ret'
quietly generate double `x' = `market'
{% endif %}
quietly generate byte `ok' = !missing(`y', `x', `unit', `time')

display as text "SS_STEP 2: full-sample market-model regression per unit"
quietly bysort `unit': egen long `n' = total(`ok')
quietly by `unit': egen double `my' = mean(cond(`ok', `y', .))
quietly by `unit': egen double `mx' = mean(cond(`ok', `x', .))
quietly by `unit': egen double `sxy' = total(cond(`ok', (`y' - `my') * (`x' - `mx'), .))
quietly by `unit': egen double `sxx' = total(cond(`ok', (`x' - `mx')^2, .))
quietly by `unit': egen double `syy' = total(cond(`ok', (`y' - `my')^2, .))
quietly generate double `beta' = `sxy' / `sxx' if `sxx' > 0 & `n' >= `min_obs'
quietly generate double `alpha' = `my' - `beta' * `mx'
quietly generate double `sse' = `syy' - `beta' * `sxy'
quietly generate double `s2' = `sse' / (`n' - 2) if `n' > 2
quietly egen byte `tag' = tag(`unit')
preserve
quietly keep if `tag' & !missing(`beta')
if _N == 0 {
    display as error "no unit has `min_obs' returns with a varying market return"
    error 2000
}
keep `unit' `n' `alpha' `beta' `s2' `sxx' `mx' `syy' `sse'
quietly generate double se_beta = sqrt(`s2' / `sxx')
quietly generate double se_alpha = sqrt(`s2' * (1 / `n' + `mx'^2 / `sxx'))
quietly generate double t_beta = `beta' / se_beta
quietly generate double r2 = 1 - `sse' / `syy'
quietly generate double resid_sd = sqrt(`s2')
rename (`n' `alpha' `beta') (n_obs alpha beta)
keep `unit' n_obs alpha se_alpha beta se_beta t_beta r2 resid_sd
list in 1/`=min(_N, 20)', noobs
export delimited using "capm_betas.csv", replace
quietly summarize beta, detail
local nb = r(N)
ss_res, step(capm_beta) term(mean_beta) b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`nb')
ss_res, step(capm_beta) term(median_beta) b(`=r(p50)') n(`nb')
quietly summarize alpha
ss_res, step(capm_beta) term(mean_alpha) b(`=r(mean)') se(`=r(sd) / sqrt(r(N))') n(`=r(N)')
quietly summarize r2
ss_res, step(capm_beta) term(mean_r2) b(`=r(mean)') n(`=r(N)')
capture noisily {
    histogram beta, frequency title("Full-sample CAPM betas") xtitle("beta")
    graph export "beta_histogram.png", replace width(1600)
}
restore

{% if opt.rolling %}
display as text "SS_STEP 3: rolling betas over the last `window' observations of each unit"
tempvar cn cy cx cxy cxx wn wy wx wxy wxx rb
quietly sort `unit' `time'
quietly by `unit': generate double `cn' = sum(`ok')
quietly by `unit': generate double `cy' = sum(cond(`ok', `y', 0))
quietly by `unit': generate double `cx' = sum(cond(`ok', `x', 0))
quietly by `unit': generate double `cxy' = sum(cond(`ok', `y' * `x', 0))
quietly by `unit': generate double `cxx' = sum(cond(`ok', `x' * `x', 0))
foreach s in n y x xy xx {
    quietly by `unit': generate double `w`s'' = `c`s'' - cond(_n > `window', `c`s''[_n - `window'], 0)
}
quietly generate double `rb' = (`wxy' - `wx' * `wy' / `wn') / (`wxx' - `wx'^2 / `wn') if `wn' >= `min_obs' & (`wxx' - `wx'^2 / `wn') > 0
preserve
keep `unit' `time' `rb' `wn'
quietly keep if !missing(`rb')
rename (`rb' `wn') (beta_rolling window_obs)
quietly summarize beta_rolling
ss_res, step(rolling_beta) term(mean_rolling_beta) b(`=r(mean)') n(`=r(N)')
save "rolling_betas.dta", replace
restore
{% endif %}
