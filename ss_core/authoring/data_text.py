"""Library check: text that comes from the data never flows through a macro into Stata code.

Variable labels, value labels, characteristics, the levels of a variable that may hold
strings, and lines read from files are the user's text. Once such text is in a macro, every
expansion re-expands macros embedded in it (an embedded `` `=exp' `` is evaluated) and every
expression it appears in (``=``, ``post``, ``display``, ``if``...) parses it as code. Staging
makes the text inert, and this check is the second wall: it follows such text from its
source through macro copies, ``gettoken``, ``foreach`` and Mata ``st_local`` and rejects any
template that expands it (``macval()`` aside) or puts it in an expression. Templates read
labels in Mata (``st_varlabel``, ``st_vlmap``) and store them with ``st_sstore``.
"""

from __future__ import annotations

import re

from ss_core.authoring.body_scan import Command
from ss_core.domain.dataset import ColumnType
from ss_core.library.meta import Template

_DEFINE = r"^\s*(?:loc|loca|local|gl|glo|glob|globa|global|c_local)\s+([A-Za-z_]\w*)"
_DEFINITION = re.compile(_DEFINE + r"\s*(=)?", re.IGNORECASE)
_LABEL_SOURCE = re.compile(
    _DEFINE + r"\s*:\s*(?:va\w*\s+la\w*|la\w*|da\w*\s+la\w*|char)\b", re.IGNORECASE)
_REFERENCE = re.compile(r"`(macval\(\s*)?([A-Za-z_]\w*|r\(levels\))\s*\)?'")
_LEVELSOF = re.compile(r"^\s*levelsof\s+`?([A-Za-z_]\w*)'?([^,]*)(,.*)?$", re.IGNORECASE)
_LOCAL_OPTION = re.compile(r"\blocal\s*\(\s*([A-Za-z_]\w*)")
_GETTOKEN = re.compile(r"^\s*gettoken\s+([A-Za-z_]\w*)(?:\s+([A-Za-z_]\w*))?\s*:\s*(\w+)",
                       re.IGNORECASE)
_FOREACH = re.compile(r"^\s*foreach\s+([A-Za-z_]\w*)\s+(?:of\s+local\s+(\w+)|in\b)",
                      re.IGNORECASE)
_FILE_READ = re.compile(r"^\s*file\s+read\s+\S+\s+([A-Za-z_]\w*)", re.IGNORECASE)
_MATA_LOCAL = re.compile(r"\bst_local\s*\(\s*\"([A-Za-z_]\w*)\"\s*,(.*)")
_MATA_DATA_TEXT = re.compile(r"\b_?st_(?:varlabel|vlmap|varvaluelabel|sdata|sview|global)\b")
_GROUP_TEMPVAR = re.compile(r"^\s*egen\s+(?:\w+\s+)?`([A-Za-z_]\w*)'\s*=\s*group\s*\(",
                            re.IGNORECASE)
_NUMERIC = frozenset({ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.BINARY})
LEVELS = "r(levels)"


def _numeric_sources(template: Template, commands: tuple[Command, ...]) -> set[str]:
    """Macro names that name a variable known to be numeric (levelsof of it yields numbers)."""
    numeric = {p.name for p in template.meta.parameters
               if p.var_types and set(p.var_types) <= _NUMERIC}
    for cmd in commands:
        match = _GROUP_TEMPVAR.match(cmd.code)
        if match:
            numeric.add(match.group(1))
    return numeric


def _text(cmd: Command) -> str:
    """The command with its string literals put back (the scan keeps them aside)."""
    literals = iter(cmd.strings)
    return re.sub('"S"', lambda _: '"' + next(literals, "S") + '"', cmd.code)


def _sources(cmd: Command, tainted: set[str], numeric: set[str]) -> set[str]:
    """The macro names this command fills with data text (given what is tainted so far)."""
    code, text = cmd.code, _text(cmd)
    found: set[str] = set()
    refs = {m.group(2) for m in _REFERENCE.finditer(text)}
    definition = _LABEL_SOURCE.match(code) or _DEFINITION.match(code)
    if definition and (_LABEL_SOURCE.match(code) or refs & tainted):
        found.add(definition.group(1))
    if (match := _LEVELSOF.match(code)) and match.group(1) not in numeric:
        option = _LOCAL_OPTION.search(match.group(3) or "")
        found.add(option.group(1) if option else LEVELS)
    if (match := _GETTOKEN.match(code)) and match.group(3) in tainted:
        found |= {name for name in match.group(1, 2) if name}
    if (match := _FOREACH.match(code)) and (match.group(2) in tainted or refs & tainted):
        found.add(match.group(1))
    if match := _FILE_READ.match(code):
        found.add(match.group(1))
    if (match := _MATA_LOCAL.search(text)) and (
            _MATA_DATA_TEXT.search(match.group(2)) or refs & tainted):
        found.add(match.group(1))
    return found


def _uses(cmd: Command, tainted: set[str]) -> list[str]:
    definition = _DEFINITION.match(cmd.code)
    copy = definition is not None and definition.group(2) is None
    problems = []
    for match in _REFERENCE.finditer(_text(cmd)):
        guarded, name = match.group(1) is not None, match.group(2)
        if name not in tainted or (guarded and copy):
            continue
        what = ("expands it (macros embedded in the text would run; use macval())"
                if not guarded else f"puts it in `{cmd.word}` (an expression or command)")
        problems.append(
            f"line {cmd.line}: macro `{name}' holds label or value text and the body {what}; "
            "read labels in Mata (st_varlabel, st_vlmap) and store them with st_sstore")
    return problems


def data_text_problems(template: Template, commands: tuple[Command, ...]) -> list[str]:
    """Every place where data text held in a macro is expanded or evaluated."""
    numeric = _numeric_sources(template, commands)
    tainted: set[str] = set()
    for _ in range(2):  # a second pass follows taint around loops
        for cmd in commands:
            tainted |= _sources(cmd, tainted, numeric)
    problems: list[str] = []
    seen: set[int] = set()
    for cmd in commands:
        if cmd.line in seen:
            continue
        seen.add(cmd.line)
        problems += _uses(cmd, tainted)
    return problems
