display as text "SS_STEP 1: panel structure and treatment term"

{% if has.treatment %}
local dterm `treatment'
{% else %}
{% if has.treated %}
{% if has.post %}
local dterm c.`treated'#c.`post'
{% else %}
display as error "give either a treatment indicator or both a treated-group and a post-period indicator"
error 198
{% endif %}
{% else %}
display as error "give either a treatment indicator or both a treated-group and a post-period indicator"
error 198
{% endif %}
{% endif %}

tempvar uid touse
egen long `uid' = group(`unit')
xtset `uid'
mark `touse' `ss_if'
markout `touse' `outcome' `uid' `time' `treatment' `treated' `post' `controls'
{% if has.cluster %}
markout `touse' `cluster', strok
tempvar cid
egen long `cid' = group(`cluster') if `touse'
local vceopt vce(cluster `cid'){% if opt.cluster_nonest %} nonest dfadj{% endif %}
{% else %}
local vceopt vce(cluster `uid')
{% endif %}

* Factor variables reject negative or non-integer codes (centred time, %tm/%tq before 1960):
* such a time variable enters through a group index instead.
tempvar ss_tid
local ss_tfe i.`time'
quietly summarize `time', meanonly
local ss_tmin = r(min)
capture assert `time' == floor(`time') if !missing(`time')
if `ss_tmin' < 0 | _rc {
    quietly egen long `ss_tid' = group(`time')
    local ss_tfe i.`ss_tid'
}

display as text "SS_STEP 2: two-way fixed effects DID (unit FE via xtreg fe, time FE via i.time)"
xtreg `outcome' `dterm' `controls' `ss_tfe' `ss_fe' `ss_wt' if `touse', fe `vceopt' level(`level')
estimates store ss_m1
tempname tbl
matrix `tbl' = r(table)'

display as text "SS_STEP 3: DID estimate"
ss_coef "twfe_did" "`dterm'"
ss_res, step(model_fit) term(r2_within) b(`=e(r2_w)') n(`=e(N)') r2(`=e(r2_w)')
ss_res, step(model_fit) term(units) b(`=e(N_g)')

display as text "SS_STEP 4: coefficient table"

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
export delimited using "twfe_did_table.csv", replace
restore

display as text "SS_STEP 5: publication table (xlsx, tex, docx)"
{% if has.cluster %}
local ss_clname `cluster'
{% else %}
local ss_clname `unit'
{% endif %}
capture noisily ss_pubtable ss_m1, fe(`unit' `time' `ss_fe_names') cluster(`ss_clname')
