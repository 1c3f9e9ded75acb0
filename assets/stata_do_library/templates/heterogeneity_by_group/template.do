display as text "SS_STEP 1: estimation sample and groups"
tempvar touse gid
mark `touse' `ss_if'
markout `touse' `outcome' `treatment' `controls'
markout `touse' `group', strok
{% if has.cluster %}
markout `touse' `cluster', strok
local vceopt vce(cluster `cluster')
{% else %}
local vceopt vce(robust)
{% endif %}
egen long `gid' = group(`group') if `touse'
quietly levelsof `gid', local(glist)
local ng : word count `glist'
if `ng' < 2 | `ng' > 20 {
    display as error "the group variable must have between 2 and 20 groups in the sample (found `ng')"
    error 2000
}

display as text "SS_STEP 2: the treatment effect in each group"
tempname est
local ss_models
matrix `est' = J(`ng', 5, .)
matrix colnames `est' = group_index coef se pvalue n_obs
foreach g of local glist {
    regress `outcome' `treatment' `controls' `ss_fe' `ss_wt' if `touse' & `gid' == `g', `vceopt' level(`level')
    estimates store ss_m`g'
    local ss_models `ss_models' ss_m`g'
    ss_coef "group_`g'" "`treatment'"
    matrix `est'[`g', 1] = `g'
    matrix `est'[`g', 2] = _b[`treatment']
    matrix `est'[`g', 3] = _se[`treatment']
    matrix `est'[`g', 4] = 2 * ttail(e(df_r), abs(_b[`treatment'] / _se[`treatment']))
    matrix `est'[`g', 5] = e(N)
}
preserve
quietly keep if `touse'
contract `gid' `group'
rename `gid' group_index
sort group_index
tempfile groups
quietly save "`groups'"
clear
quietly svmat double `est', names(col)
quietly merge 1:1 group_index using "`groups'", nogenerate
drop _freq
order group_index `group'
export delimited using "heterogeneity_by_group.csv", replace
restore

display as text "SS_STEP 3: interaction test of equal effects across groups"
regress `outcome' i.`gid'##c.`treatment' `controls' `ss_fe' `ss_wt' if `touse', `vceopt' level(`level')
tempname F pF
quietly testparm i.`gid'#c.`treatment'
scalar `F' = r(F)
scalar `pF' = r(p)
ss_res, step(interaction_test) term(equal_effects_all_groups) statistic(`=`F'') p(`=`pF'') n(`=e(N)')
foreach g of local glist {
    if `g' > 1 {
        tempname d sd
        scalar `d' = _b[`g'.`gid'#c.`treatment']
        scalar `sd' = _se[`g'.`gid'#c.`treatment']
        ss_res, step(interaction_difference) term(group_`g'_minus_group_1) b(`=`d'') se(`=`sd'') statistic(`=`d' / `sd'') p(`=2 * ttail(e(df_r), abs(`d' / `sd'))') n(`=e(N)')
    }
}

display as text "SS_STEP 4: seemingly unrelated estimation (suest) test of coefficient differences"
capture noisily {
    local stored
    foreach g of local glist {
        quietly regress `outcome' `treatment' `controls' `ss_fe' if `touse' & `gid' == `g'
        estimates store ss_het_g`g'
        local stored `stored' ss_het_g`g'
    }
{% if has.cluster %}
    suest `stored', vce(cluster `cluster')
{% else %}
    suest `stored'
{% endif %}
    local eqtest [ss_het_g1_mean]`treatment'
    foreach g of local glist {
        if `g' > 1 {
            local eqtest `eqtest' = [ss_het_g`g'_mean]`treatment'
            quietly lincom [ss_het_g`g'_mean]`treatment' - [ss_het_g1_mean]`treatment'
            ss_res, step(suest_difference) term(group_`g'_minus_group_1) b(`=r(estimate)') se(`=r(se)') statistic(`=r(estimate) / r(se)') p(`=2 * normal(-abs(r(estimate) / r(se)))')
        }
    }
    test `eqtest'
    ss_res, step(suest_test) term(equal_effects_all_groups) statistic(`=r(chi2)') p(`=r(p)')
}

display as text "SS_STEP 5: publication table (xlsx, tex, docx): one column per group"
capture noisily ss_pubtable `ss_models', fe(`ss_fe_names') cluster(`cluster')
