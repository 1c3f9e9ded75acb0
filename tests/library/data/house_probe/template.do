display as text "SS_STEP 1: panel setup"
version 15
xtset `unitvar' `timevar'
tempvar did
quietly generate byte `did' = `treated' * `post'
label variable `did' "Treated x post"
bysort `unitvar': egen double __ignore = mean(`depvar')
drop __ignore
capture noisily xtdescribe

display as text "SS_STEP 2: estimation"
{% if opt.vce == "cluster" %}
local vceopt vce(cluster `unitvar')
{% else %}
local vceopt vce(robust)
{% endif %}
xtreg `depvar' `did' `controls' i.`timevar', fe `vceopt'
ss_coef "did" "`did'"
estimates store m_did
eststo clear
capture noisily esttab m_did using "did_table.rtf", replace title(`title')

display as text "SS_STEP 3: means"
tempname fh m
local i = 0
levelsof `treated', local(groups)
foreach g of local groups {
    local ++i
    quietly summarize `depvar' if `treated' == `g', detail
    scalar `m' = r(mean)
    ss_res, step("means") term("group_`g'") b(`=`m'') n(`=r(N)')
}
file open `fh' using "means.txt", write replace
file write `fh' `"`title'"' _n
file close `fh'
putexcel set "summary.xlsx", replace
putexcel A1 = "mean"
mata: st_local("nrows", strofreal(st_nobs()))
display "`nrows' `i'"
capture program drop ss_probe_helper
program define ss_probe_helper, rclass
    syntax varlist(min=1) [, Title(string) Level(integer 95)]
    local post 1
    return scalar k = `: word count `varlist''
    display `level'
end
ss_probe_helper `depvar'
if _rc != 0 {
    display as error "x"
}
else {
    display "ok"
}
quietly count if `post' == 1
assert r(N) > 0
tempfile hold
preserve
collapse (mean) `depvar', by(`timevar' `treated')
export delimited using "did_table.csv", replace
save "coefs.dta", replace
{% if opt.plot %}
capture noisily twoway (line `depvar' `timevar' if `treated' == 1) (line `depvar' `timevar' if `treated' == 0), legend(order(1 "Treated" 2 "Control"))
capture noisily graph export "trend.png", replace width(1600)
{% endif %}
restore
capture noisily coefplot m_did, keep(`did')
capture noisily margins, dydx(*)
matrix list e(b)
gettoken first rest : controls
mata:
x = 1
st_local("z", "1")
end
display "`z' `first' `rest'"
