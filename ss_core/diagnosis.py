"""Read a Stata batch log (and the runner's side signals) into a typed diagnosis.

Signals, in order of authority:
1. ``timed_out`` (the runner killed the process group) -> ``STATA_TIMEOUT``;
2. an empty log -> Stata never started (``STATA_LAUNCH_FAILED``, or
   ``STATA_LICENSE_UNAVAILABLE`` when stderr/log mention the licence);
3. the side-file return code the runner's wrapper writes after ``capture noisily do``
   (0 means success, whatever ``r(N);`` lines the log contains);
4. without a side file: the last ``end of do-file`` marker and the ``r(N);`` right after it;
5. neither -> ``STATA_CRASHED``.
``r(N);`` is never searched for anywhere else to decide success. ``diagnose`` is total: any
text gives a Diagnosis, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from ss_core.errors import StataError
from ss_core.stata.rc import advice_for, code_for_rc, is_retryable
from ss_core.stata.syntax import PREFIXES

END_MARKER = "end of do-file"
EXCERPT_CHARS = 4000
_RC_LINE = re.compile(r"^r\((\d{1,6})\);\s*$")
_ECHO = re.compile(r"^(?:\.|\s*\d+\.)[ ](.*)$")
_CONTINUATION = re.compile(r"^> ?(.*)$")
_UNRECOGNIZED = (
    re.compile(r"command\s+(\S+)\s+is\s+unrecognized"),
    re.compile(r"unrecognized command:\s+(\S+)"),
)
# Prefixes a failing command can be echoed behind: Stata's own, plus the estimation prefixes.
_PREFIXES = PREFIXES | {"q", "xi", "svy", "bootstrap", "jackknife"}
_LICENCE = re.compile(
    r"licen[cs]e (?:not found|is invalid|has expired|expired|error|problem)|invalid licen[cs]e"
    r"|stata\.lic|serial number|licen[cs]e.*(?:seats?|users?) .*exceeded|not licensed",
    re.IGNORECASE,
)
_NESTED_DO = re.compile(r"^(?:(?:cap\w*|n\w*|qui\w*)\s+)*(?:do|run|include)\s", re.IGNORECASE)


class Diagnosis(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    error_code: str | None
    rc: int | None
    message: str
    failing_command: str | None
    failing_line: int | None
    retryable: bool
    missing_commands: tuple[str, ...] = ()
    missing_packages: tuple[str, ...] = ()
    log_excerpt: str = ""


def _bounded(text: str, limit: int = EXCERPT_CHARS) -> str:
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head - 40
    return f"{text[:head]}\n... [{len(text) - head - tail} characters omitted] ...\n{text[-tail:]}"


def _excerpt(lines: list[str], around: int | None) -> str:
    """The log tail, or the first lines plus a window ending a few lines after ``around``."""
    if around is None:
        return _bounded("\n".join(lines[-80:]))
    start = max(0, around - 30)
    window = lines[start: around + 6]
    if start > 8:
        window = [*lines[:8], "...", *window]
    elif start:
        window = [*lines[:start], *window]
    return _bounded("\n".join(window))


def _last_marker(lines: list[str]) -> int | None:
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip() == END_MARKER:
            return index
    return None


def _rc_after(lines: list[str], index: int) -> int | None:
    for line in lines[index + 1:]:
        if not line.strip():
            continue
        match = _RC_LINE.match(line.strip())
        return int(match.group(1)) if match else None
    return None


def _error_line(lines: list[str], rc: int) -> int | None:
    """The ``r(rc);`` line Stata printed right after the failing command's message.

    Lines that only repeat the code after an ``end of do-file`` (propagation to the calling
    do-file) are skipped.
    """
    wanted = f"r({rc});"
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip() != wanted:
            continue
        before = index - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before < 0 or lines[before].strip() != END_MARKER:
            return index
    return None


def _echoed_command(lines: list[str], error_index: int) -> tuple[str | None, int | None]:
    for index in range(error_index - 1, -1, -1):
        match = _ECHO.match(lines[index])
        if not match:
            continue
        parts = [match.group(1).strip()]
        for follower in lines[index + 1: error_index]:
            cont = _CONTINUATION.match(follower)
            if not cont:
                break
            parts.append(cont.group(1).strip())
        command = " ".join(p for p in parts if p)
        if _NESTED_DO.match(command):
            return None, None
        return (command or None), index
    return None, None


def command_name(command: str) -> str | None:
    """The Stata command a line runs, after prefixes (``capture``, ``by x:`` ...)."""
    text = command.strip()
    if ":" in text and re.match(r"^(?:by|bysort|bys|xi|svy|bootstrap|statsby)\b", text):
        text = text.split(":", 1)[1].strip()
    for word in text.replace(",", " ").split():
        if word.lower() in _PREFIXES:
            continue
        name = word.split(",")[0]
        return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else None
    return None


def _unrecognized(lines: list[str], error_index: int | None) -> str | None:
    window = lines[max(0, (error_index or len(lines)) - 6): (error_index or len(lines))]
    for line in reversed(window):
        for pattern in _UNRECOGNIZED:
            match = pattern.search(line)
            if match:
                return match.group(1).strip("`'\"")
    return None


def _do_file_line(do_file_text: str | None, command: str | None) -> int | None:
    if not do_file_text or not command:
        return None
    wanted = " ".join(command.split())
    for number, line in enumerate(do_file_text.splitlines(), start=1):
        if " ".join(line.split()) == wanted:
            return number
    return None


def _failure(
    code: str,
    rc: int | None,
    message: str,
    excerpt: str,
    *,
    failing_command: str | None = None,
    failing_line: int | None = None,
    missing_commands: tuple[str, ...] = (),
    missing_packages: tuple[str, ...] = (),
) -> Diagnosis:
    return Diagnosis(ok=False, error_code=code, rc=rc, message=message,
                     failing_command=failing_command, failing_line=failing_line,
                     retryable=is_retryable(code), missing_commands=missing_commands,
                     missing_packages=missing_packages, log_excerpt=excerpt)


def _classify(lines: list[str], rc: int, package_of_command: Mapping[str, str],
              do_file_text: str | None) -> Diagnosis:
    error_index = _error_line(lines, rc)
    command, _ = _echoed_command(lines, error_index) if error_index is not None else (None, None)
    line_no = _do_file_line(do_file_text, command)
    excerpt = _excerpt(lines, error_index)
    where = f" at `{command}`" if command else ""
    code = code_for_rc(rc)
    missing: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    if rc == 199:
        name = _unrecognized(lines, error_index) or (command_name(command) if command else None)
        package = package_of_command.get(name) if name else None
        if name and package:
            code = "STATA_DEPENDENCY_MISSING"
            missing, packages = (name,), (package,)
            message = (f"Stata command `{name}` is not installed (package {package}); the "
                       f"operator must install {package} into the Stata ado directory.")
            return _failure(code, rc, message, excerpt, failing_command=command,
                            failing_line=line_no, missing_commands=missing,
                            missing_packages=packages)
        if name:
            missing = (name,)
    message = f"Stata stopped with r({rc}){where}: {advice_for(code)}"
    return _failure(code, rc, message, excerpt, failing_command=command,
                    failing_line=line_no, missing_commands=missing)


def _launch_failure(log_text: str, stderr: str, exit_code: int | None) -> Diagnosis | None:
    licence = _LICENCE.search(stderr) or _LICENCE.search(log_text[:4000])
    if licence:
        detail = (stderr.strip() or log_text.strip())[:500]
        return _failure("STATA_LICENSE_UNAVAILABLE", None,
                        "Stata reported a licence problem; the operator must check the licence "
                        f"file and seat count. Stata said: {detail}",
                        _bounded(stderr.strip() or log_text))
    if log_text.strip():
        return None
    said = f" Stata said: {stderr.strip()[:500]}" if stderr.strip() else ""
    return _failure("STATA_LAUNCH_FAILED", None,
                    f"Stata did not start (empty log, exit code {exit_code}); the operator must "
                    f"check the Stata command, its licence and permissions.{said}",
                    _bounded(stderr.strip()))


def diagnose(
    log_text: str,
    *,
    side_rc: int | None,
    package_of_command: Mapping[str, str],
    timed_out: bool = False,
    exit_code: int | None = None,
    stderr: str = "",
    done_marker_seen: bool | None = None,
    do_file_text: str | None = None,
) -> Diagnosis:
    """Judge one run from its log text (possibly head+tail bounded) and side signals.

    ``done_marker_seen`` is False when the job do-file ends by printing a completion marker
    and the log lacks it (the job left early with rc 0); None when not applicable.
    ``do_file_text`` (optional) lets the failing command be located as a do-file line.
    """
    lines = log_text.splitlines()
    if timed_out:
        return _failure("STATA_TIMEOUT", None,
                        "The Stata run exceeded its wall-clock limit and was stopped; retry, or "
                        "ask the operator for a longer timeout for this analysis.",
                        _excerpt(lines, None))
    if side_rc is None:
        launch = _launch_failure(log_text, stderr, exit_code)
        if launch is not None:
            return launch
    if side_rc is None:
        marker = _last_marker(lines)
        if marker is None:
            return _failure("STATA_CRASHED", None,
                            f"Stata stopped without finishing the do-file (exit code "
                            f"{exit_code}); the run can be retried.", _excerpt(lines, None))
        trailing = _rc_after(lines, marker)
        if trailing is None and any(line.strip() for line in lines[marker + 1:]):
            return _failure("STATA_CRASHED", None,
                            "Stata stopped after a do-file ended but before the runner recorded "
                            f"its return code (exit code {exit_code}); the run can be retried.",
                            _excerpt(lines, None))
        side_rc = trailing or 0
    if side_rc != 0:
        return _classify(lines, side_rc, package_of_command, do_file_text)
    if done_marker_seen is False:
        return _failure("STATA_TEMPLATE_ERROR", 0,
                        "The do-file stopped before its end without an error; the template "
                        "exits early - report it with the log.", _excerpt(lines, None))
    return Diagnosis(ok=True, error_code=None, rc=0, message="Stata finished the do-file.",
                     failing_command=None, failing_line=None, retryable=False,
                     log_excerpt=_excerpt(lines, None))


def diagnosis_error(diagnosis: Diagnosis) -> StataError:
    """The typed error for a failed diagnosis (code, retryability and details as context).

    The log excerpt is not included: it stays in the run record and the stored log.
    """
    if diagnosis.ok or diagnosis.error_code is None:
        raise ValueError("a successful diagnosis is not an error")
    return StataError(
        diagnosis.message, code=diagnosis.error_code, retryable=diagnosis.retryable,
        rc=diagnosis.rc, failing_command=diagnosis.failing_command,
        failing_line=diagnosis.failing_line, missing_commands=list(diagnosis.missing_commands),
        missing_packages=list(diagnosis.missing_packages))
