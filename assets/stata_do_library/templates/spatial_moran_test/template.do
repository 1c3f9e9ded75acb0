display as text "SS_STEP 1: spatial units with coordinates"
tempvar touse
mark `touse'
markout `touse' `coord_x' `coord_y'
quietly count if !`touse'
local ss_drop = r(N)
quietly drop if !`touse'
ss_res, step(sample) term(rows_without_coordinates_dropped) b(`ss_drop')
{% if has.unit_id %}
capture isid `unit_id'
if _rc {
    display as error "`unit_id' does not identify the rows: a cross-sectional Moran test needs one row per spatial unit"
    error 459
}
spset `unit_id'
{% else %}
tempvar ss_sid
quietly generate long `ss_sid' = _n
spset `ss_sid'
{% endif %}
spset, modify coord(`coord_x' `coord_y')
{% if opt.latlong %}
spset, modify coordsys(latlong, kilometers)
{% endif %}

display as text "SS_STEP 2: row-standardised inverse-distance weights"
{% if has.band %}
spmatrix create idistance ss_W, normalize(row) vtruncate(`=1 / `band'')
{% else %}
spmatrix create idistance ss_W, normalize(row)
{% endif %}
spmatrix summarize ss_W
spmatrix matafromsp ss_Wm ss_Wid = ss_W
tempname ss_s0 ss_s1 ss_s2 ss_nw
mata: st_numscalar("`ss_s0'", sum(ss_Wm))
mata: st_numscalar("`ss_s1'", 0.5 * sum((ss_Wm + ss_Wm'):^2))
mata: st_numscalar("`ss_s2'", sum((rowsum(ss_Wm) + colsum(ss_Wm)'):^2))
mata: st_numscalar("`ss_nw'", rows(ss_Wm))
mata: mata drop ss_Wm ss_Wid
if `ss_s0' <= 0 {
    display as error "the distance band leaves no pair of neighbours: widen the band"
    error 459
}
ss_res, step(weights) term(units) b(`=`ss_nw'')
ss_res, step(weights) term(sum_of_weights) b(`=`ss_s0'')

display as text "SS_STEP 3: Moran's I of each variable (H0: no spatial autocorrelation)"
tempname ph
tempfile ss_rows
postfile `ph' str32 variable double n double morans_i double expected_i double variance_i double z double p_value double moran_chi2 double moran_chi2_p str12 verdict_5pct using "`ss_rows'"
local ss_first : word 1 of `variables'
tempvar ss_z ss_wz ss_zwz ss_zz ss_zf ss_wzf
foreach v of varlist `variables' {
    capture drop `ss_z' `ss_wz' `ss_zwz' `ss_zz'
    quietly summarize `v'
    if r(N) < `ss_nw' {
        display as error "`v' has missing values: Moran's I needs the variable for every spatial unit"
        error 416
    }
    local ss_n = r(N)
    quietly generate double `ss_z' = (`v' - r(mean)) / r(sd)
    spgenerate double `ss_wz' = ss_W*`ss_z'
    quietly generate double `ss_zwz' = `ss_z' * `ss_wz'
    quietly generate double `ss_zz' = `ss_z'^2
    quietly summarize `ss_zwz', meanonly
    local ss_num = r(sum)
    quietly summarize `ss_zz', meanonly
    local ss_den = r(sum)
    local ss_i = (`ss_n' / `ss_s0') * `ss_num' / `ss_den'
    local ss_ei = -1 / (`ss_n' - 1)
    local ss_vi = (`ss_n'^2 * `ss_s1' - `ss_n' * `ss_s2' + 3 * `ss_s0'^2) / ((`ss_n'^2 - 1) * `ss_s0'^2) - `ss_ei'^2
    local ss_zs = (`ss_i' - `ss_ei') / sqrt(`ss_vi')
    local ss_p = 2 * normal(-abs(`ss_zs'))
    local ss_mc = .
    local ss_mp = .
    capture noisily {
        quietly regress `v'
        estat moran, errorlag(ss_W)
        local ss_mc = r(chi2)
        local ss_mp = r(p)
    }
    local ss_ver = cond(`ss_p' < 0.05, cond(`ss_i' > `ss_ei', "clustered", "dispersed"), "random")
    post `ph' ("`v'") (`ss_n') (`ss_i') (`ss_ei') (`ss_vi') (`ss_zs') (`ss_p') (`ss_mc') (`ss_mp') ("`ss_ver'")
    ss_res, step(morans_i) term(`v') b(`ss_i') se(`=sqrt(`ss_vi')') statistic(`ss_zs') p(`ss_p') n(`ss_n')
    if "`v'" == "`ss_first'" {
        quietly generate double `ss_zf' = `ss_z'
        quietly generate double `ss_wzf' = `ss_wz'
    }
}
postclose `ph'

display as text "SS_STEP 4: test table and Moran scatterplot"
preserve
clear
quietly append using "`ss_rows'"
export delimited using "moran_test.csv", replace
restore
capture noisily {
    twoway (scatter `ss_wzf' `ss_zf', msize(small)) (lfit `ss_wzf' `ss_zf'), xline(0) yline(0) xtitle("standardised `ss_first'") ytitle("spatial lag of standardised `ss_first'") legend(off) title("Moran scatterplot")
    graph export "moran_scatterplot.png", replace width(1600)
}
