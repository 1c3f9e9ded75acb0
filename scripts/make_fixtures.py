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
        "alpha_x1_m_ymed": _alpha(df[["x1", "m", "y_med"]]),
        **_u_shape(df["y"], df["x1"], df["x2"]),
        "alpha_without_x1": _alpha(df[["m", "y_med"]]),
        "ols_x1_robust_ci90_lower": ols.get_robustcov_results("HC1").conf_int(alpha=0.10)[1][0],
        "ols_x1_robust_ci90_upper": ols.get_robustcov_results("HC1").conf_int(alpha=0.10)[1][1],
    }
    truth = {"b_x1": 2.0, "b_x2": 0.5, "b_cons": 1.0, "poisson_x1": 0.5, "logit_x1": 1.0,
             "iv_xend": 1.0, "indirect_x1_m": 0.4}
    return df, truth, estimates


INCOMPLETE_UNITS = (33, 35, 37, 39)


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
    # y with two fixed years missing for units 33, 35, 37 and 39: an unbalanced panel
    gaps = df["unit"].isin(INCOMPLETE_UNITS) & df["year"].isin((2012, 2017))
    df["y_gaps"] = df["y"].mask(gaps)
    inter_cl = sm.OLS(df["y"], sm.add_constant(
        df[["treated", "post"]].assign(tp=df.treated * df.post))).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"]})
    estimates = {"did_twfe": twfe.params["did"], "did_2x2": inter.params["tp"],
                 "did_2x2_cluster_unit_se": inter_cl.bse["tp"],
                 "staggered_twfe": stag.params["staggered"], "fe_x": fe.params["x"],
                 "incomplete_units": float(len(INCOMPLETE_UNITS)),
                 **_wooldridge(df, "y_fe", "x"),
                 **_event_study(df, leads=4, lags=4)}
    truth = {"did_effect": 1.5, "staggered_effect": 1.5, "fe_x": 0.8}
    return df, truth, estimates


