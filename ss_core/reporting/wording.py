"""Statistical wording rules an interpretation must follow, checked where a machine can.

- No causal claim from a template whose design does not identify one (descriptive tables,
  correlations, tests, plain regressions): only design-based families (DID, IV, RDD, matching,
  synthetic control) may say "causes"/"导致".
- Whoever says "significant"/"显著" states the level used (a level phrase such as "at the 5%
  level", or a p-value or threshold) in the same sentence group.
"""

from __future__ import annotations

import re

from ss_core.reporting.grounding import Interpretation, Violation
from ss_core.reporting.numbers import normalise

CAUSAL_DESIGN_FAMILIES = frozenset({"did", "iv", "rdd", "matching", "synthetic_control"})
_CAUSAL = re.compile(
    r"\b(?:causes?|caused|causal(?:ly)?|leads?\s+to|led\s+to|results?\s+in|resulted\s+in)\b"
    r"|导致|造成|因果|引起", re.IGNORECASE)
_SIGNIFICANT = re.compile(r"\bsignifican(?:t|tly|ce)\b|显著", re.IGNORECASE)
_LEVEL_STATED = re.compile(
    r"\d+(?:\.\d+)?\s*%|\bp\s*(?:[<=>≤＜]|-?value)|p\s*值|p值|水平", re.IGNORECASE)
_NOT_SIGNIFICANT = re.compile(r"\bnot\s+(?:statistically\s+)?significant|不显著", re.IGNORECASE)


def check_wording(answer: Interpretation, family: str) -> list[Violation]:
    problems: list[Violation] = []
    texts = [(f"finding {i}", f.text) for i, f in enumerate(answer.findings, start=1)]
    texts += [(f"caveat {i}", t) for i, t in enumerate(answer.caveats, start=1)]
    texts += [(f"next step {i}", t) for i, t in enumerate(answer.next_steps, start=1)]
    for where, raw in texts:
        text = normalise(raw)
        if family not in CAUSAL_DESIGN_FAMILIES and where.startswith("finding") and \
                _CAUSAL.search(text):
            problems.append(Violation(
                where=where, reason="makes a causal claim, which this analysis's design "
                "cannot support; describe an association instead"))
        if _SIGNIFICANT.search(text) and not _NOT_SIGNIFICANT.search(text) and \
                not _LEVEL_STATED.search(text):
            problems.append(Violation(
                where=where, reason="calls a result significant without stating the level "
                "or p-value used"))
    return problems
