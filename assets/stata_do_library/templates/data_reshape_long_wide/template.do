display as text "SS_STEP 1: layout before the reshape"
quietly count
local nbefore = r(N)
local kbefore = c(k)
{% if opt.keep_only %}
{% if opt.direction == "wide" and has.time %}
keep `unit' `time' `variables'
{% else %}
keep `unit' `variables'
{% endif %}
{% endif %}

{% if opt.direction == "long" %}
display as text "SS_STEP 2: reshape to long (stubs from the wide column names)"
local stubs
foreach v of varlist `variables' {
    if !regexm("`v'", "^(.*[^0-9])([0-9]+)$") {
        display as error "`v' does not end in a number: wide columns are named stub + number (gdp2010, gdp2011, ...)"
        error 198
    }
    local s = regexs(1)
    local stubs : list stubs | s
}
display as text "stubs: `stubs'"
confirm new variable `j_name'
reshape long `stubs', i(`unit') j(`j_name')
local what long
{% else %}
display as text "SS_STEP 2: reshape to wide (one row per unit)"
{% if has.time %}
reshape wide `variables', i(`unit') j(`time')
local what wide
{% else %}
display as error "reshaping to wide needs the time (j) variable whose values become column suffixes"
error 198
{% endif %}
{% endif %}

display as text "SS_STEP 3: layout after the reshape"
quietly count
local nafter = r(N)
local kafter = c(k)
display as text "rows: `nbefore' -> `nafter'; columns: `kbefore' -> `kafter'"
ss_res, step(reshape) term(rows_before) b(`nbefore') n(`nbefore')
ss_res, step(reshape) term(rows_after) b(`nafter') n(`nafter')
ss_res, step(reshape) term(columns_after) b(`kafter') n(`nafter')
tempname fh
file open `fh' using "reshape_summary.csv", write replace text
file write `fh' "direction,rows_before,columns_before,rows_after,columns_after" _n
file write `fh' "`what',`nbefore',`kbefore',`nafter',`kafter'" _n
file close `fh'

display as text "SS_STEP 4: save the reshaped dataset"
save "reshaped_data.dta", replace
