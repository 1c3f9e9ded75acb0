display as text "SS_STEP 1: estimation sample and reproducible sort order"
tempvar touse order insample
mark `touse' `ss_if'
markout `touse' `outcome' `treated' `post' `covariates' `controls'
{% if has.time %}
markout `touse' `time'
{% endif %}
{% if has.unit_id %}
markout `touse' `unit_id', strok
{% endif %}
{% if has.cluster %}
markout `touse' `cluster', strok
local vceopt vce(cluster `cluster')
{% else %}
local vceopt vce(robust)
{% endif %}
display as text "treated group and post period must be coded 0/1"
assert inlist(`treated', 0, 1) if `touse'
assert inlist(`post', 0, 1) if `touse'
set seed `=int(`seed')'
quietly generate double `order' = runiform()
sort `order'

display as text "SS_STEP 2: propensity score matching of treated and control groups"
tempvar ss_w ss_sup
quietly generate double `ss_w' = .
quietly generate byte `ss_sup' = .
{% if opt.match_period == "pooled" %}
* pooled: every unit-period row is matched once (a treated post-period row may be matched to a
* control row of another period).
psmatch2 `treated' `covariates' if `touse', logit neighbor(`neighbors') caliper(`caliper') common ties
quietly replace `ss_w' = _weight if `touse'
quietly replace `ss_sup' = _support if `touse'
{% elif opt.match_period == "by_period" %}
* by period: treated and control rows are matched within each period separately.
{% if has.time %}
quietly levelsof `time' if `touse', local(ss_periods)
foreach t of local ss_periods {
    display as text "matching within period `t'"
    capture noisily psmatch2 `treated' `covariates' if `touse' & `time' == `t', logit neighbor(`neighbors') caliper(`caliper') common ties
    if _rc == 0 {
        quietly replace `ss_w' = _weight if `touse' & `time' == `t'
        quietly replace `ss_sup' = _support if `touse' & `time' == `t'
    }
    else {
        display as text "period `t': matching failed (for example no treated or no control rows); its rows are left out"
    }
}
{% else %}
display as error "match_period = by_period needs the time variable (parameter time)"
error 198
{% endif %}
{% else %}
* baseline: each unit is matched once on its first pre-period row; the match status and weight
* of the unit are carried to all its rows.
{% if has.time and has.unit_id %}
tempvar ss_pre ss_base ss_uw ss_us
quietly generate byte `ss_pre' = `touse' & `post' == 0
quietly bysort `unit_id' `ss_pre' (`time'): generate byte `ss_base' = `ss_pre' & _n == 1
sort `order'
psmatch2 `treated' `covariates' if `ss_base', logit neighbor(`neighbors') caliper(`caliper') common ties
quietly bysort `unit_id': egen double `ss_uw' = max(cond(`ss_base', _weight, .))
quietly by `unit_id': egen byte `ss_us' = max(cond(`ss_base', _support, .))
quietly replace `ss_w' = `ss_uw' if `touse'
quietly replace `ss_sup' = `ss_us' if `touse'
{% else %}
display as error "match_period = baseline needs the unit identifier and the time variable (parameters unit_id and time)"
error 198
{% endif %}
{% endif %}
{% if opt.sample == "support" %}
quietly generate byte `insample' = `touse' & `ss_sup' == 1
local wexp
{% endif %}
{% if opt.sample == "matched" %}
quietly generate byte `insample' = `touse' & `ss_w' < .
local wexp
{% endif %}
{% if opt.sample == "weighted" %}
quietly generate byte `insample' = `touse' & `ss_w' < .
local wexp [pweight = `ss_w']
{% endif %}
quietly count if `insample'
ss_res, step(matched_sample) term(observations) b(`=r(N)') n(`=r(N)')

display as text "SS_STEP 3: DID on the full sample (for comparison)"
capture noisily {
    regress `outcome' i.`treated'##i.`post' `controls' `ss_fe' if `touse', `vceopt' level(`level')
    estimates store ss_full
    ss_coef "did_full_sample" "1.`treated'#1.`post'"
}

display as text "SS_STEP 4: DID on the matched sample"
regress `outcome' i.`treated'##i.`post' `controls' `ss_fe' `wexp' if `insample', `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'
ss_coef "psm_did" "1.`treated'#1.`post'"

display as text "SS_STEP 5: coefficient table"

preserve
clear
local terms : rowfullnames `tbl'
local k : word count `terms'
quietly set obs `k'
generate str80 term = ""
foreach stat in b se t pvalue ll ul {
    quietly generate double `stat' = .
}
forvalues i = 1/`k' {
    quietly replace term = "`: word `i' of `terms''" in `i'
    quietly replace b = `tbl'[`i', 1] in `i'
    quietly replace se = `tbl'[`i', 2] in `i'
    quietly replace t = `tbl'[`i', 3] in `i'
    quietly replace pvalue = `tbl'[`i', 4] in `i'
    quietly replace ll = `tbl'[`i', 5] in `i'
    quietly replace ul = `tbl'[`i', 6] in `i'
}
* fixed-effect dummies are not reported coefficient by coefficient
foreach f of local ss_absorb {
    quietly drop if strpos(term, "`f'") > 0
}
export delimited using "psm_did_table.csv", replace
restore

display as text "SS_STEP 6: publication table (xlsx, tex, docx): matched and full sample"
local ss_models ss_m1
capture estimates describe ss_full
if _rc == 0 {
    local ss_models ss_m1 ss_full
}
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`cluster')
