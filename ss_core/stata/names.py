"""Stata-safe column names.

Stata names are 1-32 characters of ASCII letters, digits and ``_``, not starting with a digit,
and not one of Stata's reserved words. Uploaded columns (Chinese, spaces, duplicates, long
names) are normalised once, at upload; the mapping original -> normalised is kept for display
and for the variable labels of the staged ``.dta``.

The mapping is a pure function of the ordered list of original names: stable across calls,
injective, and every output is a valid Stata name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

STATA_NAME_MAX = 32
STATA_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")

# [U] 11.3 Naming conventions: reserved names.
RESERVED_WORDS = frozenset(
    "_all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _se _skip "
    "str strL using with".split()
) | frozenset(f"str{i}" for i in range(1, 2046))


def is_valid_stata_name(name: str) -> bool:
    """True when ``name`` can be used verbatim as a Stata variable name."""
    return bool(STATA_NAME_RE.fullmatch(name)) and name not in RESERVED_WORDS


def _ascii_stem(original: str) -> str:
    folded = unicodedata.normalize("NFKD", original)
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_only).strip("_")
    stem = re.sub(r"_+", "_", stem)
    return stem


def _digest(original: str, length: int = 6) -> str:
    return hashlib.sha1(original.encode("utf-8")).hexdigest()[:length]  # noqa: S324 - a name tag


def base_name(original: str, position: int) -> str:
    """The preferred Stata name for one column, before de-duplication.

    Names without any usable ASCII (e.g. Chinese) become ``v<position>_<hash>`` so the name is
    stable for the same header and still hints at the column's place.
    """
    if is_valid_stata_name(original):
        return original
    stem = _ascii_stem(original)
    tag = _digest(original)
    if not stem:
        return f"v{position + 1}_{tag}"
    if stem[0].isdigit():
        stem = f"v{stem}"
    if len(stem) > STATA_NAME_MAX:
        stem = f"{stem[: STATA_NAME_MAX - len(tag) - 1]}_{tag}"
    if not is_valid_stata_name(stem):
        stem = f"{stem[: STATA_NAME_MAX - 2]}_v"
    return stem


def normalize_names(originals: Sequence[str]) -> list[str]:
    """Stata-safe, unique names for ``originals`` in order (see module doc for the promises)."""
    taken: set[str] = set()
    result: list[str] = []
    for position, original in enumerate(originals):
        candidate = base_name(original, position)
        if candidate.lower() in taken:
            candidate = _dedupe(candidate, taken)
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def _dedupe(candidate: str, taken: set[str]) -> str:
    counter = 2
    while True:
        suffix = f"_{counter}"
        attempt = f"{candidate[: STATA_NAME_MAX - len(suffix)]}{suffix}"
        if attempt.lower() not in taken and is_valid_stata_name(attempt):
            return attempt
        counter += 1
