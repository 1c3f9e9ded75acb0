"""Safety scan of a rendered do-file: defence in depth behind the sandboxed runner.

The scan reads the do-file as Stata does (block comments, ``//`` comments, ``///``
continuations, ``*`` comment lines, compound quotes) and then looks at the command position
of every logical line: after prefixes (``capture``, ``quietly``, ``noisily`` and their
abbreviations) and after every top-level ``:`` (``by ...:``, ``version 14:``,
``bootstrap ...:``). File access by expression (``fileread``/``filewrite``), Mata's file and
directory functions and the file system commands (``erase``, ``rm``, ``mkdir``, ``rmdir``,
``copy``: a template only writes its declared outputs) are rejected too. It fails closed: a
construct it cannot judge (a macro in command position, ``#delimit``, a one-line
``if``/``else`` command) is rejected too.
"""

from __future__ import annotations

import re

import msgspec

from ss_core.errors import UnsafeDoFile
from ss_core.stata.locations import PARENT_STEP, URL, looks_like_location
from ss_core.stata.syntax import LogicalLine, abbreviations, first_word, lex, segments


class Violation(msgspec.Struct, frozen=True):
    line: int
    rule: str
    text: str


DENIED_COMMANDS: dict[str, str] = {}
for _word, _min, _rule in (
    ("shell", 2, "shell escape"),
    ("winexec", 7, "shell escape"),
    ("xshell", 6, "shell escape"),
    ("unixcmd", 7, "shell escape"),
    ("macshell", 8, "shell escape"),
    ("ssc", 3, "package install"),
    ("net", 3, "package install / network"),
    ("ado", 3, "package install"),
    ("adoupdate", 9, "package install"),
    ("update", 6, "package install"),
    ("adopath", 7, "ado path change"),
    ("sysdir", 6, "ado path change"),
    ("webuse", 6, "network access"),
    ("findit", 6, "network access"),
    ("search", 6, "network access"),
    ("python", 6, "foreign code"),
    ("java", 4, "foreign code"),
    ("javacall", 8, "foreign code"),
    ("plugin", 6, "foreign code"),
    ("cd", 2, "directory change"),
    ("chdir", 5, "directory change"),
    ("include", 7, "nested do-file"),
    ("do", 2, "nested do-file"),
    ("run", 3, "nested do-file"),
    ("doedit", 6, "interactive command"),
    ("window", 3, "interactive command"),
    ("sysuse", 6, "data outside the run directory"),
    ("erase", 5, "file system command"),
    ("rm", 2, "file system command"),
    ("mkdir", 5, "file system command"),
    ("rmdir", 5, "file system command"),
    ("copy", 4, "file system command"),
):
    for _abbr in abbreviations(_word, _min):
        DENIED_COMMANDS.setdefault(_abbr, _rule)

_BARE_PATH = re.compile(
    r"(?:\busing|\bsaving\s*\(|\bexport\s*\(|\bfile\s*\(|\bsave\s)\s*(?:/|~|\\\\|[A-Za-z]:[\\/])",
    re.IGNORECASE,
)
_MATA_STATA = re.compile(r"\b_?stata\s*\(")
_FILE_FUNCTIONS = re.compile(r"\bfile(?:read|write)\s*\(", re.IGNORECASE)
_MATA_FILE_FUNCTIONS = re.compile(r"\b_?(?:fopen|unlink|mkdir|rmdir|chdir|fput|fwrite|cat)\s*\(")
_PLUGIN_OPTION = re.compile(r"^\s*program\b.*,.*\bplugin\b")
_BLOCK_OPENERS = {"if", "else", "while"}


def _command_violations(line: LogicalLine, segment: str, whole: str) -> list[Violation]:
    word, _tail = first_word(segment)
    if not word:
        stripped = segment.strip()
        if stripped.startswith(("!", "`", "$")):
            return [Violation(line.number, "command position is not a plain command", whole)]
        return []
    lowered = word.lower()
    if word.startswith("!"):
        return [Violation(line.number, "shell escape", whole)]
    if word.startswith(("`", "$")):
        return [Violation(line.number, "macro in command position", whole)]
    if lowered.startswith("#d"):
        return [Violation(line.number, "#delimit is not allowed", whole)]
    if lowered in DENIED_COMMANDS:
        return [Violation(line.number, DENIED_COMMANDS[lowered], whole)]
    if lowered in _BLOCK_OPENERS and not line.code.rstrip().endswith("{"):
        return [Violation(line.number, "one-line if/else/while commands are not allowed", whole)]
    return []


def _path_violations(line: LogicalLine, whole: str) -> list[Violation]:
    found = []
    for literal in line.strings:
        if looks_like_location(literal):
            found.append(Violation(line.number, "URL or path outside the run directory", whole))
    if URL.search(line.code):
        found.append(Violation(line.number, "URL", whole))
    tokens = re.split(r"[\s,()=]+", line.code)
    if _BARE_PATH.search(line.code) or any(PARENT_STEP.search(tok) for tok in tokens):
        found.append(Violation(line.number, "path outside the run directory", whole))
    if _MATA_STATA.search(line.code):
        found.append(Violation(line.number, "Mata stata() call", whole))
    text = " ".join([line.code, *line.strings])
    if _FILE_FUNCTIONS.search(text):
        found.append(Violation(line.number, "fileread()/filewrite() reach files by expression",
                               whole))
    if _MATA_FILE_FUNCTIONS.search(line.code):
        found.append(Violation(line.number, "Mata file or directory function", whole))
    if _PLUGIN_OPTION.search(line.code):
        found.append(Violation(line.number, "foreign code", whole))
    return found


def scan(text: str) -> list[Violation]:
    """Every violation in ``text``, with its (first physical) line number."""
    physical = text.splitlines()
    violations: list[Violation] = []
    for line in lex(text):
        whole = physical[line.number - 1].strip()[:200] if physical else ""
        if not line.code.strip() and not line.strings:
            continue
        for segment in segments(line.code):
            violations.extend(_command_violations(line, segment, whole))
        violations.extend(_path_violations(line, whole))
    return violations


def assert_safe(text: str) -> None:
    """Raise ``DOFILE_UNSAFE`` naming every violation (line, rule, text) when any is found."""
    violations = scan(text)
    if violations:
        raise UnsafeDoFile(
            f"rendered do-file failed the safety scan ({len(violations)} violation(s))",
            violations=[msgspec.to_builtins(v) for v in violations],
        )
