"""Simulate the smoke-suite fixtures: small datasets with known answers.

Writes ``assets/stata_do_library/fixtures/<name>.dta`` (Stata 14 format, via pyreadstat) and
``expected.json`` holding, per fixture, the true parameters of the simulation and the key
estimates computed independently in Python (statsmodels) on the very same data, so a template
run in real Stata can be compared with them. Deterministic: one seed per fixture.

    /work/venv/bin/python scripts/make_fixtures.py [--out DIR] [--check]

``--check`` recomputes everything and fails when ``expected.json`` differs (the .dta bytes
carry a timestamp, so only their data are compared).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat
import statsmodels.api as sm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.tsa.arima.model import ARIMA

SEED = 20261125
Simulated = tuple[pd.DataFrame, dict[str, float], dict[str, Any]]
OUT = Path(__file__).resolve().parents[1] / "assets" / "stata_do_library" / "fixtures"


def _round(values: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 6) for k, v in values.items()}


def _iv(y: np.ndarray, x: np.ndarray, z: np.ndarray) -> float:
    """Just-identified 2SLS slope of y on x instrumented by z (with a constant)."""
    X = np.column_stack([np.ones_like(x), x])
    Z = np.column_stack([np.ones_like(z), z])
    return float(np.linalg.solve(Z.T @ X, Z.T @ y)[1])


def cross_section(rng: np.random.Generator) -> Simulated:
    n = 300
    x1 = rng.normal(0, 1, n)
    x2 = rng.normal(0, 1, n)
    x3 = rng.normal(0, 1, n)
    group = rng.integers(1, 5, n)
    treat = (0.5 * x2 + rng.normal(0, 1, n) > 0).astype(int)
    y = 1.0 + 2.0 * x1 + 0.5 * x2 + rng.normal(0, 1, n)
    count = rng.poisson(np.exp(0.3 + 0.5 * x1))
    ybin = (0.5 + 1.0 * x1 + rng.logistic(0, 1, n) > 0).astype(int)
    latent = 1.0 * x1 + rng.logistic(0, 1, n)
    rating = 1 + (latent > -0.5).astype(int) + (latent > 0.8).astype(int)
    weight = rng.uniform(0.5, 2.0, n).round(3)
    z = rng.normal(0, 1, n)
    u = rng.normal(0, 1, n)
    xend = 0.8 * z + 0.6 * u + rng.normal(0, 1, n)
    y_iv = 1.0 + 1.0 * xend + u + rng.normal(0, 0.5, n)
    zsel = rng.normal(0, 1, n)
    sel = (0.3 + 0.8 * zsel + 0.5 * x1 + rng.normal(0, 1, n) > 0).astype(int)
    m = 0.5 * x1 + rng.normal(0, 1, n)
    y_med = 1.0 + 0.3 * x1 + 0.8 * m + rng.normal(0, 1, n)
    df = pd.DataFrame({"id": np.arange(1, n + 1), "y": y, "x1": x1, "x2": x2, "x3": x3,
                       "treat": treat, "group": group, "weight": weight, "count": count,
                       "ybin": ybin, "rating": rating, "z": z, "xend": xend, "y_iv": y_iv,
                       "sel": sel, "zsel": zsel, "m": m, "y_med": y_med})
    X = sm.add_constant(df[["x1", "x2"]])
    ols = sm.OLS(df["y"], X).fit()
    only = sm.OLS(df["y"], sm.add_constant(df[["x1"]])).fit()
    wls = sm.WLS(df["y"], X, weights=df["weight"]).fit()
    pois = sm.Poisson(df["count"], sm.add_constant(df[["x1"]])).fit(disp=0)
    logit = sm.Logit(df["ybin"], sm.add_constant(df[["x1"]])).fit(disp=0)
    path_a = sm.OLS(df["m"], sm.add_constant(df[["x1"]])).fit().params["x1"]
    path_b = sm.OLS(df["y_med"], sm.add_constant(df[["x1", "m"]])).fit().params["m"]
    mean0 = df.loc[df.treat == 0, "y"].mean()
    mean1 = df.loc[df.treat == 1, "y"].mean()
    estimates = {
        "ols_x1": ols.params["x1"], "ols_x2": ols.params["x2"], "ols_cons": ols.params["const"],
        "ols_x1_se": ols.bse["x1"], "ols_x1_robust_se": ols.get_robustcov_results("HC1").bse[1],
        "ols_r2": ols.rsquared, "ols_x1_only": only.params["x1"],
        "aweight_ols_x1": wls.params["x1"],
        "poisson_x1": pois.params["x1"], "logit_x1": logit.params["x1"],
        "iv_xend": _iv(df["y_iv"].to_numpy(), df["xend"].to_numpy(), df["z"].to_numpy()),
        "ols_xend_biased": sm.OLS(df["y_iv"], sm.add_constant(df[["xend"]])).fit().params["xend"],
        "indirect_x1_m": path_a * path_b,
        "mean_y": df["y"].mean(), "corr_y_x1": df["y"].corr(df["x1"]),
        "diff_y_treat0_minus_treat1": mean0 - mean1,
        "ols_x1_robust_ci90_lower": ols.get_robustcov_results("HC1").conf_int(alpha=0.10)[1][0],
        "ols_x1_robust_ci90_upper": ols.get_robustcov_results("HC1").conf_int(alpha=0.10)[1][1],
    }
    truth = {"b_x1": 2.0, "b_x2": 0.5, "b_cons": 1.0, "poisson_x1": 0.5, "logit_x1": 1.0,
             "iv_xend": 1.0, "indirect_x1_m": 0.4}
    return df, truth, estimates


def panel(rng: np.random.Generator) -> Simulated:
    units, years = 40, list(range(2010, 2020))
    unit = np.repeat(np.arange(1, units + 1), len(years))
    year = np.tile(years, units)
    alpha = rng.normal(0, 2, units)[unit - 1]
    gamma = (0.3 * (year - 2010))
    treated_unit = (np.arange(1, units + 1) <= units // 2).astype(int)
    treated = treated_unit[unit - 1]
    post = (year >= 2015).astype(int)
    cohort = np.where(np.arange(1, units + 1) <= 10, 2014.0,
                      np.where(np.arange(1, units + 1) <= 20, 2016.0, np.nan))
    treat_time = cohort[unit - 1]  # missing for never-treated units
    staggered = (year >= np.nan_to_num(treat_time, nan=9999)).astype(int)
    x = 0.5 * alpha + rng.normal(0, 1, len(unit))
    n = len(unit)
    x2 = rng.normal(0, 1, n)
    q = rng.uniform(0, 1, n)
    df = pd.DataFrame({
        "unit": unit, "year": year, "treated": treated, "post": post, "treat_time": treat_time,
        "did": treated * post, "staggered": staggered, "x": x, "x2": x2, "q": q,
        "y": alpha + gamma + 1.5 * treated * post + rng.normal(0, 1, n),
        "y_stag": alpha + gamma + 1.5 * staggered + rng.normal(0, 1, n),
        "y_fe": alpha + 0.8 * x + rng.normal(0, 1, n),
    })
    dummies = pd.get_dummies(df[["unit", "year"]].astype(str), drop_first=True, dtype=float)
    twfe = sm.OLS(df["y"], sm.add_constant(pd.concat([df[["did"]], dummies], axis=1))).fit()
    stag = sm.OLS(df["y_stag"],
                  sm.add_constant(pd.concat([df[["staggered"]], dummies], axis=1))).fit()
    unit_d = pd.get_dummies(df["unit"].astype(str), drop_first=True, dtype=float)
    fe = sm.OLS(df["y_fe"], sm.add_constant(pd.concat([df[["x"]], unit_d], axis=1))).fit()
    inter = sm.OLS(df["y"], sm.add_constant(
        df[["treated", "post"]].assign(tp=df.treated * df.post))).fit()
    # the first-treatment year coded only on the adoption row (missing elsewhere)
    df["treat_time_adopt"] = np.where(df["year"] == df["treat_time"], df["treat_time"], np.nan)
    inter_cl = sm.OLS(df["y"], sm.add_constant(
        df[["treated", "post"]].assign(tp=df.treated * df.post))).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"]})
    estimates = {"did_twfe": twfe.params["did"], "did_2x2": inter.params["tp"],
                 "did_2x2_cluster_unit_se": inter_cl.bse["tp"],
                 "staggered_twfe": stag.params["staggered"], "fe_x": fe.params["x"],
                 **_event_study(df, leads=4, lags=4)}
    truth = {"did_effect": 1.5, "staggered_effect": 1.5, "fe_x": 0.8}
    return df, truth, estimates


def _event_study(df: pd.DataFrame, *, leads: int, lags: int) -> dict[str, float]:
    """TWFE event study of y_stag: binned event-time dummies (-1 omitted), unit and year FE."""
    rel = (df["year"] - df["treat_time"]).clip(lower=-leads, upper=lags)
    events = pd.DataFrame({f"k{k}": (rel == k).astype(float)
                           for k in range(-leads, lags + 1) if k != -1})
    dummies = pd.get_dummies(df[["unit", "year"]].astype(str), drop_first=True, dtype=float)
    fit = sm.OLS(df["y_stag"], sm.add_constant(pd.concat([events, dummies], axis=1))).fit()
    return {"event_lag0": fit.params["k0"], "event_lead2": fit.params["k-2"]}


def _threshold(y: np.ndarray, x: np.ndarray, q: np.ndarray, trim: float) -> float:
    """Least-squares single threshold: regimes q <= c and q > c, constant and x in each."""
    order = np.sort(q)
    lo, hi = int(np.floor(trim * len(q))), int(np.ceil((1 - trim) * len(q)))
    best, where = np.inf, np.nan
    for c in order[lo:hi]:
        ssr = 0.0
        for part in (q <= c, q > c):
            X = np.column_stack([np.ones(part.sum()), x[part]])
            resid = y[part] - X @ np.linalg.lstsq(X, y[part], rcond=None)[0]
            ssr += float(resid @ resid)
        if ssr < best:
            best, where = ssr, float(c)
    return where


def panel_unbalanced(rng: np.random.Generator) -> Simulated:
    """The panel with rows missing for some units, for balancing and donor-pool checks."""
    df, truth, _ = panel(np.random.default_rng(SEED + 1))
    incomplete = [33, 35, 37, 39]
    drop = np.zeros(len(df), dtype=bool)
    for u in incomplete:
        years = rng.choice(np.arange(2011, 2019), size=2, replace=False)
        drop |= (df["unit"] == u).to_numpy() & df["year"].isin(years).to_numpy()
    out = df.loc[~drop, ["unit", "year", "y", "y_fe", "x", "x2", "q"]].reset_index(drop=True)
    # an industry code that changes within some units over time (cluster not nested in unit)
    out["industry"] = ((out["unit"] + (out["year"] >= 2016) * (out["unit"] % 3 == 0)) % 5) + 1
    estimates = {"incomplete_units": float(len(incomplete)), "rows": float(len(out))}
    return out, truth, estimates


def time_series(rng: np.random.Generator) -> Simulated:
    n, phi = 200, 0.6
    e = rng.normal(0, 1, n + 50)
    y = np.zeros(n + 50)
    for t in range(1, n + 50):
        y[t] = 2.0 * (1 - phi) + phi * y[t - 1] + e[t]
    y = y[50:]
    x = rng.normal(0, 1, n)
    q = rng.uniform(0, 1, n)
    df = pd.DataFrame({"t": np.arange(1, n + 1), "y": y, "x": x, "q": q})
    # threshold model: the slope of x is 0.5 when q <= 0.4 and 2.5 above, intercept 1 and 2
    df["y_thr"] = np.where(q <= 0.4, 1.0 + 0.5 * x, 2.0 + 2.5 * x) + rng.normal(0, 0.3, n)
    lagged = sm.OLS(df["y"].iloc[1:].to_numpy(),
                    sm.add_constant(df["y"].iloc[:-1].to_numpy())).fit()
    arima = ARIMA(df["y"], order=(1, 0, 0)).fit()
    estimates = {"ar1_ols": lagged.params[1], "ar1_mle": arima.params["ar.L1"],
                 "mean_y": df["y"].mean(),
                 "threshold_q": _threshold(df["y_thr"].to_numpy(), x, q, 0.10)}
    return df, {"ar1": phi, "mean": 2.0, "threshold_q": 0.4}, estimates


def survival(rng: np.random.Generator) -> Simulated:
    n = 200
    x = rng.normal(0, 1, n)
    group = rng.integers(0, 2, n)
    event_time = rng.exponential(1 / np.exp(-1.0 + 0.5 * x))
    censor_time = rng.exponential(8.0, n)
    duration = np.minimum(event_time, censor_time) + 0.001
    failure = (event_time <= censor_time).astype(int)
    df = pd.DataFrame({"id": np.arange(1, n + 1), "duration": duration, "failure": failure,
                       "x": x, "group": group})
    cox = PHReg(df["duration"], df[["x", "group"]], status=df["failure"], ties="efron").fit()
    estimates = {"cox_x": cox.params[0], "cox_group": cox.params[1],
                 "failure_rate": df["failure"].mean()}
    return df, {"cox_x": 0.5, "cox_group": 0.0}, estimates


BUILDERS = {"cross_section": cross_section, "panel": panel, "time_series": time_series,
            "survival": survival, "panel_unbalanced": panel_unbalanced}
DESCRIPTIONS = {
    "cross_section": "y = 1 + 2*x1 + 0.5*x2 + e; x3 noise; treat binary; group 1-4; weight "
                     "in [0.5,2]; count ~ Poisson(exp(0.3+0.5*x1)); ybin logit(0.5 + x1); "
                     "rating 1-3 ordered logit in x1; y_iv = 1 + xend + u with xend endogenous "
                     "and z its instrument; sel selection indicator with exclusion zsel; "
                     "m = 0.5*x1 + e mediates y_med = 1 + 0.3*x1 + 0.8*m + e",
    "panel": "40 units x 2010-2019; y has DID effect 1.5 for treated*post (post = year>=2015); "
             "y_stag has effect 1.5 from treat_time (2014/2016, missing = never); "
             "y_fe = a_i + 0.8*x; x2 and q (uniform threshold variable) are noise; "
             "treat_time_adopt codes the first-treatment year only on the adoption row",
    "time_series": "t = 1..200; y AR(1) with coefficient 0.6 and mean 2; x white noise; "
                   "q uniform noise; y_thr = 1 + 0.5*x if q <= 0.4 else 2 + 2.5*x (threshold 0.4)",
    "panel_unbalanced": "the panel without 2 random years for units 33, 35, 37 and 39; "
                        "industry (1-5) changes within some units from 2016",
    "survival": "exponential durations, log hazard -1 + 0.5*x; independent censoring",
}


def build(out: Path) -> dict[str, Any]:
    expected: dict[str, Any] = {"seed": SEED, "fixtures": {}}
    for offset, (name, builder) in enumerate(BUILDERS.items()):
        df, truth, estimates = builder(np.random.default_rng(SEED + offset))
        pyreadstat.write_dta(df, str(out / f"{name}.dta"), version=14)
        expected["fixtures"][name] = {"file": f"{name}.dta", "rows": len(df),
                                      "description": DESCRIPTIONS[name],
                                      "truth": _round(truth), "estimates": _round(estimates)}
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build(args.out), indent=2, sort_keys=True) + "\n"
    target = args.out / "expected.json"
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"stale: {target}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {len(BUILDERS)} fixtures and {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
