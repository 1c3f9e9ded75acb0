"""The report's language: asked for, else the request's (any CJK character means Chinese),
and the fixed words of the report in both languages."""

from __future__ import annotations

import re

LANGUAGES = ("en", "zh")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def language_of(requirement: str, asked: str | None = None) -> str:
    if asked in LANGUAGES:
        return asked
    return "zh" if _CJK.search(requirement) else "en"


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Analysis report", "question": "The question", "data": "The data",
        "method": "The method", "results": "Results", "figures": "Figures",
        "diagnostics": "Diagnostics and warnings", "interpretation": "Interpretation",
        "file": "File", "sheet": "Sheet", "rows": "Observations", "columns": "Variables",
        "variables_used": "Variables used", "settings": "Settings",
        "missing": "Missing values", "analysis": "Analysis", "why": "Why this analysis",
        "se": "Standard errors", "fe": "Fixed effects", "packages": "Community packages",
        "stata": "Stata version", "none": "none", "caveats": "Caveats",
        "next_steps": "Next steps", "omitted": "Interpretation omitted",
        "not_requested": "No interpretation was requested for this report.",
        "sources": "Numbers cited from", "plan": "Plan", "run": "Run", "job": "Job",
        "generated": "Generated", "truncated": "(table truncated)",
        "no_diagnostics": "Stata reported no notes or warnings.",
        "missing_text": "Stata drops observations with a missing value in any variable the "
                        "analysis uses (listwise deletion); the results tables give the "
                        "number of observations used.",
        "se_default": "as the command reports them by default",
        "se_cluster": "clustered by {columns}",
        "se_robust": "heteroskedasticity-robust",
        "ads": "Interpretation written by {model}; every number in it is a cited results cell.",
    },
    "zh": {
        "title": "分析报告", "question": "研究问题", "data": "数据", "method": "方法",
        "results": "结果", "figures": "图形", "diagnostics": "诊断与警告",
        "interpretation": "结果解读", "file": "文件", "sheet": "工作表", "rows": "观测数",
        "columns": "变量数", "variables_used": "使用的变量", "settings": "参数设置",
        "missing": "缺失值处理", "analysis": "分析方法", "why": "选择理由", "se": "标准误",
        "fe": "固定效应", "packages": "外部命令包", "stata": "Stata 版本", "none": "无",
        "caveats": "注意事项", "next_steps": "后续建议", "omitted": "未提供结果解读",
        "not_requested": "本报告未要求结果解读。", "sources": "数字引用自",
        "plan": "计划", "run": "运行", "job": "任务", "generated": "生成时间",
        "truncated": "（表格已截断）", "no_diagnostics": "Stata 未报告提示或警告。",
        "missing_text": "Stata 会删除分析所用任一变量存在缺失值的观测（成列删除）；"
                        "结果表中给出了实际使用的观测数。",
        "se_default": "按命令默认方式计算",
        "se_cluster": "按 {columns} 聚类",
        "se_robust": "异方差稳健标准误",
        "ads": "结果解读由 {model} 生成；其中每个数字均引用自结果表中的单元格。",
    },
}
