display as text "SS_STEP 1: variables used for clustering"
tempvar touse
mark `touse'
markout `touse' `variables'
quietly count if `touse'
local n = r(N)
if `n' <= `k' {
    display as error "only `n' complete observations for `k' clusters"
    error 2001
}
confirm new variable kmeans_cluster
{% if opt.standardize %}
local cvars
foreach v of varlist `variables' {
    tempvar z
    quietly egen double `z' = std(`v') if `touse'
    local cvars `cvars' `z'
}
display as text "variables standardised to z-scores"
{% else %}
local cvars `variables'
{% endif %}

display as text "SS_STEP 2: k-means with `k' clusters"
cluster kmeans `cvars' if `touse', k(`k') name(ss_km) generate(kmeans_cluster) start(krandom(`seed'))
label variable kmeans_cluster "k-means cluster (k = `k')"
tabulate kmeans_cluster
capture noisily {
    cluster stop ss_km, rule(calinski)
    ss_res, step(kmeans_fit) term(calinski_harabasz) b(`=r(calinski_`k')') n(`n')
}

display as text "SS_STEP 3: cluster profiles"
forvalues c = 1/`k' {
    quietly count if kmeans_cluster == `c'
    ss_res, step(cluster_size) term(cluster_`c') b(`=r(N) / `n'') n(`=r(N)')
}
preserve
quietly keep if `touse'
tempvar one
quietly generate long `one' = 1
keep kmeans_cluster `variables' `one'
collapse (mean) `variables' (sum) cluster_size=`one', by(kmeans_cluster)
quietly generate double cluster_share = cluster_size / `n'
order kmeans_cluster cluster_size cluster_share
list, noobs abbreviate(12)
export delimited using "kmeans_profiles.csv", replace
restore

display as text "SS_STEP 4: save the dataset with the cluster number"
capture cluster drop ss_km
{% if opt.standardize %}
drop `cvars'
{% endif %}
drop `touse'
save "kmeans_data.dta", replace
