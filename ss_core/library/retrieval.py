"""Lexical retrieval over the template library, in English and Chinese.

Each template is indexed once by the words of its keywords, titles, description, family and
id; Chinese text is indexed by character bigrams (no segmenter needed), English by word stems
(compound terms such as "t-test" joined first, see ``query_terms``). A query (with the
library words of its everyday phrasings added) scores templates with BM25 over those terms
plus a bonus for every keyword phrase that appears verbatim in the query (the words users
really type: 双重差分, "fixed effects"...). Pure and deterministic: ties break by id.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import msgspec

from ss_core.library.catalog import Library
from ss_core.library.meta import Template
from ss_core.library.query_terms import concepts, contains_phrase, normalize, stem

_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset(
    "a an and the of for to in on with by is are be my i we want please do run use using "
    "what how does between from as at or this that data dataset variable variables "
    # nouns of the data's domain (what is studied, not how): they appear in requests of every
    # kind and in a few keyword examples ("firm and year fixed effects"), so they mislead
    "firm firms company companies city cities country countries people person".split()
)
K1, B = 1.4, 0.75
PHRASE_BONUS = 2.5


def terms(text: str, *, expand: bool = False) -> list[str]:
    """English word stems (stop words removed) and Chinese character bigrams (and unigrams),
    after joining compound terms; ``expand`` adds the library words of everyday phrasings
    (for requests)."""
    lowered = normalize(text)
    if expand:
        lowered = lowered + " " + concepts(lowered)
    found = [stem(w) for w in _WORD.findall(lowered) if w not in _STOP and len(w) > 1]
    for run in _HAN.findall(lowered):
        if len(run) == 1:
            found.append(run)
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    return found


class Scored(msgspec.Struct, frozen=True):
    template_id: str
    score: float


def _document(tpl: Template) -> str:
    meta = tpl.meta
    parts: Iterable[str] = (
        meta.title.en, meta.title.zh, meta.description.en, meta.description.zh,
        *meta.keywords.en, *meta.keywords.zh, *meta.keywords.en, *meta.keywords.zh,
        meta.family.replace("_", " "), *meta.analysis_types, tpl.id.replace("_", " "),
    )
    return " ".join(parts)


class Retriever:
    """A BM25 index of one library (build once, query many times).

    Kept compact, as it lives for the whole process: every term string is stored once (the
    documents share the vocabulary's objects), and a keyword's own terms are worked out only
    when ``matched_keywords`` explains one template. The index is built on the first query
    (a process that never selects a template, such as an API process answering status
    requests, does not hold it)."""

    def __init__(self, library: Library) -> None:
        self._unindexed: Library | None = library

    def _indexed(self) -> None:
        if self._unindexed is not None:
            self._build(self._unindexed)
            self._unindexed = None

    def _build(self, library: Library) -> None:
        vocabulary: dict[str, str] = {}

        def shared(words: Iterable[str]) -> Counter[str]:
            return Counter(vocabulary.setdefault(w, w) for w in words)

        self._ids = [t.id for t in library]
        self._docs = [shared(terms(_document(t))) for t in library]
        self._keywords = [
            tuple((k, normalize(k).strip()) for k in (*t.meta.keywords.en, *t.meta.keywords.zh))
            for t in library
        ]
        self._phrases = [tuple({phrase for _, phrase in keywords}) for keywords in self._keywords]
        self._index = {template_id: i for i, template_id in enumerate(self._ids)}
        self._lengths = [sum(d.values()) for d in self._docs]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = len(self._docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query: str) -> list[Scored]:
        """Every template with its score, best first."""
        self._indexed()
        q_terms = Counter(terms(query, expand=True))
        lowered = normalize(query)
        results = []
        for i, template_id in enumerate(self._ids):
            doc, length = self._docs[i], self._lengths[i]
            total = 0.0
            for term, q_count in q_terms.items():
                tf = doc.get(term, 0)
                if not tf:
                    continue
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self._avg))
                total += self._idf[term] * norm * q_count
            for phrase in self._phrases[i]:
                if len(phrase) >= 2 and contains_phrase(lowered, phrase):
                    total += PHRASE_BONUS * (1 + min(len(phrase), 12) / 12)
            results.append(Scored(template_id, round(total, 6)))
        results.sort(key=lambda s: (-s.score, s.template_id))
        return results

    def matched_keywords(
        self, query: str, template_id: str, limit: int = 3
    ) -> tuple[list[str], list[str]]:
        """Why a template matched, in its own keywords: those the query contains whole
        (longest first, one per normalized phrase, none inside a longer one), then those that
        only share a distinctive term with it."""
        self._indexed()
        i = self._index.get(template_id)
        if i is None:
            return [], []
        lowered = normalize(query)
        q_terms = set(terms(query, expand=True))
        whole: dict[str, str] = {}
        for keyword, phrase in sorted(self._keywords[i], key=lambda k: -len(k[1])):
            inside = phrase in whole or any(phrase in longer for longer in whole)
            if len(phrase) >= 2 and not inside and contains_phrase(lowered, phrase):
                whole[phrase] = keyword
        related = [k for k, phrase in self._keywords[i]
                   if not any(phrase in p or p in phrase for p in whole)
                   and any(self._idf.get(t, 0) > 1.0 for t in set(terms(k)) & q_terms)]
        return list(whole.values())[:limit], related[: max(0, limit - len(whole))]
