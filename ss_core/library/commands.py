"""Which Stata commands a template body may call without declaring a package.

``OFFICIAL`` lists official Stata commands (14-18) in the spellings templates use, with the
common abbreviations; ``COMMUNITY`` lists community (SSC/net) commands that must be provided by
a package declared in the meta. A command in neither list is reported as unknown so that the
list grows deliberately (add an official command here, or declare the package).
"""

from __future__ import annotations

from ss_core.stata.syntax import abbreviations

_ABBREVIATED = (
    ("generate", 1), ("summarize", 2), ("tabulate", 2), ("display", 2), ("regress", 3),
    ("replace", 7), ("label", 2), ("matrix", 3), ("scalar", 2), ("local", 3), ("global", 2),
    ("describe", 1), ("correlate", 3), ("predict", 4), ("estimates", 3), ("keep", 4),
    ("drop", 4), ("sort", 4), ("list", 1), ("count", 3), ("format", 3), ("rename", 3),
    ("order", 3), ("test", 4), ("xtset", 5), ("tsset", 5), ("merge", 5), ("append", 3),
    ("collapse", 8), ("contract", 8), ("expand", 6), ("encode", 6), ("decode", 6),
    ("destring", 7), ("tostring", 5), ("recode", 6), ("duplicates", 3), ("egen", 4),
    ("insheet", 3), ("outsheet", 4), ("tabstat", 7), ("pwcorr", 6), ("spearman", 5),
    ("ttest", 5), ("ranksum", 7), ("signrank", 7), ("kwallis", 7), ("oneway", 6),
    ("anova", 5), ("probit", 6), ("logit", 5), ("logistic", 8), ("margins", 7),
    ("marginsplot", 11), ("graph", 2), ("twoway", 2), ("scatter", 2), ("histogram", 4),
    ("kdensity", 5), ("lowess", 3), ("program", 3), ("quietly", 3), ("capture", 3),
    ("noisily", 1), ("preserve", 8), ("restore", 7), ("bysort", 6), ("by", 2),
    ("foreach", 7), ("forvalues", 4), ("while", 5), ("continue", 8), ("tempvar", 7),
    ("tempname", 8), ("tempfile", 8), ("error", 5), ("assert", 5), ("confirm", 4),
    ("return", 3), ("ereturn", 4), ("sreturn", 4), ("mata", 4), ("statsby", 7),
    ("bootstrap", 4), ("jackknife", 4), ("permute", 7), ("simulate", 8), ("set", 3),
)

