display as text "SS_STEP 1: panel structure"
xtset `unit_id' `time'

display as text "SS_STEP 2: panel regression whose residuals are tested"
xtreg `depvar' `regressors' `controls', `model'
local ss_n = e(N)
local ss_ng = e(N_g)
tempname R
matrix `R' = J(3, 2, .)
matrix colnames `R' = statistic p_value
matrix rownames `R' = pesaran friedman frees

display as text "SS_STEP 3: tests of cross-sectional independence (H0: residuals uncorrelated across units)"
{% if opt.test == "all" or opt.test == "pesaran" %}
xtcsd, pesaran abs
local ss_cd = r(pesaran)
local ss_pcd = 2 * normal(-abs(`ss_cd'))
matrix `R'[1, 1] = `ss_cd'
matrix `R'[1, 2] = `ss_pcd'
ss_res, step(xtcsd) term(pesaran_cd) statistic(`ss_cd') p(`ss_pcd') n(`ss_n')
{% endif %}
{% if opt.test == "friedman" %}
xtcsd, friedman
local ss_fr = r(fried)
local ss_pfr = chi2tail(`ss_ng' - 1, `ss_fr')
matrix `R'[2, 1] = `ss_fr'
matrix `R'[2, 2] = `ss_pfr'
ss_res, step(xtcsd) term(friedman) statistic(`ss_fr') p(`ss_pfr') n(`ss_n')
{% endif %}
{% if opt.test == "frees" %}
xtcsd, frees
display as text "Frees' Q statistic has no p-value here: compare it with the critical values printed above"
local ss_fq = r(frees)
matrix `R'[3, 1] = `ss_fq'
ss_res, step(xtcsd) term(frees_q) statistic(`ss_fq') n(`ss_n')
{% endif %}
{% if opt.test == "all" %}
* Friedman's and Frees' tests use only the periods every unit shares: on unbalanced data they
* may fail, which must not cost the Pesaran result above.
capture noisily {
    xtcsd, friedman
    local ss_fr = r(fried)
    local ss_pfr = chi2tail(`ss_ng' - 1, `ss_fr')
    matrix `R'[2, 1] = `ss_fr'
    matrix `R'[2, 2] = `ss_pfr'
    ss_res, step(xtcsd) term(friedman) statistic(`ss_fr') p(`ss_pfr') n(`ss_n')
}
capture noisily {
    xtcsd, frees
    display as text "Frees' Q statistic has no p-value here: compare it with the critical values printed above"
    local ss_fq = r(frees)
    matrix `R'[3, 1] = `ss_fq'
    ss_res, step(xtcsd) term(frees_q) statistic(`ss_fq') n(`ss_n')
}
{% endif %}

display as text "SS_STEP 4: test table"
preserve
clear
quietly svmat double `R', names(col)
generate str12 test = ""
quietly replace test = "pesaran_cd" in 1
quietly replace test = "friedman" in 2
quietly replace test = "frees_q" in 3
quietly drop if missing(statistic)
generate long n_units = `ss_ng'
generate long n_obs = `ss_n'
generate str12 model = "`model'"
order test
export delimited using "cross_sectional_dependence.csv", replace
restore
