"""How a value is written into Stata code: text cleaned for compound quotes, numbers in a form
Stata parses exactly.

A text value may not contain anything that would end a compound quote or expand a macro
(`` ` $ \\ { } ``), control or line-break characters, or look like a file path or URL; plain
quotes become their typographic forms so the text reads the same and cannot close a quote.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from ss_core.stata.locations import looks_like_location

# Characters that would let a text value change Stata code inside compound quotes.
_TEXT_FORBIDDEN = re.compile(r"[`$\\{}]")
_TEXT_REPLACE = {"'": "\u2019", '"': "\u201d"}


class UnsafeText(ValueError):
    """A text value that cannot be written into Stata code; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(raw: str) -> str:
    """A text value made safe for compound quotes, or ``UnsafeText`` with the reason."""
    text = unicodedata.normalize("NFC", raw)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise UnsafeText("text may not contain control or line-break characters")
    if _TEXT_FORBIDDEN.search(text):
        raise UnsafeText("text may not contain ` $ \\ { or }")
    for plain, typographic in _TEXT_REPLACE.items():
        text = text.replace(plain, typographic)
    text = text.strip()
    if looks_like_location(text):
        raise UnsafeText("text may not look like a file path or URL")
    return text


def compound_quote(text: str) -> str:
    """``text`` inside Stata's compound quotes (clean it first)."""
    return '`"' + text + '"\''


def format_number(value: Any) -> str:
    """A finite number as Stata reads it (integers exactly, floats round-trip)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError("non-finite number")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
