display as text "SS_STEP 1: slope of the matching regression"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
tempvar touse
mark `touse' `ss_if'
markout `touse' `depvar' `xvar' `controls'
{% if has.absorb %}
markout `touse' `absorb', strok
tempvar ab
quietly egen long `ab' = group(`absorb') if `touse'
regress `depvar' `xvar' `controls' i.`ab' if `touse', `ss_vce'
{% else %}
regress `depvar' `xvar' `controls' if `touse', `ss_vce'
{% endif %}
ss_coef "binscatter_slope" "`xvar'"

display as text "SS_STEP 2: binned scatter plot (binscatter)"
local bopts nquantiles(`nquantiles') linetype(`fit')
{% if has.controls %}
local bopts `bopts' controls(`controls')
{% endif %}
{% if has.absorb %}
local bopts `bopts' absorb(`ab')
{% endif %}
capture noisily {
    binscatter `depvar' `xvar' if `touse', `bopts'
    graph export "binscatter.png", replace width(1600)
}

display as text "SS_STEP 3: raw bin means"
preserve
quietly keep if `touse'
tempvar bin one
quietly xtile `bin' = `xvar', nquantiles(`nquantiles')
quietly generate long `one' = 1
keep `bin' `xvar' `depvar' `one'
collapse (mean) x_mean=`xvar' y_mean=`depvar' (sum) n=`one', by(`bin')
rename `bin' bin
list, noobs
export delimited using "binscatter_bins.csv", replace
restore
