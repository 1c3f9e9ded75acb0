display as text "SS_STEP 1: fixed effects to absorb and variance estimator"
capture assert `depvar' >= 0 if !missing(`depvar')
if _rc {
    display as error "PPML needs a non-negative outcome in levels: `depvar' has negative values"
    error 459
}
local ss_abs `ss_absorb'
local ss_fenames `ss_fe_names'
{% if has.origin and has.destination %}
{% if has.time %}
local ss_abs `ss_abs' `origin'#`time' `destination'#`time'
local ss_fenames `ss_fenames' origin_x_time destination_x_time
{% else %}
local ss_abs `ss_abs' `origin' `destination'
local ss_fenames `ss_fenames' origin destination
{% endif %}
{% if opt.pair_fe %}
tempvar ss_pair
quietly egen long `ss_pair' = group(`origin' `destination')
local ss_abs `ss_abs' `ss_pair'
local ss_fenames `ss_fenames' pair
{% endif %}
{% endif %}
{% if has.clustvar %}
local ss_vceopt vce(cluster `clustvar')
local ss_cl `clustvar'
{% elif has.origin and has.destination and opt.pair_fe %}
local ss_vceopt vce(cluster `ss_pair')
local ss_cl origin_destination_pair
{% else %}
local ss_vceopt vce(robust)
local ss_cl
{% endif %}
if "`ss_abs'" == "" {
    tempvar ss_one
    quietly generate byte `ss_one' = 1
    local ss_abs `ss_one'
}
display as text "absorbed: `ss_fenames'"

display as text "SS_STEP 2: Poisson pseudo-maximum likelihood with absorbed fixed effects"
ppmlhdfe `depvar' `regressors' `controls' `ss_if', absorb(`ss_abs') `ss_vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
local ss_n = e(N)
local ss_r2p = e(r2_p)

display as text "SS_STEP 3: key coefficients and model fit"
foreach v of local regressors {
    capture noisily ss_coef "ppml" "`v'"
}
capture noisily ss_res, step(model_fit) term(pseudo_r2) b(`ss_r2p') n(`ss_n') r2(`ss_r2p')
capture noisily ss_res, step(sample) term(singletons_dropped) b(`=e(num_singletons)') n(`ss_n')
capture noisily ss_res, step(sample) term(separated_dropped) b(`=e(num_separated)') n(`ss_n')
quietly count `ss_if'
ss_res, step(sample) term(rows_in_sample_before_drops) b(`=r(N)') n(`ss_n')

display as text "SS_STEP 4: coefficient table"
preserve
clear
local ss_terms : rownames `tbl'
local ss_eqs : roweq `tbl'
local ss_k = rowsof(`tbl')
quietly set obs `ss_k'
quietly generate str80 equation = ""
quietly generate str80 term = ""
quietly svmat double `tbl', names(col)
forvalues i = 1/`ss_k' {
    quietly replace equation = "`: word `i' of `ss_eqs''" in `i'
    quietly replace term = "`: word `i' of `ss_terms''" in `i'
}
export delimited using "ppml_coefficients.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`ss_fenames') cluster(`ss_cl')
