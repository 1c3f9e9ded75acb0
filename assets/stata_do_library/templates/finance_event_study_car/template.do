display as text "SS_STEP 1: check the windows and count event time in trading periods"
if `est_start' >= `est_end' | `est_end' >= `win_start' | `win_start' > `win_end' {
    display as error "windows must satisfy est_start < est_end < win_start <= win_end"
    error 198
}
capture noisily isid `unit' `time', missok
if _rc {
    display as error "`unit' and `time' do not identify the rows: some unit has more than one row in a period"
    error 459
}
tempvar td evd evmax ev0 e0 rel est win ne mr mm sxy sxx alpha beta sse s2 er ar nwin car scar tag
quietly bysort `unit' (`time'): generate long `td' = _n if !missing(`time')
quietly by `unit': egen double `evd' = min(`event')
quietly by `unit': egen double `evmax' = max(`event')
quietly count if `evd' != `evmax'
if r(N) > 0 {
    display as text "note: the event date varies within some units (`r(N)' rows); each unit uses its earliest date"
}
quietly generate long `ev0' = `td' if `time' >= `evd' & !missing(`evd', `td')
quietly by `unit': egen long `e0' = min(`ev0')
quietly generate long `rel' = `td' - `e0'
quietly egen byte `tag' = tag(`unit')
quietly count if `tag' & missing(`e0')
display as text "units without an event date inside their data (left out): `r(N)'"

display as text "SS_STEP 2: normal returns over the estimation window [`est_start', `est_end']"
quietly generate byte `est' = inrange(`rel', `est_start', `est_end') & !missing(`ret', `market')
quietly by `unit': egen long `ne' = total(`est')
quietly by `unit': egen double `mr' = mean(cond(`est', `ret', .))
quietly by `unit': egen double `mm' = mean(cond(`est', `market', .))
{% if opt.model == "market_model" %}
quietly by `unit': egen double `sxy' = total(cond(`est', (`ret' - `mr') * (`market' - `mm'), .))
quietly by `unit': egen double `sxx' = total(cond(`est', (`market' - `mm')^2, .))
quietly generate double `beta' = `sxy' / `sxx' if `sxx' > 0
quietly generate double `alpha' = `mr' - `beta' * `mm'
quietly generate double `er' = `alpha' + `beta' * `market'
local dfm 2
{% elif opt.model == "market_adjusted" %}
quietly generate double `beta' = 1
quietly generate double `alpha' = 0
quietly generate double `er' = `market'
local dfm 0
{% else %}
quietly generate double `beta' = 0
quietly generate double `alpha' = `mr'
quietly generate double `er' = `mr'
local dfm 1
{% endif %}
quietly generate double `ar' = `ret' - `er'
quietly by `unit': egen double `sse' = total(cond(`est', `ar'^2, .))
quietly generate double `s2' = `sse' / (`ne' - `dfm') if `ne' > `dfm'

display as text "SS_STEP 3: abnormal returns and CAR over the event window [`win_start', `win_end']"
local wlen = `win_end' - `win_start' + 1
quietly generate byte `win' = inrange(`rel', `win_start', `win_end') & !missing(`ar')
quietly by `unit': egen long `nwin' = total(`win')
quietly by `unit': egen double `car' = total(cond(`win', `ar', .))
quietly generate double `scar' = `car' / sqrt(`wlen' * `s2')
tempvar ok
quietly generate byte `ok' = `ne' >= `min_est_obs' & `nwin' == `wlen' & !missing(`s2', `beta')
quietly count if `tag' & !missing(`e0') & !`ok'
display as text "units left out (too few estimation returns or an incomplete event window): `r(N)'"
quietly count if `tag' & `ok'
local nunits = r(N)
if `nunits' == 0 {
    display as error "no unit has `min_est_obs' estimation-window returns and a complete event window"
    error 2000
}
display as text "units in the event study: `nunits'"

display as text "SS_STEP 4: average abnormal return by event day"
preserve
quietly keep if `ok' & `win'
keep `rel' `ar'
collapse (mean) aar=`ar' (sd) sd_ar=`ar' (count) n_units=`ar', by(`rel')
rename `rel' event_day
quietly generate double t_stat = aar / (sd_ar / sqrt(n_units))
quietly generate double p_value = 2 * ttail(n_units - 1, abs(t_stat))
sort event_day
quietly generate double caar = sum(aar)
list, noobs
forvalues i = 1/`=_N' {
    ss_res, step(aar) term(day_`=event_day[`i']') b(`=aar[`i']') se(`=sd_ar[`i'] / sqrt(n_units[`i'])') statistic(`=t_stat[`i']') p(`=p_value[`i']') n(`=n_units[`i']')
}
export delimited using "aar_by_day.csv", replace
capture noisily {
    twoway (connected caar event_day) (line aar event_day, lpattern(dash)), yline(0) xtitle("Event day") ytitle("Return") legend(order(1 "CAAR" 2 "AAR")) title("Cumulative average abnormal return")
    graph export "car_plot.png", replace width(1600)
}
restore

display as text "SS_STEP 5: CAR per unit and tests of the mean CAR"
preserve
quietly keep if `tag' & `ok'
keep `unit' `ne' `alpha' `beta' `s2' `car' `scar'
quietly generate double sigma = sqrt(`s2')
rename (`ne' `alpha' `beta' `car' `scar') (est_obs alpha beta car scar)
drop `s2'
export delimited using "car_by_unit.csv", replace
ttest car == 0, level(`level')
local ss_t = r(t)
local ss_p = r(p)
local ss_se = r(se)
local ss_mu = r(mu_1)
local ss_n = r(N_1)
local ss_crit = invttail(`ss_n' - 1, (100 - `level') / 200)
ss_res, step(car) term(mean_car) b(`ss_mu') se(`ss_se') statistic(`ss_t') p(`ss_p') lb(`=`ss_mu' - `ss_crit' * `ss_se'') ub(`=`ss_mu' + `ss_crit' * `ss_se'') n(`ss_n')
capture noisily {
    ttest scar == 0
    ss_res, step(car) term(mean_standardised_car) b(`=r(mu_1)') se(`=r(se)') statistic(`=r(t)') p(`=r(p)') n(`=r(N_1)')
}
capture noisily {
    signtest car = 0
    ss_res, step(car) term(sign_test) b(`=r(N_pos)') p(`=r(p_2)') n(`ss_n')
}
quietly summarize beta
ss_res, step(normal_returns) term(mean_beta) b(`=r(mean)') n(`=r(N)')
restore
