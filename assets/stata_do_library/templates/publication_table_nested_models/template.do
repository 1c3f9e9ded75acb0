display as text "SS_STEP 1: variance estimator and fixed-effect sets"
{% if has.clustvar %}
display as text "standard errors clustered by `clustvar'"
{% endif %}
local nfe : word count `ss_absorb'
display as text "fixed-effect sets added one per column: `nfe'"

display as text "SS_STEP 2: column 1, the variables of interest alone"
regress `depvar' `regressors' `ss_wt' `ss_if', `ss_vce' level(`level')
local m 1
estimates store ss_n1
local models ss_n1
local ctl_1 No
local fe_1 0
{% if has.controls %}

display as text "SS_STEP 3: column 2, adding the controls"
regress `depvar' `regressors' `controls' `ss_wt' `ss_if', `ss_vce' level(`level')
local m 2
estimates store ss_n2
local models `models' ss_n2
local ctl_2 Yes
local fe_2 0
{% endif %}

display as text "SS_STEP 4: adding the fixed effects one set at a time"
local absorbed
local dums
forvalues j = 1/`nfe' {
    local a : word `j' of `ss_absorb'
    local absorbed `absorbed' `a'
    local dums `dums' i.`a'
{% if opt.estimator == "reghdfe" %}
    if `j' == `nfe' {
        reghdfe `depvar' `regressors' `controls' `ss_wt' `ss_if', absorb(`ss_absorb') `ss_vce' level(`level')
    }
    else {
        reghdfe `depvar' `regressors' `controls' `ss_wt' `ss_if', absorb(`absorbed') `ss_vce' level(`level')
    }
{% else %}
    if `j' == `nfe' {
        regress `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce' level(`level')
    }
    else {
        regress `depvar' `regressors' `controls' `dums' `ss_wt' `ss_if', `ss_vce' level(`level')
    }
{% endif %}
    local m = `m' + 1
    estimates store ss_n`m'
    local models `models' ss_n`m'
{% if has.controls %}
    local ctl_`m' Yes
{% else %}
    local ctl_`m' No
{% endif %}
    local fe_`m' `j'
}

display as text "SS_STEP 5: key coefficients of every column"
forvalues k = 1/`m' {
    quietly estimates restore ss_n`k'
    foreach v of local regressors {
        ss_coef "column_`k'" "`v'"
    }
}

display as text "SS_STEP 6: the nested table (csv, xlsx, docx)"
local terms `regressors' `controls'
local nt : word count `terms'
local rows = 2 + 2 * `nt' + 1 + `nfe' + 2
preserve
clear
quietly set obs `rows'
quietly generate str80 c0 = ""
quietly replace c0 = "Dependent variable" in 2
local i 0
foreach t of local terms {
    local i = `i' + 1
    quietly replace c0 = "`t'" in `=1 + 2 * `i''
}
local rc = 2 + 2 * `nt' + 1
quietly replace c0 = "Controls" in `rc'
forvalues j = 1/`nfe' {
    quietly replace c0 = "`: word `j' of `ss_fe_names'' FE" in `=`rc' + `j''
}
quietly replace c0 = "N" in `=`rows' - 1'
quietly replace c0 = "R-squared" in `rows'
forvalues k = 1/`m' {
    quietly estimates restore ss_n`k'
    quietly generate str40 c`k' = ""
    quietly replace c`k' = "(`k')" in 1
    quietly replace c`k' = "`depvar'" in 2
    local i 0
    foreach t of local terms {
        local i = `i' + 1
        capture local b = _b[`t']
        if _rc == 0 {
            local se = _se[`t']
            if `se' > 0 & `se' < . {
                local p = 2 * ttail(e(df_r), abs(`b' / `se'))
                local star = cond(`p' < 0.01, "***", cond(`p' < 0.05, "**", cond(`p' < 0.1, "*", "")))
                quietly replace c`k' = strtrim(string(`b', "%12.3f")) + "`star'" in `=1 + 2 * `i''
                quietly replace c`k' = "(" + strtrim(string(`se', "%12.3f")) + ")" in `=2 + 2 * `i''
            }
        }
    }
    quietly replace c`k' = "`ctl_`k''" in `rc'
    forvalues j = 1/`nfe' {
        quietly replace c`k' = cond(`j' <= `fe_`k'', "Yes", "No") in `=`rc' + `j''
    }
    quietly replace c`k' = strtrim(string(e(N), "%12.0fc")) in `=`rows' - 1'
    if e(r2) < . {
        quietly replace c`k' = strtrim(string(e(r2), "%6.3f")) in `rows'
    }
}
list, noobs
export delimited using "nested_models_table.csv", replace novarnames
capture noisily export excel using "nested_models_table.xlsx", replace
capture noisily {
    putdocx clear
    putdocx begin
    putdocx table ss_nest = data(c*)
    putdocx paragraph
    putdocx text ("Standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01")
    putdocx save "nested_models_table.docx", replace
}
restore

display as text "SS_STEP 7: house publication table (xlsx, tex, docx; fixed-effect rows are in the nested table)"
capture noisily ss_pubtable `models', cluster(`clustvar')
