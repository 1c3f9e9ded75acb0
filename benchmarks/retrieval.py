"""Selection retrieval latency: ``Retriever.score`` over the bundled library and over a
synthetic library of 1,000 templates (the real metas replicated in memory with new ids and
keywords drawn from a shared vocabulary, so the index has realistic term statistics)."""

from __future__ import annotations

import random
import time
from typing import Any

import msgspec

from benchmarks.stats import summary_ms
from ss_adapters.settings import DEFAULT_LIBRARY
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.library.meta import Keywords, Template
from ss_core.library.retrieval import Retriever

QUERIES = (
    "OLS regression of wage on education, cluster by firm",
    "difference in differences with staggered treatment timing and event study",
    "high-dimensional fixed effects reghdfe 高维固定效应",
    "面板数据固定效应回归，聚类标准误",
    "logit model for binary outcome with marginal effects",
    "双重差分 政策评估 平行趋势检验",
    "describe the data and summary statistics by group",
    "instrumental variables two stage least squares weak instrument test",
)
EN_WORDS = ("panel regression robust cluster treatment effect event study logit probit "
            "survival hazard quantile instrument matching propensity score bootstrap "
            "heterogeneity interaction lag trend seasonal count poisson tobit selection "
            "mediation moderation placebo synthetic control discontinuity").split()
ZH_WORDS = ("面板 回归 稳健 聚类 处理效应 事件研究 生存分析 分位数 工具变量 倾向得分 匹配 "
            "异质性 交互项 滞后 趋势 计数 选择 中介 调节 安慰剂 合成控制 断点").split()


def synthetic_library(base: Library, size: int, seed: int = 11) -> Library:
    """``size`` templates built from ``base``'s metas with fresh ids and mixed keywords."""
    rng = random.Random(seed)
    originals = list(base)
    made: list[Template] = []
    for i in range(size):
        tpl = originals[i % len(originals)]
        keywords = Keywords(
            en=(*tpl.meta.keywords.en, *rng.sample(EN_WORDS, 4)),
            zh=(*tpl.meta.keywords.zh, *rng.sample(ZH_WORDS, 3)))
        meta = msgspec.structs.replace(tpl.meta, id=f"{tpl.meta.id}_s{i:04d}",
                                       keywords=keywords)
        made.append(msgspec.structs.replace(tpl, meta=meta))
    return Library(tuple(made))


def _measure(library: Library, reps: int) -> dict[str, Any]:
    started = time.perf_counter()
    retriever = Retriever(library)
    build = time.perf_counter() - started
    for query in QUERIES:  # warm-up
        retriever.score(query)
    samples = []
    for _ in range(reps):
        for query in QUERIES:
            t0 = time.perf_counter()
            retriever.score(query)
            samples.append(time.perf_counter() - t0)
    return {"templates": len(library), "index_build_ms": build * 1000,
            "score": summary_ms(samples)}


def run(reps: int) -> list[dict[str, Any]]:
    """One row per library size: index build time and score() latency over the queries."""
    real = load_library(DEFAULT_LIBRARY)
    return [{"library": "bundled", **_measure(real, reps)},
            {"library": "synthetic", **_measure(synthetic_library(real, 1000), reps)}]
