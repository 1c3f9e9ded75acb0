"""Read a template body the way the library checks need it.

The body is jinja-templated Stata. ``scan_body`` drops the jinja statements, then reads the
Stata logical lines with the lexer the safety scan uses (``ss_core.stata.syntax``: comments
removed, strings collected) and records, per command segment, the command word and its
arguments; plus the macro references, the macro names the body defines itself, the programs
it defines and the ``has.``/``opt.`` names the jinja statements use.
"""

from __future__ import annotations

import re

import msgspec

from ss_core.stata.syntax import first_word, lex, segments

_JINJA_STATEMENT = re.compile(r"\{%-?(.*?)-?%\}", re.DOTALL)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_FLAG = re.compile(r"\b(has|opt)\s*\.\s*([A-Za-z_]\w*)")
_REF = re.compile(r"`(?:\+\+|--)?([A-Za-z_]\w*)(?:\+\+|--)?'")
_NAME = re.compile(r"[A-Za-z_]\w*")
_LOCAL_OPTION = re.compile(r"\blocal\s*\(\s*([A-Za-z_]\w*)")
_ST_LOCAL = re.compile(r"\bst_local\s*\(\s*\"([A-Za-z_]\w*)\"")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

_LOCAL_WORDS = {"loc", "loca", "local", "c_local"}
_LIST_DEFINERS = {"tempvar", "tempname", "tempfile", "args", "marksample"}
# Commands whose `:` introduces a macro function or a list, not a prefixed command.
_COLON_ARGUMENT = {"loc", "loca", "local", "gl", "glo", "glob", "globa", "global", "c_local",
                   "gettoken", "unab", "tsunab", "fvunab"}
_LOOP_WORDS = {"foreach", "forv", "forva", "forval", "forvalu", "forvalue", "forvalues"}


class Command(msgspec.Struct, frozen=True):
    """One command segment: its (physical) line, command word, argument text, strings."""

    line: int
    word: str
    tail: str
    code: str
    strings: tuple[str, ...]


class BodyScan(msgspec.Struct, frozen=True):
    commands: tuple[Command, ...]
    flags: tuple[tuple[str, str], ...]
    references: frozenset[str]
    defined: frozenset[str]
    program_locals: frozenset[str]
    programs: frozenset[str]


def strip_jinja(source: str) -> str:
    """The body with jinja statements and comments blanked (line numbers kept)."""

    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")

    return _JINJA_STATEMENT.sub(blank, _JINJA_COMMENT.sub(blank, source))


def _code_text(stata: str) -> str:
    """The Stata text without comments (for macro references; strings are kept)."""
    text = _BLOCK_COMMENT.sub(" ", stata)
    kept = []
    for raw in text.splitlines():
        if raw.lstrip().startswith("*"):
            continue
        cut = raw.find(" //")
        kept.append(raw if cut < 0 else raw[:cut])
    return "\n".join(kept)


def _mask_macros(code: str) -> str:
    """Macro expressions (nested too) collapsed to a token, so their `:` splits nothing."""
    out: list[str] = []
    depth = 0
    for ch in code:
        if ch == "`":
            depth += 1
        elif ch == "'" and depth:
            depth -= 1
            if not depth:
                out.append("`_'")
        elif not depth:
            out.append(ch)
    return "".join(out)


def _defined_by(word: str, tail: str) -> set[str]:
    lowered = word.lower()
    names = _NAME.findall(tail)
    if lowered in _LOCAL_WORDS or lowered in _LOOP_WORDS:
        return set(names[:1]) - {"_"}
    if lowered in _LIST_DEFINERS or lowered in ("gettoken", "unab", "tsunab", "fvunab"):
        return set(names)
    if lowered == "syntax":
        return {n.lower() for n in names} | {"varlist", "if", "in", "weight", "exp", "options"}
    if lowered == "file" and names[:1] == ["read"]:
        return set(names[-1:])
    return set()


def scan_body(source: str) -> BodyScan:
    stata = strip_jinja(source)
    flags = tuple(
        (m.group(1), m.group(2))
        for block in _JINJA_STATEMENT.finditer(source)
        for m in _FLAG.finditer(block.group(1))
    )
    commands: list[Command] = []
    defined: set[str] = set()
    program_locals: set[str] = set()
    programs: set[str] = set()
    in_mata = in_program = False
    for line in lex(stata):
        if not line.code.strip():
            continue
        for index, segment in enumerate(segments(_mask_macros(line.code))):
            word, tail = first_word(segment)
            lowered = word.lower()
            if in_mata:
                in_mata = lowered != "end"
                break
            if lowered == "mata":
                # `mata:` opens a Mata block; `mata: stmt` is one Mata statement.
                rest = line.code.split(":", 1)
                in_mata = index == 0 and (len(rest) == 1 or not rest[1].strip())
                commands.append(Command(line.number, word, tail, line.code, tuple(line.strings)))
                break
            if not word:
                continue
            commands.append(Command(line.number, word, tail, line.code, tuple(line.strings)))
            if in_program:
                program_locals.update(_defined_by(word, tail))
                in_program = lowered != "end"
            else:
                defined |= _defined_by(word, tail)
            if lowered in _COLON_ARGUMENT:
                break
            if lowered in ("pr", "pro", "prog", "progr", "progra", "program"):
                names = [n for n in _NAME.findall(tail) if n.lower() not in ("define", "drop")]
                if names and "drop" not in tail.split() and names[0] not in ("dir", "list"):
                    programs.add(names[0].lower())
                    in_program = True
    code = _code_text(stata)
    defined |= set(_LOCAL_OPTION.findall(code)) | set(_ST_LOCAL.findall(stata))
    return BodyScan(
        commands=tuple(commands),
        flags=flags,
        references=frozenset(_REF.findall(code)),
        defined=frozenset(defined),
        program_locals=frozenset(program_locals),
        programs=frozenset(programs),
    )
