"""Text that Stata can only ever read as data: labels and string values as they are staged.

Stata expands macros inside macro contents (an embedded `` `=exp' `` is evaluated), ends a
string at ``"`` or at ``"'`` inside compound quotes, expands ``$name`` globals, and treats
``\\`` as an escape before `` ` `` and ``$``. A label or value that contains none of these
characters cannot leave a string literal or start an expansion, whatever a do-file does with
it. ``inert`` maps each of them to its typographic look-alike (so the text still reads the
same to a person) and control characters to a space; every other character, Chinese
included, is kept.

Staging applies it to every variable label, value label and string value written for Stata;
the preview and the stored upload keep the user's text unchanged.
"""

from __future__ import annotations

import re

LOOK_ALIKES = {
    "`": "\u2018",   # left single quotation mark
    "'": "\u2019",   # right single quotation mark
    '"': "\u201d",   # right double quotation mark
    "$": "\uff04",   # fullwidth dollar sign
    "\\": "\uff3c",  # fullwidth reverse solidus
}
ACTIVE = frozenset(LOOK_ALIKES)
_TABLE = str.maketrans(LOOK_ALIKES)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ANY = re.compile(r"[`'\"$\\\x00-\x1f\x7f-\x9f\u2028\u2029]")  # ACTIVE or _CONTROL


def inert(text: str) -> str:
    """``text`` with every character Stata could act on replaced by a look-alike."""
    if _ANY.search(text) is None:  # the usual case, found by one scan in C
        return text
    return _CONTROL.sub(" ", text.translate(_TABLE))


def is_inert(text: str) -> bool:
    """Whether ``text`` holds no character that could act as Stata syntax."""
    return not (ACTIVE & set(text)) and not _CONTROL.search(text)
