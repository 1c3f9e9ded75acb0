"""Reading Stata code the way Stata does: logical lines, command segments, command words.

``lex`` removes block comments, ``//`` comments and ``*`` comment lines, joins ``///``
continuations and replaces every string literal (plain or compound-quoted) by ``"S"`` while
keeping its text aside. ``segments`` splits a logical line at its top-level colons (``by x:``,
``capture noisily:``), and ``first_word`` finds the command word of a segment after the
``capture``/``quietly``/``noisily`` prefixes in any of their abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec


def abbreviations(word: str, minimum: int) -> set[str]:
    """Every spelling Stata accepts for ``word`` when it may be cut to ``minimum`` letters."""
    return {word[:n] for n in range(minimum, len(word) + 1)}


PREFIXES = (
    abbreviations("capture", 3) | abbreviations("quietly", 3) | abbreviations("noisily", 1)
)


class LogicalLine(msgspec.Struct):
    """One logical line: its first physical line number, its code, its string literals."""

    number: int
    code: str
    strings: list[str]


def lex(text: str) -> Iterator[LogicalLine]:
    """Logical lines with comments removed; string literals replaced by ``"S"``."""
    in_comment = 0
    pending: LogicalLine | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        code, strings, in_comment, continued = _lex_line(raw, in_comment)
        if pending is not None:
            pending.code += " " + code
            pending.strings.extend(strings)
        else:
            pending = LogicalLine(number, code, strings)
        if not continued:
            yield pending
            pending = None
    if pending is not None:
        yield pending


def _lex_line(raw: str, depth: int) -> tuple[str, list[str], int, bool]:
    out: list[str] = []
    strings: list[str] = []
    i, n = 0, len(raw)
    if depth == 0 and raw.lstrip().startswith("*"):
        return "", [], 0, raw.rstrip().endswith("///")
    while i < n:
        if depth:
            if raw.startswith("*/", i):
                depth -= 1
                i += 2
            elif raw.startswith("/*", i):
                depth += 1
                i += 2
            else:
                i += 1
            continue
        if raw.startswith("/*", i):
            depth += 1
            i += 2
            continue
        if raw.startswith("//", i) and (i == 0 or raw[i - 1].isspace()):
            return "".join(out), strings, depth, raw.startswith("///", i)
        if raw.startswith('`"', i):
            end = raw.find("\"'", i + 2)
            end = n if end < 0 else end
            strings.append(raw[i + 2 : end])
            out.append('"S"')
            i = end + 2
            continue
        if raw[i] == '"':
            end = raw.find('"', i + 1)
            end = n if end < 0 else end
            strings.append(raw[i + 1 : end])
            out.append('"S"')
            i = end + 1
            continue
        out.append(raw[i])
        i += 1
    return "".join(out), strings, depth, False


def segments(code: str) -> list[str]:
    """Split at top-level colons (outside parentheses and brackets)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in code:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == ":" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def first_word(segment: str) -> tuple[str, str]:
    """The command word of a segment after prefixes, and the rest of the segment."""
    rest = segment.strip().lstrip("}").strip()
    while True:
        match = re.match(r"([A-Za-z_#!`$][\w#]*|!|`|\$)(.*)$", rest, re.DOTALL)
        if not match:
            return "", rest
        word, tail = match.group(1), match.group(2)
        if word.lower() in PREFIXES:
            rest = tail.strip()
            continue
        return word, tail