OFFICIAL: frozenset[str] = frozenset(
    {abbr for word, minimum in _ABBREVIATED for abbr in abbreviations(word, minimum)}
    | set(
        """
        if else end exit version clear use save saveold export import file putexcel putdocx
        putpdf collect etable table tables tab1 tab2 codebook inspect   misstable isid
        levelsof   sample gsort xpose reshape stack fillin separate cross joinby
        compress recast mvdecode mvencode split ds lookfor unab tsunab fvexpand tokenize
        gettoken syntax args marksample markout novarabbrev varabbrev sleep timer
        notes note char cf compare datasignature pctile xtile centile ci cii means
        proportion mean ratio total sktest swilk sfrancia mvtest tetrachoric polychoric
        sdtest robvar prtest prtesti ttesti bitest bitesti tabi median mcc cc cs ir
        ksmirnov hotelling manova canon pca factor rotate alpha cluster discrim screeplot
        loadingplot scoreplot estat lincom nlcom testnl testparm contrast pwcompare
        margins suest hausman lrtest linktest ovtest hettest imtest vif dfbeta rvfplot
        avplot avplots lvr2plot cprplot acprplot rvpplot qnorm pnorm qqplot boxplot
        rreg qreg sqreg iqreg bsqreg areg xtreg xtivreg xtlogit xtprobit xtpoisson
        xtnbreg xtgls xtpcse xtabond xtdpd xtdpdsys xtsum xttab xtdescribe xtline xtunitroot
        xtcointtest xthtaylor xtfrontier xtmixed mixed melogit meprobit mepoisson xtcloglog
        xttobit xtintreg xtrc   xtheckman ivregress ivprobit ivtobit ivpoisson gmm
        gsem sem nl nlsur reg3 sureg mvreg heckman heckprobit heckoprobit biprobit mprobit
        mlogit ologit oprobit clogit asclogit nlogit cloglog glm poisson nbreg gnbreg zip
        zinb tpoisson tnbreg tobit intreg truncreg cnsreg eivreg vwls binreg hetprobit
        scobit betareg fracreg churdle stset stdescribe stsum sts stcox streg stcurve
        stphplot stcoxkm estat stsplit stjoin stcrreg stpower strate stptime ltable
        teffects tebalance stteffects eteffects etregress etpoisson didregress xtdidregress
        hdidregress xthdidregress lpoly npregress kernreg dfuller pperron dfgls varsoc var
        svar vec vecrank varstable vargranger varlmar irf fcast arima arch newey prais
        corrgram ac pac wntestq wntestb cumsp pergram tsfilter tsline tsreport tssmooth
        tsappend tsrevar tsfill sspace dfactor ucm mswitch threshold arfima rolling
            estimates   post postfile postclose serset bayes
        bayesmh mi misstable power sampsi stepwise nestreg fp mfp mkspline orthog
        orthpoly rocreg roctab roccomp lroc lsens   cusum diagt
        graph gr twoway tw line scatter connected area bar hbar dot pie matrix range
        rspike rcap rarea rbar lfit qfit lfitci qfitci function histogram kdensity
        combine       spikeplot stripplot
        tabdisp dotplot sunflower symplot quantile gladder qladder ladder
        cumul egen       mkmat svmat matlist matname
          putmata getmata   pause beep which findfile mkdir rmdir erase
        rm copy dir ls type checksum unicode translate log cmdlog window more
        adopath discard macro trace numlist   creturn clist ssc net ado
        dydx integ range     ereturn _estimates _rmcoll _rmdcoll _predict
        _robust include run do shell ins outfile infile infix odbc
        ivreg mark markin _pctile stci xttest0 pcorr predictnl bsample bstat stvary stgen
        stfill xtdata xttrans stir stmh stmc cttost pwmean ztest dstdize kappa icc tabodds
        mhodds exlogistic lasso elasticnet dsregress poregress xporegress lassocoef
        lassoknots cvplot dtable spregress tnbreg irt signtest lassoinfo
        svyset svy svydescribe frontier
        spset spmatrix spgenerate spxtregress spivregress spbalance spdistance spcompress
        """.split()
    )
)

COMMUNITY: frozenset[str] = frozenset(
    """
    reghdfe ftools fcollapse fegen ppmlhdfe ivreghdfe ivreg2 ivreg210 ivreg29 xtivreg2 ranktest
    weakivtest ivendog overid xtoverid actest psmatch2 pstest psgraph kmatch cem ebalance
    rdrobust rdplot rdbwselect rddensity rdmc rdpower rdsampsi rdlocrand synth synth_runner
    xthreg xtabond2 esttab estout eststo estadd estpost outreg2 asdoc logout
    tabout winsor2 winsor csdid did_multiplegt did_imputation eventstudyinteract jwdid
    bacondecomp coefplot sum2docx reg2docx t2docx corr2docx boottest sgmediation medeff khb
    xtqreg ivqreg2 qregpd xtscc xtcsd xttest2 xttest3 xtcd xtwest xtpmg xtdcce2 xtlsdvc
    xtdpdml xtserial gtools gcollapse gegen gquantiles gtop gstats glevelsof gunique
    gdistinct fre unique distinct mdesc egenmore rangestat tsspell cmp mvprobit
    oaxaca ineqdeco inequal7 ainequal sfpanel spmap shp2dta binscatter binsreg heatplot
    center grstyle schemepack xtbalance cic sdid sdid_event staggered drdid stackedev
    rdcv lassopack rlasso cvlasso pdslasso ivlasso
    """.split()
)
