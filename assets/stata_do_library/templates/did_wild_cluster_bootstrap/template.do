display as text "SS_STEP 1: panel identifiers and treatment term"
tempvar uid tid
quietly egen long `uid' = group(`unit')
quietly egen long `tid' = group(`time')
{% if has.treatment %}
local dterm `treatment'
{% else %}
{% if has.treated and has.post %}
* the interaction gets a readable name (did, or did_1, did_2... when taken) for the tables
local dterm did
local ss_j = 0
capture confirm new variable `dterm'
while _rc {
    local ss_j = `ss_j' + 1
    local dterm did_`ss_j'
    capture confirm new variable `dterm'
}
quietly generate double `dterm' = `treated' * `post'
display as text "treatment term `dterm' = `treated' x `post'"
{% else %}
display as error "give either a treatment indicator or both a treated-group and a post-period indicator"
error 198
{% endif %}
{% endif %}
{% if has.cluster %}
local vceopt `ss_vce'
local ss_clname `cluster'
{% else %}
local vceopt vce(cluster `uid')
local ss_clname `unit'
{% endif %}

display as text "SS_STEP 2: DID with unit fixed effects (areg) and time dummies, cluster-robust"
areg `outcome' `dterm' `controls' i.`tid' `ss_fe' `ss_wt' `ss_if', absorb(`uid') `vceopt' level(`level')
estimates store ss_m1
local ss_b = _b[`dterm']
local ss_n = e(N)
local ss_g = e(N_clust)
ss_coef "did_cluster_robust" "`dterm'"
ss_res, step(clusters) term(number_of_clusters) b(`ss_g') n(`ss_n')
if `ss_g' < 42 {
    display as text "only `ss_g' clusters: conventional cluster-robust inference over-rejects; rely on the wild bootstrap"
}

display as text "SS_STEP 3: wild cluster bootstrap (null imposed, `reps' replications, `weighttype' weights)"
boottest `dterm', reps(`reps') seed(`=int(`seed')') weighttype(`weighttype') level(`level') nograph
tempname ci
local ss_p = r(p)
local ss_t = r(t)
matrix `ci' = r(CI)
local ss_lb = `ci'[1, 1]
local ss_ub = `ci'[1, colsof(`ci')]
ss_res, step(wild_cluster_bootstrap) term(`dterm') b(`ss_b') statistic(`ss_t') p(`ss_p') lb(`ss_lb') ub(`ss_ub') n(`ss_n')

display as text "SS_STEP 4: conventional and bootstrap inference side by side"
preserve
clear
quietly set obs 2
quietly generate str32 inference = ""
quietly generate double estimate = `ss_b'
quietly generate double statistic = .
quietly generate double pvalue = .
quietly generate double ci_lower = .
quietly generate double ci_upper = .
quietly generate long clusters = `ss_g'
quietly estimates restore ss_m1
local ss_crit = invttail(e(df_r), (100 - `level') / 200)
quietly replace inference = "cluster_robust" in 1
quietly replace statistic = _b[`dterm'] / _se[`dterm'] in 1
quietly replace pvalue = 2 * ttail(e(df_r), abs(_b[`dterm'] / _se[`dterm'])) in 1
quietly replace ci_lower = _b[`dterm'] - `ss_crit' * _se[`dterm'] in 1
quietly replace ci_upper = _b[`dterm'] + `ss_crit' * _se[`dterm'] in 1
quietly replace inference = "wild_cluster_bootstrap" in 2
quietly replace statistic = `ss_t' in 2
quietly replace pvalue = `ss_p' in 2
quietly replace ci_lower = `ss_lb' in 2
quietly replace ci_upper = `ss_ub' in 2
export delimited using "wild_bootstrap_inference.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
