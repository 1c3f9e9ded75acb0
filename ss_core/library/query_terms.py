"""How request text and template text become comparable terms for retrieval.

Three small, declared steps, applied the same way to requests and to template metas:

- **compounds**: spellings of one technical term become one token ("t-test", "t 检验",
  "ttest" -> ``ttest``; "log-rank" -> ``logrank``; "chi-square", "χ²" -> ``chisquare``), so the
  short pieces ("t", "log") neither vanish nor match the wrong template;
- **stems**: English words lose common inflections ("correlated", "correlation" ->
  ``correl``), so a request need not use the meta's word form;
- **concepts**: a few everyday phrasings users type for a technical idea ("how many" ->
  count, "0/1" -> binary, "followed over years" -> panel) add the library's own word.
"""

from __future__ import annotations

import re

COMPOUNDS: tuple[tuple[str, str], ...] = (
    (r"(?<![a-z0-9])t[\s\-_]*(?:tests?|检验|检定)", " ttest "),
    (r"(?<![a-z0-9])ttests?(?![a-z0-9])", " ttest "),
    (r"(?<![a-z0-9])f[\s\-_]*(?:tests?|检验)", " ftest "),
    (r"(?<![a-z0-9])u[\s\-_]*(?:tests?|检验)", " utest "),
    (r"(?<![a-z0-9])z[\s\-_]*(?:scores?|分数)", " zscore "),
    (r"log[\s\-_]*rank", " logrank "),
    (r"chi[\s\-_]*(?:squared?|2)|χ²|χ2|卡方", " chisquare 卡方 "),
    (r"diff[\s\-_]*in[\s\-_]*diffs?", " difference in differences "),
    (r"granger[\s\-_]*caus(?:es|ed|e|ing)(?![a-z])", " granger causality "),
    (r"(?<![0-9])0\s*/\s*1(?![0-9])|yes\s*/\s*no|dummy (?:outcome|dependent)", " binary "),
)

CONCEPTS: tuple[tuple[str, str], ...] = (
    (r"how many|number of times|counts? of", " count "),
    (r"probability (?:that|of)|whether or not|likelihood that", " binary "),
    (r"followed over (?:years|time)|over the years|same (?:people|firms|units) (?:each|every)",
     " panel "),
    (r"time (?:until|to) (?:death|event|failure)|survive|died|death", " survival "),
    (r"is (?:the|it|this) .{0,30}stationary|stationary", " stationarity "),
    (r"measured twice|before and after|pre[\s\-]*post", " paired before after "),
    (r"match(?:ed|ing)? .{0,40}(?:on observables|covariates)", " matching propensity score "),
    (r"(?:above|below) the cutoff|cutoff score|just above|just below", " discontinuity cutoff "),
    (r"\(?\b1\s*(?:-|to|–)\s*[57]\b\)?|likert|rating scale|how satisfied", " ordered "),
    (r"which .{0,30}(?:choose|pick)|choose (?:between|among)|choice (?:between|among)",
     " multinomial choice "),
    (r"(?:gap|differ(?:ent|ence)?) between|differ by", " compare means "),
    (r"variance .{0,20}(?:larger|greater|bigger|exceeds?) .{0,10}mean", " overdispersion "),
    (r"lots of zeros|many zeros|mostly zeros?", " excess zeros "),
    (r"(?:after |while )?control(?:ling)? for|holding .{0,20}constant", " regression controls "),
    (r"staggered|different years|in waves|多时点|分批|交错", " staggered 多期DID "),
    (r"有差别|有差异|不一样|差距", " 均值差异检验 "),
    (r"方差.{0,4}大于.{0,2}均值", " 过度离散 "),
    (r"很多(?:是)?0|大量(?:的)?0|很多零", " 零膨胀 "),
    (r"评分|打分\b|满意度", " 有序选择模型 "),
    (r"生存时间|死亡风险", " 生存分析 "),
    (r"前后.{0,6}变化|治疗前后|前测|后测", " 配对 前后测比较 "),
    (r"是否(?:就业|参与|吸烟|购买|违约)", " 二元选择模型 "),
    (r"平稳", " 平稳性检验 "),
)

_SUFFIXES = ("ational", "ations", "ation", "ities", "ional", "ness", "ions", "ated", "ates",
             "ity", "ion", "ing", "ate", "ies", "ed", "es", "ly", "s", "y")
_COMPILED_COMPOUNDS = tuple((re.compile(p), r) for p, r in COMPOUNDS)
_COMPILED_CONCEPTS = tuple((re.compile(p), r) for p, r in CONCEPTS)


def normalize(text: str) -> str:
    """Lower-case ``text`` with compound terms joined (used for requests and metas alike)."""
    lowered = text.lower()
    for pattern, replacement in _COMPILED_COMPOUNDS:
        lowered = pattern.sub(replacement, lowered)
    return lowered


def concepts(text: str) -> str:
    """The library words for the everyday phrasings found in ``text`` (already normalized)."""
    return " ".join(r for p, r in _COMPILED_CONCEPTS if p.search(text))


def stem(word: str) -> str:
    """A light English stem: the longest listed suffix off, keeping at least four letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether normalized ``text`` contains ``phrase``; a phrase that starts or ends with a
    Latin letter or digit must do so at a word boundary ("ate" is not in "patents")."""
    start = 0
    while (at := text.find(phrase, start)) >= 0:
        end = at + len(phrase)
        before_ok = not (phrase[0].isascii() and phrase[0].isalnum()) or at == 0 or not (
            text[at - 1].isascii() and text[at - 1].isalnum())
        after_ok = not (phrase[-1].isascii() and phrase[-1].isalnum()) or end == len(text) or (
            not (text[end].isascii() and text[end].isalnum()))
        if before_ok and after_ok:
            return True
        start = at + 1
    return False