def _alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of raw items: k/(k-1) * (1 - sum of item variances / total variance)."""
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def _wooldridge(df: pd.DataFrame, y: str, x: str) -> dict[str, float]:
    """Wooldridge serial-correlation test: first differences without a constant, residual on
    its lag without a constant, cluster-robust (CR1) F test of the coefficient = -0.5."""
    d = df.sort_values(["unit", "year"]).copy()
    d["dy"] = d.groupby("unit")[y].diff()
    d["dx"] = d.groupby("unit")[x].diff()
    first = d.dropna(subset=["dy", "dx"])
    fit = sm.OLS(first["dy"], first[["dx"]]).fit()
    d.loc[first.index, "e"] = fit.resid
    d["le"] = d.groupby("unit")["e"].shift(1)
    second = d.dropna(subset=["e", "le"])
    lag = sm.OLS(second["e"], second[["le"]]).fit(
        cov_type="cluster", cov_kwds={"groups": second["unit"]})
    b, se = float(lag.params["le"]), float(lag.bse["le"])
    return {"wooldridge_lag_coef": b, "wooldridge_f": ((b + 0.5) / se) ** 2}


def _u_shape(y: pd.Series, x: pd.Series, control: pd.Series) -> dict[str, float]:
    """Quadratic OLS with HC1 errors; slope b1 + 2*b2*x at the ends of the range of x and the
    Lind-Mehlum statistic (smaller one-sided t of the sign change implied by b2)."""
    X = sm.add_constant(pd.DataFrame({"x": x, "xx": x * x, "c": control}))
    fit = sm.OLS(y, X).fit(cov_type="HC1")
    V = fit.cov_params().to_numpy()
    out, ts = {}, []
    sign = 1.0 if fit.params["xx"] > 0 else -1.0
    for end, at in (("min", x.min()), ("max", x.max())):
        a = np.array([0.0, 1.0, 2.0 * at, 0.0])
        slope, se = float(a @ fit.params.to_numpy()), float(np.sqrt(a @ V @ a))
        out[f"ushape_slope_at_{end}"], out[f"ushape_slope_at_{end}_se"] = slope, se
        ts.append((-sign if end == "min" else sign) * slope / se)
    out["ushape_lind_mehlum_t"] = min(ts)
    return out


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
    # trading days (no weekends) as Stata dates: a %td time index with calendar gaps
    df["day"] = [d.date() for d in pd.bdate_range("2020-01-01", periods=n)]
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


PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
             "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
             "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏")


def panel_shapes(rng: np.random.Generator) -> Simulated:
    """A province panel shaped as real data is: text ids, a %td date as the time variable,
    unbalanced, and an industry code that changes within some provinces (not nested)."""
    years = list(range(2010, 2020))
    index = np.repeat(np.arange(len(PROVINCES)), len(years))
    year = np.tile(years, len(PROVINCES))
    keep = (index * 7 + year) % 9 != 0  # about one row in nine is absent
    index, year = index[keep], year[keep]
    n = len(index)
    alpha = rng.normal(0, 2, len(PROVINCES))[index]
    treated = (index < len(PROVINCES) // 2).astype(int)
    post = (year >= 2015).astype(int)
    x = 0.5 * alpha + rng.normal(0, 1, n)
    df = pd.DataFrame({
        "province": [PROVINCES[i] for i in index],
        "date": [pd.Timestamp(int(y), 1, 1).date() for y in year],
        "region": index % 4 + 1,
        "industry": 1 + index % 5 + ((year >= 2015) & (index % 2 == 1)).astype(int),
        "treated": treated, "post": post, "did": treated * post,
        "treat_time": np.where(treated == 1, 2015.0, np.nan),
        "x": x,
        "y_fe": alpha + 0.8 * x + rng.normal(0, 1, n),
        "y": alpha + 0.3 * (year - 2010) + 1.5 * treated * post + rng.normal(0, 1, n),
    })
    units = pd.get_dummies(df["province"], drop_first=True, dtype=float)
    periods = pd.get_dummies(pd.Series(year).astype(str), drop_first=True, dtype=float)
    fe = sm.OLS(df["y_fe"], sm.add_constant(pd.concat([df[["x"]], units], axis=1))).fit()
    twfe = sm.OLS(df["y"], sm.add_constant(pd.concat([df[["did"]], units, periods],
                                                     axis=1))).fit()
    estimates = {"fe_x": fe.params["x"], "did_twfe": twfe.params["did"]}
    return df, {"fe_x": 0.8, "did_effect": 1.5}, estimates


BUILDERS = {"cross_section": cross_section, "panel": panel, "time_series": time_series,
            "survival": survival, "panel_shapes": panel_shapes}
DESCRIPTIONS = {
    "cross_section": "y = 1 + 2*x1 + 0.5*x2 + e; x3 noise; treat binary; group 1-4; weight "
                     "in [0.5,2]; count ~ Poisson(exp(0.3+0.5*x1)); ybin logit(0.5 + x1); "
                     "rating 1-3 ordered logit in x1; y_iv = 1 + xend + u with xend endogenous "
                     "and z its instrument; sel selection indicator with exclusion zsel; "
                     "m = 0.5*x1 + e mediates y_med = 1 + 0.3*x1 + 0.8*m + e",
    "panel": "40 units x 2010-2019; y has DID effect 1.5 for treated*post (post = year>=2015); "
             "y_stag has effect 1.5 from treat_time (2014/2016, missing = never); "
             "y_fe = a_i + 0.8*x; x2 and q (uniform threshold variable) are noise; "
             "treat_time_adopt codes the first-treatment year only on the adoption row; "
             "y_gaps is y without 2012 and 2017 for units 33, 35, 37 and 39",
    "time_series": "t = 1..200; y AR(1) with coefficient 0.6 and mean 2; x white noise; "
                   "q uniform noise; y_thr = 1 + 0.5*x if q <= 0.4 else 2 + 2.5*x "
                   "(threshold 0.4); day = trading days from 2020-01-01 as %td",
    "survival": "exponential durations, log hazard -1 + 0.5*x; independent censoring",
    "panel_shapes": "30 provinces named in Chinese (text ids) x 2010-2019, unbalanced (about "
                    "one row in nine absent); date = 1 January of the year as %td; region "
                    "constant within province, industry changes within odd provinces from "
                    "2015 (not nested); y_fe = a_i + 0.8*x; y has DID effect 1.5 for "
                    "treated*post (post = year>=2015, treat_time 2015 or missing)",
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
